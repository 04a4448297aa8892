"""The guard: SERVICE, updates and unknown FROM graphs refused before any engine sees the query."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_service.problems import ProblemError
from graph_service.sparql import guard, lexer
from graph_service.sparql.guard import inspect_query

G = "https://w3id.org/achats-numeriques-responsables/graph/labels"
KNOWN = {G}


def refusal(query: str) -> str:
    with pytest.raises(ProblemError) as caught:
        inspect_query(query, KNOWN)
    assert caught.value.status == 400
    return caught.value.code


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "select * where { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE<http://x/>{?s ?p ?o} }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "PREFIX e: <http://e/>\nSELECT * WHERE { ?s e:a\\#b ?o . SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p 'it''s' . SERVICE <http://x/> {} } # 'comment",
        'SELECT * WHERE { ?s ?p """a "quoted" text""" } \n; SERVICE <http://x/> {}',
    ],
)
def test_service_is_refused(query: str) -> None:
    assert refusal(query) == "service-refused"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p 'SERVICE <http://x/> {}' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
        "PREFIX service: <http://e/>\nSELECT * WHERE { ?s service:SERVICE ?o }",
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o }",
    ],
)
def test_the_word_service_elsewhere_is_fine(query: str) -> None:
    assert inspect_query(query, KNOWN).form == "SELECT"


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "PREFIX e: <http://e/>\nDELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://e/g>",
    ],
)
def test_updates_are_refused(query: str) -> None:
    assert refusal(query) == "update-refused"


def test_from_a_graph_we_hold_is_accepted() -> None:
    info = inspect_query(f"SELECT * FROM <{G}> WHERE {{ ?s ?p ?o }}", KNOWN)
    assert info.from_graphs == (G,) and info.has_dataset_clause


def test_from_by_prefixed_name_and_base_is_resolved() -> None:
    base = "https://w3id.org/achats-numeriques-responsables/"
    info = inspect_query(f"BASE <{base}>\nPREFIX g: <graph/>\nSELECT * FROM NAMED g:labels {{ }}", KNOWN)
    assert info.from_named_graphs == (G,)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX x: <http://x/>\nSELECT * FROM x:g WHERE { ?s ?p ?o }",
    ],
)
def test_from_unknown_graph_is_refused(query: str) -> None:
    assert refusal(query) == "unknown-graph"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX a: <http://a/>\nASK { ?s ?p ?o }", "ASK"),
        ("construct where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/a>", "DESCRIBE"),
        ("SELEC * WHERE {}", None),
    ],
)
def test_query_form(query: str, form: str | None) -> None:
    assert inspect_query(query, KNOWN).form == form


GRAPHS = ["https://w3id.org/achats-numeriques-responsables/graph/anr"]
GRAPH_PREFIX = "PREFIX : <https://w3id.org/achats-numeriques-responsables/graph/> "


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:sparql { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { service:x { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE:x { ?s ?p ?o } } }",
    ],
)
def test_service_glued_to_a_prefixed_name_is_refused(query: str) -> None:
    with pytest.raises(ProblemError) as info:
        inspect_query(query, GRAPHS)
    assert info.value.code == "service-refused"


def test_from_glued_to_a_prefixed_name_is_read_as_from() -> None:
    info = inspect_query(GRAPH_PREFIX + "SELECT (COUNT(*) AS ?n) FROM:anr WHERE { ?s ?p ?o }", GRAPHS)
    assert info.from_graphs == (GRAPHS[0],)
    info = inspect_query(GRAPH_PREFIX + "SELECT * FROM NAMED:anr WHERE { GRAPH ?g { ?s ?p ?o } }", GRAPHS)
    assert info.from_named_graphs == (GRAPHS[0],)
    with pytest.raises(ProblemError) as refused:
        inspect_query(GRAPH_PREFIX + "SELECT * FROM:nowhere WHERE { ?s ?p ?o }", GRAPHS)
    assert refused.value.code == "unknown-graph"


def test_a_prefix_named_like_a_keyword_can_still_be_declared() -> None:
    info = inspect_query("PREFIX from: <http://example.org/> SELECT * WHERE { ?s ?p ?o }", GRAPHS)
    assert info.form == "SELECT"


def test_deep_nesting_is_refused_before_any_parser() -> None:
    with pytest.raises(ProblemError) as info:
        inspect_query("SELECT * WHERE {" + "{" * 5000 + "}" * 5000 + "}", GRAPHS)
    assert info.value.code == "too-deeply-nested"
    assert inspect_query("SELECT * WHERE {" + "{" * 50 + "}" * 50 + "}", GRAPHS).form == "SELECT"


ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/achats-numeriques-responsables/"


def _real_queries() -> list[tuple[str, str]]:
    files = [*sorted((ROOT / "queries").glob("*.rq")), *sorted((ROOT / "tests/service/fixtures/queries").glob("*.rq"))]
    found = [(path.name, path.read_text(encoding="utf-8")) for path in files]
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:  # the examples people copy
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(ROOT).as_posix()
        found += [
            (f"doc block {i} of {name}", block)
            for i, block in enumerate(re.findall(r"```sparql\n(.*?)```", text, re.S))
        ]
    return found


def test_there_are_real_queries_to_check() -> None:
    names = [name for name, _ in _real_queries()]
    assert len([n for n in names if n.endswith(".rq")]) >= 7
    assert any(n.endswith("of README.md") for n in names) and any(n.endswith("of docs/analysts.md") for n in names)


@pytest.mark.parametrize(("name", "query"), _real_queries())
def test_no_real_query_is_refused(name: str, query: str) -> None:
    assert inspect_query(query, KNOWN, base_iri=BASE).form in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICESILENT<http://127.0.0.1:9/x>{ ?s ?p ?o } }",
        "PREFIX ab: <http://127.0.0.1:9/> SELECT * WHERE { SERVICEab:x { ?s ?p ?o } }",
        'SELECT * WHERE { BIND("x\\u005C" AS ?a) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
        "SELECT * WHERE { ?s ?p trueSERVICE<http://x/>{} }",
        "SELECT * WHERE { ?s ?p 1SERVICE<http://x/>{} }",
        "SELECT * WHERE { ?s ?p ?o #c\rSERVICE <http://x/> {} }",
        'SELECT * WHERE { ?a ?b ?c FILTER(?a<?b#>"""\n) SERVICE <http://x/> {} #"""\n }',
        "SELECT * WHERE { ?s ?p '''x' SERVICE <http://x/> {} }",
        "PREFIX h: <http://[::1]> SELECT * WHERE { ?s ?p h:SERVICE<http://x/>{} }",
        "SELECT * WHERE { ?s ?p '\\u0027 SERVICE <http://x/> {} \\u0027' }",  # SPARQL 1.1 reading
    ],
)
def test_spellings_that_engine_reads_as_service_are_refused(query: str) -> None:
    assert refusal(query) == "service-refused"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROMNAMED<http://x/g> WHERE { ?s ?p ?o }",
        "ASKFROM<http://x/g>{}",
        "SELECT*FROM<http://x/g>{}",
        "SELECT * from\r<http://x/g> {}",
        f"SELECT * FROM <{G}> FROM #c\rNAMED <http://x/g> {{}}",
        "SELECT * FROM <http://x/\\u0067> {}",
        "PREFIX NAMED: <http://x/> PREFIX : <https://w3id.org/achats-numeriques-responsables/graph/> "
        "SELECT * FROM NAMED:labels {}",  # read as FROM <http://x/labels> by the engine
    ],
)
def test_spellings_of_from_naming_unknown_graphs_are_refused(query: str) -> None:
    assert refusal(query) == "unknown-graph"


