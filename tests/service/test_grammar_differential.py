"""Grammar differential: queries generated from the SPARQL grammar (`grammar_fuzz`) run through the
guard and through pyoxigraph in-process, beside a listener on 127.0.0.1 that counts connections and
a hidden graph. Per query:

- the engine connects, or reads the hidden graph, on the text as sent: the guard refused it;
- the guard accepts: the text it hands the engine makes no connection and reads no hidden graph, and
  answers as the text as sent does (or both fail).

`make fuzz` runs FUZZ_COUNT queries (1,000,000 by default) under the `fuzz` marker.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph_service.problems import ProblemError
from graph_service.sparql.guard import inspect_query
from tests.service.egress import (
    PUBLIC_GRAPH,
    SECRET_GRAPH,
    SECRET_VALUE,
    CountingListener,
    counting_listener,
)
from tests.service.egress import engine_answer as _engine_answer
from tests.service.grammar_fuzz import Gen

BASE = "https://w3id.org/achats-numeriques-responsables/"
KNOWN = {PUBLIC_GRAPH}
SEED = 20_2026


@pytest.fixture(scope="module")
def listener() -> Iterator[CountingListener]:
    with counting_listener() as running:
        yield running


def make_store() -> ox.Store:
    """The public triples in the default graph and in the known graph; the secret in a hidden one."""
    store = ox.Store()
    s, p = ox.NamedNode("http://public.test/s"), ox.NamedNode("http://public.test/p")
    store.add(ox.Quad(s, p, ox.Literal("public")))
    store.add(ox.Quad(s, p, ox.Literal("x", language="en")))
    store.add(ox.Quad(s, p, ox.NamedNode("http://e.test/x.y")))  # a solution for the attack to join
    store.add(ox.Quad(s, p, ox.Literal("public"), ox.NamedNode(PUBLIC_GRAPH)))
    store.add(
        ox.Quad(
            ox.NamedNode("http://secret.test/s"),
            ox.NamedNode("http://secret.test/p"),
            ox.Literal(SECRET_VALUE),
            ox.NamedNode(SECRET_GRAPH),
        )
    )
    return store


def differential(count: int, seed: int, listener: CountingListener, report_every: int = 0) -> dict[str, int]:
    """Run `count` generated queries; assert the invariants; return the figures."""
    store = make_store()
    gen = Gen(seed, listener.url)
    seen = dict.fromkeys(
        (
            "queries",
            "accepted",
            "refused",
            "dangerous",
            "engine_connected",
            "engine_read_secret",
            "connections",
            "mismatches",
            "both_failed",
        ),
        0,
    )
    mismatches: list[str] = []
    for n in range(count):
        if report_every and n and n % report_every == 0:
            print(seen, flush=True)
        query = gen.query()
        seen["queries"] += 1
        seen["dangerous"] += gen.dangerous
        try:
            info = inspect_query(query, KNOWN, base_iri=BASE)
        except ProblemError as exc:
            assert exc.status == 400, query
            info = None
        before = listener.connections
        original = answer(store, query)
        connected = listener.connections > before
        read_secret = original is not None and SECRET_VALUE.encode() in original
        seen["engine_connected"] += connected
        seen["engine_read_secret"] += read_secret
        if info is None:
            seen["refused"] += 1
            continue
        seen["accepted"] += 1
        assert not connected, f"the engine connected on a query the guard accepted:\n{query!r}"
        assert not read_secret, f"the engine read the hidden graph on a query the guard accepted:\n{query!r}"
        before = listener.connections
        written = answer(store, info.text)
        seen["connections"] += listener.connections - before
        assert listener.connections == before, f"the guard's text connected:\n{query!r}\n{info.text!r}"
        assert written is None or SECRET_VALUE.encode() not in written, f"read the hidden graph:\n{info.text!r}"
        if original is None and written is None:
            seen["both_failed"] += 1
        elif original != written:
            seen["mismatches"] += 1
            mismatches.append(f"{query!r}\n  -> {info.text!r}\n  {original!r} != {written!r}")
    assert not mismatches, f"{len(mismatches)} answers differ; first:\n" + "\n".join(mismatches[:5])
    return seen


def test_the_attack_of_issue_20_connects_and_is_refused(listener: CountingListener) -> None:
    query = f"PREFIX ab: <http://e.test/>\nSELECT * WHERE {{ ?s ?p ab:x.y.SERVICE<{listener.url}>{{ ?s ?p ?o }} }}"
    before = listener.connections
    answer(make_store(), query)
    assert listener.connections > before  # the oracle can fail: the engine does call out
    with pytest.raises(ProblemError) as refused:
        inspect_query(query, KNOWN, base_iri=BASE)
    assert refused.value.code == "service-refused"
    assert (refused.value.extra["line"], refused.value.extra["column"]) == (2, 31)  # the word SERVICE


def test_generated_queries_hold_the_invariants(listener: CountingListener) -> None:
    seen = differential(20_000, SEED, listener)
    print(seen)  # figures for the README (pytest -s)
    # the generator is worth something only if many of its queries are dangerous and many pass
    assert seen["engine_connected"] >= 400 and seen["engine_read_secret"] >= 700
    assert seen["accepted"] >= 5_000


@pytest.mark.fuzz
@pytest.mark.skipif("FUZZ_COUNT" not in os.environ, reason="make fuzz sets FUZZ_COUNT")
def test_fuzz_many(listener: CountingListener) -> None:
    count = int(os.environ["FUZZ_COUNT"])
    seed = int(os.environ.get("FUZZ_SEED", SEED))
    started = time.monotonic()
    seen = differential(count, seed, listener, report_every=10_000)
    print(seen, f"{time.monotonic() - started:.0f} s", flush=True)


def test_the_attack_through_the_service_is_refused_and_reaches_nothing(
    make_client: Callable[..., TestClient], listener: CountingListener
) -> None:
    """The whole path (API, guard, engine, a local worker without the sandbox): refused, no call."""
    client = make_client(worker_sandbox="off")
    query = f"PREFIX ab: <http://e.test/>\nSELECT * WHERE {{ ?s ?p ab:x.y.SERVICE<{listener.url}>{{ ?s ?p ?o }} }}"
    before = listener.connections
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "service-refused"
    assert (response.json()["line"], response.json()["column"]) == (2, 31)
    assert listener.connections == before


WRITTEN_QUERY = r"""PREFIX ab: <http://e.test/>
SELECT ?x ?y ?n WHERE {BIND('''a service
from \\u0073 "s"'''AS?x)BIND(ab:x.y AS ?y)BIND(-1 AS ?n)}"""
WRITTEN_TEXT = (
    r'SELECT ?x ?y ?n WHERE { BIND( "a\u0020\u0073ervice\n\u0066rom\u0020\\\u00750073\u0020\"\u0073\"" AS ?x )'
    r" BIND( <http://e.te\u0073t/x.y> AS ?y ) BIND( -1 AS ?n ) }"
)


def test_the_service_runs_the_written_text_and_answers_as_the_query_would(
    make_client: Callable[..., TestClient],
) -> None:
    """What the engine runs is the guard's writing: prefixes expanded, strings re-escaped, one
    space between tokens; the answer is the one the query as sent gives."""
    assert inspect_query(WRITTEN_QUERY, KNOWN).text == WRITTEN_TEXT
    expected = answer(ox.Store(), WRITTEN_QUERY)
    assert expected is not None and expected == answer(ox.Store(), WRITTEN_TEXT)
    client = make_client(worker_sandbox="off")
    response = client.get(
        "/sparql", params={"query": WRITTEN_QUERY}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    row = response.json()["results"]["bindings"][0]
    (solution,) = ox.Store().query(WRITTEN_QUERY)  # type: ignore[misc]
    assert row["x"]["value"] == solution["x"].value == 'a service\nfrom \\u0073 "s"'
    assert row["y"]["value"] == solution["y"].value == "http://e.test/x.y"
    assert row["n"]["value"] == solution["n"].value == "-1"


def answer(store: ox.Store, query: str) -> bytes | None:
    """The engine's answer as the kit normalizes it (rows sorted, blank nodes named alike)."""
    return _engine_answer(store, query, BASE)
