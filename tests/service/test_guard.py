"""The guard: SERVICE, updates and unknown FROM graphs refused before any engine sees the query."""

from __future__ import annotations

import pytest

from graph_service.problems import ProblemError
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