def test_relative_iris_resolve_against_the_base() -> None:
    info = inspect_query("SELECT * FROM <graph/labels> {}", KNOWN, base_iri=BASE)
    assert info.from_graphs == (G,)
    info = inspect_query("BASE <graph/x/> SELECT * FROM NAMED <../labels> {}", KNOWN, base_iri=BASE)
    assert info.from_named_graphs == (G,)
    assert refusal("SELECT * FROM <graph/labels> {}") == "unknown-graph"  # no base: not resolved


def test_long_operator_chains_are_refused() -> None:
    # 7,000 `+` (14 KB) killed a worker with SIGSEGV; 3,000 BIND did too
    for query in (
        "SELECT (" + "+".join(["1"] * 7000) + " AS ?x) {}",
        "SELECT * { " + "".join(f"BIND(1 AS ?v{i})" for i in range(1100)) + " }",
        "SELECT * { " + "OPTIONAL{}" * 1100 + " }",
    ):
        with pytest.raises(ProblemError) as info:
            inspect_query(query, KNOWN)
        assert info.value.code == "too-complex"
    assert inspect_query("SELECT (" + "+".join(["1"] * 900) + " AS ?x) {}", KNOWN).form == "SELECT"
    rows = "SELECT * { VALUES (?a ?b) { " + "(1 2) " * 3000 + "} }"  # long VALUES lists are flat
    assert inspect_query(rows, KNOWN).form == "SELECT"


_AT_THE_LIMIT = {
    "plus": "SELECT (" + "+".join(["1"] * 995) + " AS ?x) {}",
    "bind": "SELECT * { " + "".join(f"BIND(1 AS ?v{i})" for i in range(995)) + " }",
    "minus": "SELECT * { " + "MINUS{}" * 995 + " }",
    "optional": "SELECT * { " + "OPTIONAL{}" * 995 + " }",
    "union": "SELECT * { " + "UNION".join(["{}"] * 995) + " }",
    "nested": "SELECT * { " + "{" * 197 + "FILTER(" + "+".join(["1"] * 780) + ")" + "}" * 197 + " }",
    "mul": "SELECT (" + "*".join(["1"] * 995) + " AS ?x) {}",
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(_AT_THE_LIMIT))
def test_the_largest_accepted_queries_do_not_crash_the_engine(kind: str) -> None:
    query = _AT_THE_LIMIT[kind]
    inspect_query(query, KNOWN)  # accepted by the guard
    code = (
        "import sys, pyoxigraph as ox\nr = ox.Store().query(sys.stdin.read())\nlist(r) if hasattr(r, '__iter__') else r"
    )
    run = subprocess.run([sys.executable, "-c", code], input=query, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-500:]


