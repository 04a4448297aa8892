"""The guard's cheap paths give the verdicts of its full scan: prefix names, and texts the scan
could refuse nothing in (no SERVICE, no FROM, no escape, few operators)."""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.problems import ProblemError
from graph_service.sparql import guard, lexer
from graph_service.sparql.guard import inspect_query
from tests.helpers import examples
from tests.service.test_guard import KNOWN, _real_queries

FAST = settings(derandomize=True, max_examples=400, deadline=None, database=None)


def _reference_prefix_end(text: str, offset: int) -> int:
    """PN_PREFIX as the grammar states it, one character at a time (the former table)."""
    if offset >= len(text) or not lexer._is_pn_chars_base(text[offset]):
        return offset
    end = offset + 1
    while True:
        while end < len(text) and lexer._is_pn_chars(text[end]):
            end += 1
        dots = end
        while dots < len(text) and text[dots] == ".":
            dots += 1
        if dots > end and dots < len(text) and lexer._is_pn_chars(text[dots]):
            end = dots
        else:
            return end


def _reference_local_ends(text: str, offset: int) -> list[int]:
    """PN_LOCAL's ends one character at a time (the former reading), engine's and grammar's."""

    def char_end(at: int, *, first: bool) -> int | None:
        if at >= len(text):
            return None
        char = text[at]
        if char == ":" or ((lexer._is_pn_chars_u(char) or "0" <= char <= "9") if first else lexer._is_pn_chars(char)):
            return at + 1
        if char == "%":
            hex_digits = text[at + 1 : at + 3]
            ok = len(hex_digits) == 2 and all(c in "0123456789abcdefABCDEF" for c in hex_digits)
            return at + 3 if ok else None
        if char == "\\":
            return at + 2 if at + 1 < len(text) and text[at + 1] in "_~.-!$&'()*+,;=/?#@%" else None
        return None

    end = char_end(offset, first=True)
    if end is None:
        return [offset]
    while (step := char_end(end, first=False)) is not None:
        end = step
    engine_end: int | None = None
    spec_end = end
    while True:
        dots = spec_end
        while dots < len(text) and text[dots] == ".":
            dots += 1
        if dots == spec_end or char_end(dots, first=False) is None:
            break
        run_end = dots
        while (step := char_end(run_end, first=False)) is not None:
            run_end = step
        if engine_end is None:
            engine_end = run_end
        spec_end = run_end
    return sorted({engine_end if engine_end is not None else end, spec_end})


def _reference_skip_space(text: str, offset: int) -> int:
    while offset < len(text):
        if text[offset] in " \t\r\n":
            offset += 1
        elif text[offset] == "#":
            while offset < len(text) and text[offset] not in "\r\n":
                offset += 1
        else:
            break
    return offset


_NAME_CHARS = st.sampled_from(list("aZ_-.09:· é\u0301\u203f\u00d7\u037e\U00010000\U000f0000#%F\\~'\t\r\n"))


@FAST
@given(st.text(_NAME_CHARS, max_size=30))
def test_name_ends_agree_with_the_grammar_at_every_offset(text: str) -> None:
    for offset in range(len(text) + 1):
        expected = _reference_prefix_end(text, offset)
        assert lexer.pn_prefix_end(text, offset) == expected, (text, offset)
        assert lexer.pn_prefix_end_many(text, offset) == expected, (text, offset)
        assert lexer.pn_local_ends(text, offset) == _reference_local_ends(text, offset), (text, offset)
        assert lexer.skip_space(text, offset) == _reference_skip_space(text, offset), (text, offset)


_PIECES = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "INSERT",
        "PREFIX ab: <http://e/>",
        "BASE <http://b/>",
        " ",
        "\n",
        "\r",
        "#",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "?s",
        "$o",
        "ab:x",
        "ab:",
        "<http://x/>",
        "<",
        ">",
        "+",
        "*",
        "=",
        "'",
        '"',
        '"""',
        "\\u0053",
        "\\U00000046",
        "\\",
        "service",
        "SERVICE",
        "SILENT",
        "FROM",
        "from",
        "NAMED",
        "<https://w3id.org/achats-numeriques-responsables/graph/labels>",
        "1",
        ".",
        ",",
        ";",
        "VALUES",
        "FILTER",
        "WHERE",
        "SERVİCE",
        "ſervice",
        "\u212arom",
        "SELECT * FROM <http://x/>",
        "ASK FROM NAMED ab:x",
        "FROM<http://x/>",
        "SERVICE <http://x/> {}",
        "SERVICE ab:x {",
        "service?s{",
        "\\u0053ERVICE <http://x/>{",
    ]
)


def _verdict(query: str) -> Any:
    try:
        info = inspect_query(query, KNOWN)
    except ProblemError as refused:
        return refused.code
    return info


@FAST
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_texts_the_scan_is_skipped_for_get_its_verdict(query: str) -> None:
    cheap = _verdict(query)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(guard, "_needs_scan", lambda *args: True)
        full = _verdict(query)
    assert cheap == full


@pytest.mark.parametrize(("name", "query"), _real_queries())
def test_real_queries_get_the_same_verdict_either_way(monkeypatch: pytest.MonkeyPatch, name: str, query: str) -> None:
    cheap = _verdict(query)
    monkeypatch.setattr(guard, "_needs_scan", lambda *args: True)
    assert _verdict(query) == cheap


