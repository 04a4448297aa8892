"""Differential egress tests: every generated spelling runs through pyoxigraph in-process against
a listener on 127.0.0.1 that counts connections; whatever makes the engine connect, or read a graph
the guard was not told about, must be refused by the guard."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.problems import ProblemError
from graph_service.sparql.guard import inspect_query
from tests.helpers import examples
from tests.service.egress import (
    PUBLIC_GRAPH,
    SECRET_GRAPH,
    SECRET_VALUE,
    CountingListener,
    counting_listener,
    dataset_queries,
    engine_answer,
    service_queries,
)

BASE = "https://w3id.org/achats-numeriques-responsables/"
KNOWN = {PUBLIC_GRAPH}
FAST = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LARGE = settings(FAST, max_examples=1_500)


@pytest.fixture(scope="module")
def listener() -> Iterator[CountingListener]:
    with counting_listener() as running:
        yield running


@pytest.fixture(scope="module")
def store() -> ox.Store:
    st_ = ox.Store()
    st_.add(ox.Quad(ox.NamedNode("http://public.test/s"), ox.NamedNode("http://public.test/p"), ox.Literal("public")))
    st_.add(
        ox.Quad(
            ox.NamedNode("http://secret.test/s"),
            ox.NamedNode("http://secret.test/p"),
            ox.Literal(SECRET_VALUE),
            ox.NamedNode(SECRET_GRAPH),
        )
    )
    return st_


def refused(query: str) -> bool:
    try:
        inspect_query(query, KNOWN, base_iri=BASE)
    except ProblemError as exc:
        assert exc.status == 400
        return True
    return False


def run_engine(store: ox.Store, query: str) -> bytes | None:
    """The engine's answer (normalized by the kit), or None when it refuses the query."""
    return engine_answer(store, query, BASE)


def connects(store: ox.Store, listener: CountingListener, query: str) -> bool:
    before = listener.connections
    run_engine(store, query)
    return listener.connections > before


def reads_secret(store: ox.Store, query: str) -> bool:
    answer = run_engine(store, query)
    return answer is not None and (answer == b"true" or SECRET_VALUE.encode() in answer)


def test_the_oracles_can_fail(store: ox.Store, listener: CountingListener) -> None:
    """The engine does connect and does read the secret graph when asked plainly."""
    assert connects(store, listener, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert connects(store, listener, f"SELECT * WHERE {{ SERVICESILENT<{listener.url}x>{{ ?s ?p ?o }} }}")
    assert reads_secret(store, f"SELECT * FROM <{SECRET_GRAPH}> WHERE {{ ?s ?p ?o }}")
    assert reads_secret(store, f"ASK FROM <{PUBLIC_GRAPH}> FROMNAMED<{SECRET_GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert not reads_secret(store, f"ASK FROM <{PUBLIC_GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICESILENT<{url}x>{{ ?s ?p ?o }} }}",
        "PREFIX ab: <{url}> SELECT * WHERE {{ SERVICEab:x {{ ?s ?p ?o }} }}",
        'SELECT * WHERE {{ BIND("x\\u005C" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        "SELECT * WHERE {{ ?s ?p trueSERVICE<{url}>{{}} }}",
        'SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b#>"""\n) SERVICE <{url}> {{}} #"""\n }}',
        "SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b#>'''\n) SERVICE <{url}> {{}} #'''\n }}",
        "SELECT * WHERE {{ ?s ?p '''x' SERVICE <{url}> {{}} }}",
    ],
)
def test_spellings_from_the_issue_connect_and_are_refused(
    template: str, store: ox.Store, listener: CountingListener
) -> None:
    query = template.format(url=listener.url)
    assert refused(query)
    if "'''x'" not in query:  # that one is not valid SPARQL; the others do reach the network
        assert connects(store, listener, query)


def test_from_named_glued_reads_the_graph_and_is_refused(store: ox.Store) -> None:
    query = f"SELECT * FROM <{PUBLIC_GRAPH}> FROMNAMED<{SECRET_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert reads_secret(store, query) and refused(query)


def _differential(store: ox.Store, listener: CountingListener, budget: settings) -> dict[str, int]:
    """Run generated spellings of both kinds; count what reached the engine's network or secret."""
    seen = {"service": 0, "connected": 0, "dataset": 0, "read_secret": 0}

    @budget
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        query = data.draw(service_queries(listener.url))
        seen["service"] += 1
        if connects(store, listener, query):
            seen["connected"] += 1
            assert refused(query), f"the engine connected, the guard let it through:\n{query}"
        query = data.draw(dataset_queries())
        seen["dataset"] += 1
        if reads_secret(store, query):
            seen["read_secret"] += 1
            assert refused(query), f"the engine read the secret graph, the guard let it through:\n{query}"

    run()
    return seen


def test_generated_spellings_that_reach_out_are_all_refused(store: ox.Store, listener: CountingListener) -> None:
    budget = examples(FAST.max_examples)  # the hypothesis test is built here: tests/conftest.py cannot scale it
    seen = _differential(store, listener, settings(FAST, max_examples=budget))
    print(seen)  # figures for the README (pytest -s)
    assert seen["service"] >= budget and seen["dataset"] >= budget
    # the generators are worth something only if many of their spellings do reach out
    assert seen["connected"] >= seen["service"] // 10
    assert seen["read_secret"] >= seen["dataset"] // 10


@pytest.mark.slow
def test_generated_spellings_large_budget(store: ox.Store, listener: CountingListener) -> None:
    seen = _differential(store, listener, LARGE)
    print(seen)
    assert seen["connected"] >= seen["service"] // 10