def test_relative_iris_are_answered_against_the_documented_base(client: TestClient) -> None:
    # a W3C protocol test: relative IRIs resolve against KG_BASE_IRI (the query's BASE wins)
    response = client.post(
        "/sparql", data={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200, response.text
    assert f"<{BASE}s> <{BASE}p> " in response.text
    response = client.post(
        "/sparql",
        data={"query": "BASE <http://other.test/> CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert "<http://other.test/s>" in response.text
    response = client.post(
        "/sparql",
        data={"query": "SELECT (COUNT(*) AS ?n) FROM <graph/labels> WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("name", "query"), [q for q in _real_queries() if q[0].startswith("doc block")])
def test_readme_examples_are_answered(name: str, query: str, client: TestClient) -> None:
    assert client.post("/sparql", data={"query": query}).status_code == 200


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("PREFIX service: <http://e/> SELECT * WHERE { GRAPH service:g { ?s ?p ?o } }", "service-refused"),
        ("PREFIX : <http://x/> PREFIX from: <http://y/> DESCRIBE from:x", "unknown-graph"),
    ],
)
def test_stricter_than_the_engine_where_no_real_query_goes(query: str, code: str) -> None:
    assert refusal(query) == code


def test_in_lists_are_flat() -> None:
    query = "SELECT * { FILTER(1 IN (" + ",".join(["1"] * 3000) + ")) }"
    assert inspect_query(query, KNOWN).form == "SELECT"


def test_many_absolute_iris_in_expressions_are_not_too_complex() -> None:
    # each `<…>` inside parentheses may be an IRI or less-than; `<http://…>` can only be an IRI
    lines = "\n".join(
        f"BIND(<http://www.w3.org/1999/02/22-rdf-syntax-ns#t{i}> AS ?t{i}) FILTER(?p = <http://e/a#{i}>)"
        for i in range(60)
    )
    assert inspect_query("SELECT * WHERE {\n" + lines + "\n}", KNOWN).form == "SELECT"


def _counting(monkeypatch: pytest.MonkeyPatch, name: str, weigh: Callable[..., int]) -> list[int]:
    """Replace lexer.`name` by a wrapper that adds `weigh(*args)` to the returned counter."""
    spent = [0]
    original = getattr(lexer, name)

    def counted(*args: Any) -> Any:
        spent[0] += weigh(*args)
        return original(*args)

    monkeypatch.setattr(lexer, name, counted)
    return spent


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * " + "FROM" * 4_000 + " {}",  # every FROM glued to the next is a keyword candidate
        "SELECT * { " + "SERVICE" * 2_000 + " }",
    ],
)
def test_many_glued_keyword_candidates_cost_linear_work(monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    # was quadratic (each candidate re-read the whole word): 20 s of the server's event loop
    calls = _counting(monkeypatch, "_is_pn_chars", lambda char: 1)
    read = _counting_prefix_reads(monkeypatch)
    guard._inspect_text(query, KNOWN, None)  # the reading; the written text is then refused
    with pytest.raises(ProblemError):
        guard.inspect_query(query, KNOWN)
    assert calls[0] <= 10 * len(query)
    assert 0 < read[0] <= 10 * len(query)


def _counting_prefix_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the characters the lexer's prefix-name pattern reads (a match, or a whole text)."""
    spent = [0]
    pattern = lexer._PN_CHAIN

    class Counted:
        def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
            found = pattern.match(text, pos)
            spent[0] += (found.end() if found else pos) - pos + 1
            return found

        def finditer(self, text: str) -> Any:
            spent[0] += len(text)
            return pattern.finditer(text)

    lexer._pn_chains.cache_clear()
    monkeypatch.setattr(lexer, "_PN_CHAIN", Counted())
    return spent


def test_many_less_than_with_escapes_cost_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # each `<` used to decode everything up to the far `>`: 15 s of the event loop for 20,000 chars
    query = "SELECT * { FILTER(" + "1<\\u0041" * 2_000 + ">1) }"
    decoded = _counting(monkeypatch, "unescape_iri", len)
    with pytest.raises(ProblemError):
        guard.inspect_query(query, KNOWN)
    assert decoded[0] <= 2 * len(query)


@pytest.mark.parametrize("unit", ['\\"', "\\'", "\n\\'''", '\\"?a'])
def test_many_strings_that_never_close_cost_linear_work(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    # each quote starts a string that reads on to the end: was quadratic, ~11 s for 20,000 chars
    query = "SELECT * { " + unit * (8_000 // len(unit))
    escapes = _counting(monkeypatch, "_escape_end", lambda text, offset: 1)
    with contextlib.suppress(ProblemError):
        guard.inspect_query(query, KNOWN)
    assert escapes[0] <= 2 * len(query)
