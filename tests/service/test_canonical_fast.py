"""The canonical writer with its fast paths writes what the first writer wrote: the same text, the
same token map, the same refusal at the same offset, on queries generated from the grammar."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.sparql import canonical
from graph_service.sparql.canonical import CanonicalError, canonical_query, write_iri, write_string
from tests.helpers import examples
from tests.service.canonical_reference import reference_canonical_query
from tests.service.grammar_fuzz import Gen
from tests.service.test_guard_fast import _DECLARATION_PIECES

BASE = "https://w3id.org/achats-numeriques-responsables/"


def outcome(read: object, query: str) -> object:
    try:
        return read(query, BASE)  # type: ignore[operator]
    except CanonicalError as exc:
        return ("refused", exc.offset, exc.reason)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fast_writer_writes_as_the_reference(seed: int) -> None:
    gen = Gen(seed, "http://127.0.0.1:9/")
    for _ in range(3_000):
        query = gen.query()
        assert outcome(canonical_query.__wrapped__, query) == outcome(reference_canonical_query, query), query


def test_the_fast_writer_writes_the_named_queries_as_the_reference() -> None:
    queries = sorted(Path(__file__).resolve().parents[2].joinpath("queries").glob("*.rq"))
    assert queries
    for path in queries:
        query = path.read_text(encoding="utf-8")
        assert outcome(canonical_query.__wrapped__, query) == outcome(reference_canonical_query, query), path


def test_the_writers_of_strings_and_iris_escape_as_their_tables() -> None:
    from graph_service.sparql.canonical import _IRI_TABLE, _STRING_TABLE

    r = random.Random(3)
    alphabet = "sSfFab \\\"'\n\r\t\x00\x1f\x7fuU\u00e9<>"
    for _ in range(20_000):
        value = "".join(r.choice(alphabet) for _ in range(r.randrange(12)))
        assert write_iri(value) == "<" + value.translate(_IRI_TABLE) + ">"
        if "\\u" not in value and "\\U" not in value:
            assert write_string(value) == '"' + value.translate(_STRING_TABLE) + '"'


def first_bad_escaped_piece(text: str) -> int | None:
    """The first check's reference: the offset of the first piece with a backslash that is no
    string nor IRI, read piece by piece."""
    offset = 0
    for piece in text.split(" "):
        if "\\" in piece and not (piece[0] + piece[-1] in ('""', "<>") and len(piece) > 1):
            return offset
        offset += len(piece) + 1
    return None


def test_the_escaped_pieces_are_found_as_piece_by_piece() -> None:
    from graph_service.sparql.canonical import _escaped_pieces

    def found(text: str) -> int | None:
        return next(
            (
                begin
                for begin, piece in _escaped_pieces(text)
                if not (piece[0] + piece[-1] in ('""', "<>") and len(piece) > 1)
            ),
            None,
        )

    r = random.Random(4)
    for _ in range(50_000):
        text = "".join(r.choice(' \\"<>ab') for _ in range(r.randrange(14)))
        assert found(text) == first_bad_escaped_piece(text), repr(text)


def test_the_keywords_are_found_alike_in_the_lowered_ascii_text() -> None:
    from graph_service.sparql.canonical import _KEYWORDS, _KEYWORDS_LOWER

    r = random.Random(5)
    for _ in range(20_000):
        text = "".join(r.choice("sSeErRvViIcCfFoOmM ") for _ in range(r.randrange(16)))
        lowered = [m.span() for m in _KEYWORDS_LOWER.finditer(text.lower())]
        assert lowered == [m.span() for m in _KEYWORDS.finditer(text)], text


def test_the_fast_reading_at_each_character_matches_as_the_whole_pattern() -> None:
    from graph_service.sparql.canonical import _FAST, _FAST_AT

    def read(match: re.Match[str] | None) -> object:
        return match and (match.span(), match.lastgroup, {k: v for k, v in match.groupdict().items() if v})

    gen = Gen(6, "http://127.0.0.1:9/")
    texts = [gen.query() for _ in range(300)] + ["".join(chr(c) for c in range(0x80)) + " :a a:b .5 .a é:x"]
    for text in texts:
        for i in range(len(text)):
            assert read(_FAST_AT.get(text[i], _FAST).match(text, i)) == read(_FAST.match(text, i)), (text, i)


def test_the_search_for_characters_no_iri_holds_finds_the_set() -> None:
    from graph_service.sparql.canonical import _NOT_IN_IRI, _NOT_IN_IRI_SEARCH

    for code in range(0x3000):
        assert (chr(code) in _NOT_IN_IRI) == bool(_NOT_IN_IRI_SEARCH("a" + chr(code) + "b")), hex(code)


FAST = settings(derandomize=True, max_examples=400, deadline=None, database=None)
_PIECE = st.sampled_from(
    [*_DECLARATION_PIECES, "PREFIX e: <http://example.org/e/>", "PREFIX : <http://example.org/d/>"]
)
_BODIES = st.sampled_from(
    [
        "",
        "SELECT * { ?s ?p ?o }",
        "SELECT ?x { ?x e:y :z . e:y e:s e: }",
        "ASK { :a e:b e:b }",
        "SELECT * FROM e:g { ?s ?p ?o }",
        "x SELECT * {}",
        "PREFIX e: <http://example.org/other/> SELECT * { e:a e:a e:a }",
        "BASE <http://example.org/b/> SELECT * { <a> e:a <../c> }",
        "VERSION '1.2' SELECT * { :a :b :c }",
        "# a comment\nSELECT * {:a :b :c}",
        "SELECT * { e:a\\.b e:a e:a }",
    ]
)
_READ_ON: list[bool] = []


@FAST
@given(
    st.lists(_PIECE, max_size=10),
    st.lists(_PIECE, max_size=4),
    st.lists(_PIECE, max_size=4),
    _BODIES,
    _BODIES,
    st.sampled_from([None, BASE]),
)
def test_a_query_read_on_from_remembered_declarations_is_written_as_afresh(
    common: list[str], first: list[str], second: list[str], body_one: str, body_two: str, base: str | None
) -> None:
    """Queries that begin with the same declarations (as clients send them): the second is read on
    from what the first declared, its prefixed names from those written before, and must be written
    exactly as the reference writes it, refusals included."""
    kept, canonical._PROLOGUES = canonical._PROLOGUES, canonical.Prologues()
    try:
        head = "".join(common)
        one, two = head + "".join(first) + body_one, head + "".join(second) + body_two
        for query in (one, two, two):  # the last one read on from what it declared itself
            found = canonical._PROLOGUES.find(query, base)
            _READ_ON.append(found is not None and found[0] > 0)
            assert outcome_at(canonical_query.__wrapped__, query, base) == outcome_at(
                reference_canonical_query, query, base
            ), query
    finally:
        canonical._PROLOGUES = kept


def test_the_queries_above_were_often_read_on_from_remembered_declarations() -> None:
    """The generator makes queries that share declarations (else the test above proves nothing)."""
    if not _READ_ON:
        test_a_query_read_on_from_remembered_declarations_is_written_as_afresh()
    assert sum(_READ_ON) >= examples(FAST.max_examples) // 4, sum(_READ_ON)


def test_declarations_and_prefixed_names_are_remembered_once_read() -> None:
    """A repeated prologue is read once; a repeated prefixed name is written once."""
    query = "PREFIX ex: <http://example.org/remembered/> SELECT * { ex:a ex:b ex:c }"
    canonical_query.__wrapped__(query, None)
    found = canonical._PROLOGUES.find(query + " # another query", None)
    assert found == (query.index(">") + 1, {"ex": "http://example.org/remembered/"}, None)
    assert canonical._WRITTEN_PNAMES[("http://example.org/remembered/", "b")] == "<http://example.org/remembered/b>"


def test_remembered_prefixed_names_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canonical, "_MAX_WRITTEN_PNAMES", 8)
    monkeypatch.setattr(canonical, "_WRITTEN_PNAMES", {})
    canonical_query.__wrapped__(
        "PREFIX ex: <http://example.org/> SELECT * { " + " ".join(f"ex:n{i}" for i in range(30)) + " }", None
    )
    assert 0 < len(canonical._WRITTEN_PNAMES) <= 8
    long_name = "n" * 300  # written each time, never held
    written = canonical_query.__wrapped__(f"PREFIX ex: <http://example.org/> ASK {{ ex:{long_name} ?p ?o }}", None)
    assert f"<http://example.org/{long_name}>" in written.text
    assert all(len(local) < 300 for _, local in canonical._WRITTEN_PNAMES)


def outcome_at(read: object, query: str, base: str | None) -> object:
    try:
        return read(query, base)  # type: ignore[operator]
    except CanonicalError as exc:
        return ("refused", exc.offset, exc.reason)
