"""Queries that may answer differently each time (NOW, RAND, UUID, STRUUID, BNODE; blank nodes made
by a CONSTRUCT) are run every time: never served from the answer cache, nor answered 304 from a
remembered tag. The decision reads the text as the parser would (any case, `\\u` escapes), and
conservatively (a name in a string or a comment counts too)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.sparql.engine import _VOLATILE, is_volatile

JSON = {"Accept": "application/sparql-results+json"}
SPELLINGS = [
    "SELECT (STRUUID() AS ?u) {}",
    "select (sTrUuId() as ?u) {}",
    "SELECT (strUUID  # a comment\n () AS ?u) {}",
    "SELECT (STR(UUID()) AS ?u) {}",
    "SELECT (bNode() AS ?u) {}",
    "SELECT (STR(RAND()) AS ?u) {}",
]
ESCAPED = ["SELECT (\\u0053TRUUID() AS ?u) {}", "SELECT ?x { ?x ?p '\\u004eow' }", "SELECT (R\\U00000041ND() AS ?u) {}"]


def values(client: TestClient, query: str, **headers: str) -> tuple[str, str]:
    answer = client.get("/sparql", params={"query": query}, headers={**JSON, **headers})
    assert answer.status_code == 200, answer.text
    return json.loads(answer.text)["results"]["bindings"][0]["u"]["value"], answer.headers["etag"]


@pytest.mark.parametrize("query", SPELLINGS)
def test_identical_volatile_queries_give_different_values(client: TestClient, query: str) -> None:
    seen = {values(client, query)[0] for _ in range(4)}  # the cache keeps an answer from its second run
    assert len(seen) == 4


def test_a_volatile_answer_is_not_answered_304_from_a_remembered_tag(client: TestClient) -> None:
    query = "SELECT (STRUUID() AS ?u) { } # again"
    for _ in range(3):  # a tag is remembered from the second time a request is answered
        value, tag = values(client, query)
    again = client.get("/sparql", params={"query": query}, headers={**JSON, "If-None-Match": tag})
    assert again.status_code == 200
    assert json.loads(again.text)["results"]["bindings"][0]["u"]["value"] != value


def test_now_is_not_kept(client: TestClient) -> None:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    query = "SELECT (NOW() AS ?u) {}"
    for _ in range(3):
        values(client, query)
    hits = engine.cache.hits
    values(client, query)
    assert engine.cache.hits == hits


def test_blank_nodes_made_by_a_construct_are_made_anew(client: TestClient) -> None:
    query = "CONSTRUCT { [] <urn:p> 1 } WHERE {}"
    bodies = {
        client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}).text
        for _ in range(4)
    }
    assert len(bodies) == 4


@pytest.mark.parametrize(
    ("query", "form"),
    [
        *((q, "SELECT") for q in SPELLINGS + ESCAPED),
        ("SELECT ?s { ?s ?p 'now' }", "SELECT"),  # stricter than needed: a name in a string counts
        ("SELECT ?s { ?s ?p ?o } # rand()", "SELECT"),
        ("PREFIX f: <urn:x#> SELECT (f:NOW() AS ?x) {}", "SELECT"),
        ("CONSTRUCT { _:b <urn:p> ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ],
)
def test_volatile_texts(query: str, form: str) -> None:
    assert is_volatile(query, form)


@pytest.mark.parametrize(
    "query",
    ["SELECT ?s { ?s <http://xmlns.com/foaf/0.1/knows> ?o }", "SELECT ?s { ?s ?p [] }", "ASK { ?s ?p 'random' }"],
)
def test_deterministic_texts(query: str) -> None:
    assert not is_volatile(query, "SELECT")


_NAME_PIECES = [
    "now",
    "NOW",
    "nOw",
    "rand",
    "RaNd",
    "uuid",
    "UUID",
    "uuıd",
    "UUİD",
    "bnode",
    "BNode",
    "struuid",
    "nowx",
    "no",
    "w",
    "ran",
    "d",
    "u",
    "i",
    "ı",
    "İ",
    "K",
    "ſ",
    "b",
    "node",
    " ",
    "(",
    "?x",
    "é",
    "_",
]


@settings(derandomize=True, max_examples=1500, deadline=None, database=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=12))
def test_the_quick_first_look_never_changes_the_verdict(pieces: list[str]) -> None:
    """The lowered-text look before the case-blind regex rejects only texts the regex rejects."""
    text = "".join(pieces)
    assert is_volatile(text, "SELECT") == bool(_VOLATILE.search(text))