def test_most_real_queries_skip_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    scans = [0]
    original = lexer.Scan.of

    def counted(*args: Any, **kwargs: Any) -> lexer.Scan:
        scans[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(lexer.Scan, "of", counted)
    queries = [query for _, query in _real_queries()]
    for query in queries:
        _verdict(query)
    assert scans[0] == sum(1 for query in queries if re.search(r"(?i)\bFROM\s*<", query))  # real FROM only
    for words in (
        "SERVICE <http://x/> {",
        "sErViCe ?s {",
        "fRoM <http://x/>",
        "from named <g>",
        "\\u0041",
        "\\U00000041",
    ):
        before = scans[0]
        _verdict(f"SELECT * WHERE {{ ?s ?p '{words}' }}")
        assert scans[0] > before, words
    for words in ("SERVICE", "services >", "fRoM", "?from ?x", "appliesFrom 1"):  # no target or graph after
        before = scans[0]
        _verdict(f"SELECT * WHERE {{ ?s ?p '{words}' }}")
        assert scans[0] == before, words
    for many in ("+".join(["1"] * 1_001), "(" * 201 + ")" * 201):
        before = scans[0]
        _verdict(f"SELECT ({many} AS ?x) {{}}")
        assert scans[0] > before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p " + "SERVICEa:" * 2_200 + " }",  # each SERVICE is followed by a long local name
        "PREFIX a: <http://x/> SELECT * { ?s ?p a:" + "FROMa:" * 3_300 + " }",
    ],
)
def test_many_spelt_keywords_cost_linear_work(monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    # checking every place a keyword is spelt read on to the end of the glued word: 2.6 s for 20 KB
    read = [0]
    original = guard.pn_local_ends  # type: ignore[attr-defined]

    def counted(text: str, offset: int) -> list[int]:
        read[0] += len(text) - offset  # what a local name starting here may read, at most
        return original(text, offset)

    monkeypatch.setattr(guard, "pn_local_ends", counted)
    _verdict(query)
    assert read[0] <= 20 * len(query)


_DECLARATION_PIECES = [
    "PREFIX a: <http://example.org/a#>",
    "prefix b:<b/>",
    "PrEfIx c.d: <http://example.org/c>",
    "PREFIXab:<http://example.org/glued>",
    "PREFIX : <>",
    "BASE <http://example.org/base/>",
    "BASE<rel/>",
    "base <../up>",
    "VERSION '1.2'",
    'VERSION "1.1"',
    "BASE <http://example.org/x>y>",
    "PREFIX e: <a b>",
    " ",
    "\n",
    "\t",
    "# comment\n",
    "#",
    "<",
    ">",
    ":",
    "SELECT * {}",
    "SELEC",
    "PREFIX",
    "BASE",
    "VERSION",
    "ASK{}",
    "x",
    "\\u0041",
    "PREFIX f: <\\u0041>",
    "é",
    "PREFIX g:",
]

_DECLARATION_PIECE = st.sampled_from(_DECLARATION_PIECES)


@FAST
@given(
    st.lists(_DECLARATION_PIECE, max_size=12),
    st.lists(_DECLARATION_PIECE, max_size=6),
    st.lists(_DECLARATION_PIECE, max_size=6),
    st.sampled_from([None, "http://example.org/service/"]),
)
def test_a_prologue_read_on_from_remembered_declarations_is_read_as_afresh(
    common: list[str], first: list[str], second: list[str], base: str | None
) -> None:
    """Texts that begin alike: the second is read on from what the first declared, and must give
    exactly what a fresh reading gives."""
    kept, guard._PROLOGUES = guard._PROLOGUES, guard._Prologues()
    try:
        head = "".join(common)
        one, two = head + "".join(first), head + "".join(second)
        assert guard._prologue(one, base) == guard._read_prologue(one, base, {}, base, 0)
        found = guard._PROLOGUES.find(two, base)
        _READ_ON.append(found is not None and found[0] > 0)
        assert guard._prologue(two, base) == guard._read_prologue(two, base, {}, base, 0)
        assert guard._prologue(two, base) == guard._read_prologue(two, base, {}, base, 0)  # now remembered
    finally:
        guard._PROLOGUES = kept


_READ_ON: list[bool] = []


def test_the_texts_above_were_often_read_on_from_remembered_declarations() -> None:
    """The generator makes texts that share declarations (else the test above proves nothing)."""
    if not _READ_ON:
        test_a_prologue_read_on_from_remembered_declarations_is_read_as_afresh()
    assert sum(_READ_ON) >= examples(FAST.max_examples) // 8, sum(_READ_ON)  # one in eight: 50 of 400


def test_remembered_prologues_are_bounded() -> None:
    prologues = guard._Prologues(max_entries=4)
    for i in range(10):
        prologues.remember(f"PREFIX p{i}: <http://example.org/{i}/> ", None, {f"p{i}": "x"}, None)
    assert sum(len(v) for v in prologues._by_head.values()) <= 4


def test_declarations_are_remembered_safely_from_several_threads() -> None:
    """Long queries are inspected on threads while others are on the event loop: remembering
    declarations at the same time must never raise (an in-place sort of a shared list raised
    `ValueError: list modified during sort`, a 500 for the query)."""
    memo = guard._Prologues(max_entries=1 << 30)
    head = "PREFIX shared-head-of-every-declaration: <http://example.org/"
    failures: list[BaseException] = []

    def remember(thread: int) -> None:
        try:
            for i in range(1500):
                memo.remember(f"{head}{thread}/{i}>", None, {"p": "http://example.org/"}, None)
        except Exception as exc:
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=remember, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    memo.remember(f"{head}last>", None, {"p": "http://example.org/"}, None)  # (threads may lose a few: a memo)
    assert memo.find(f"{head}last> SELECT * {{}}", None) == (len(f"{head}last>"), {"p": "http://example.org/"}, None)
