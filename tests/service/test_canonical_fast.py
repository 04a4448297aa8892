"""The canonical writer with its fast paths writes what the first writer wrote: the same text, the
same token map, the same refusal at the same offset, on queries generated from the grammar."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from graph_service.sparql.canonical import CanonicalError, canonical_query, write_iri, write_string
from tests.service.canonical_reference import reference_canonical_query
from tests.service.grammar_fuzz import Gen

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
