"""The OS layers against egress. KG_WORKER_SANDBOX=required: each worker's seccomp filter, proven by
its probe (else the start is refused with the reason), plus a network namespace where the host gives
one; off: neither, loudly. /health and the log say what the probes proved. With no OS layer the guard
alone still refuses every egress spelling end to end and nothing reaches out."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.sparql.pool import WorkerPool
from graph_service.sparql.sandbox import network_sandbox
from graph_service.web.app import create_app
from tests.helpers import base_settings, listening_socket, settings_env
from tests.service.egress import CountingListener, counting_listener, dataset_queries, service_queries

HTTP_BUDGET = settings(
    derandomize=True,
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def no_unshare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH without `unshare`: a host that cannot give a network-less sandbox."""
    monkeypatch.setenv("PATH", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def listener() -> Iterator[CountingListener]:
    with counting_listener() as running:
        yield running


def _run_in_worker(client: TestClient, query: str) -> None:
    """Send a query straight to a worker, past the guard (what the sandbox alone must stop)."""
    pool = client.app.state.runtime.engine.pool  # type: ignore[attr-defined]
    header = {"query": query, "results_format": "JSON", "graph_format": "TURTLE", "max_rows": 10, "union": True}
    assert client.portal is not None
    client.portal.call(functools.partial(pool.run, header, deadline_s=10))


# stand-ins for the seccomp binding, put first on the workers' PYTHONPATH: one whose library is
# missing (the import fails as pyseccomp's does), one that loads a filter refusing nothing
_NO_LIBSECCOMP = 'raise RuntimeError("Unable to find libseccomp")\n'
_HOLLOW_FILTER = """\
ALLOW = 0
class Attr:
    CTL_NNP = 3
    CTL_TSYNC = 4
def ERRNO(code): return code
class SyscallFilter:
    def __init__(self, defaction): pass
    def set_attr(self, attr, value): pass
    def add_rule(self, action, call, *args): pass
    def load(self): pass
"""
NO_OS_LAYER = {"guard": True, "network_namespace": False, "seccomp": False}
SECCOMP_ONLY = {"guard": True, "network_namespace": False, "seccomp": True}


@pytest.fixture
def binding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Replace pyseccomp in the workers by a module of the given source."""
    folder = tmp_path / "binding"
    folder.mkdir()

    def use(source: str) -> None:
        (folder / "pyseccomp.py").write_text(source)
        monkeypatch.setenv("PYTHONPATH", str(folder))

    return use


def _refused(**overrides: Any) -> str:
    app = create_app(base_settings(**overrides))
    with pytest.raises(Exception, match=r"StartupRefused|network"), TestClient(app):
        pass
    report: str = app.state.startup_error
    assert "cannot be started without network access" in report and "KG_WORKER_SANDBOX=off" in report
    return report


def test_required_without_a_namespace_starts_on_the_seccomp_filter_alone(
    no_unshare: Path,
    make_client: Callable[..., TestClient],
    caplog: pytest.LogCaptureFixture,
    listener: CountingListener,
) -> None:
    with caplog.at_level(logging.INFO):
        client = make_client(worker_sandbox="required")
    messages = [r.getMessage() for r in caplog.records]
    assert any("no network namespace for the query workers" in m and "unshare" in m for m in messages)
    assert any(
        "egress layers (proven by the workers' probes): guard on, network namespace OFF, seccomp on" in m
        for m in messages
    )
    health = client.get("/health").json()
    assert health["egress"] == SECCOMP_ONLY and health["network_sandbox"] is True
    before = listener.connections  # past the guard, straight to a worker: the filter alone stops it
    with pytest.raises(Exception):  # noqa: B017 (whatever the worker answers, it must not connect)
        _run_in_worker(client, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        raise RuntimeError("answered")
    assert listener.connections == before
    assert client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}).status_code == 200


@pytest.mark.slow
def test_under_the_filter_alone_no_generated_spelling_reaches_out(
    no_unshare: Path, make_client: Callable[..., TestClient], listener: CountingListener
) -> None:
    """The guard's adversarial spellings of SERVICE, sent straight to a worker past the guard: the
    filter alone stops every one (the same worker without it connects: test_off_uses_no_os_layer...)."""
    client = make_client(worker_sandbox="required")
    assert client.get("/health").json()["egress"] == SECCOMP_ONLY
    start = listener.connections
    sent: list[str] = []

    @HTTP_BUDGET
    @given(data=st.data())
    def send(data: st.DataObject) -> None:
        query = data.draw(service_queries(listener.url))
        sent.append(query)
        _run_in_worker(client, query)
        assert listener.connections == start, f"reached the listener:\n{query}"

    send()
    assert len(sent) >= 80 and listener.connections == start


def test_the_start_is_refused_when_the_filter_cannot_be_installed(
    no_unshare: Path, binding: Callable[[str], None]
) -> None:
    binding(_NO_LIBSECCOMP)
    assert "the seccomp filter could not be installed (RuntimeError: Unable to find libseccomp)" in _refused()


def test_the_start_is_refused_when_the_filter_refuses_nothing(no_unshare: Path, binding: Callable[[str], None]) -> None:
    binding(_HOLLOW_FILTER)  # installs "fine": only the probe can tell
    assert "still reached a listener on 127.0.0.1" in _refused()


def test_the_start_is_refused_even_with_a_namespace_when_the_filter_fails(binding: Callable[[str], None]) -> None:
    if not network_sandbox():
        pytest.skip("this host cannot give a network namespace")
    binding(_HOLLOW_FILTER)
    assert "the worker's probe does not show the filter (seccomp mode 0" in _refused()


def test_an_unshare_that_leaves_the_network_is_not_a_namespace(
    no_unshare: Path, make_client: Callable[..., TestClient]
) -> None:
    fake = no_unshare / "unshare"
    fake.write_text('#!/bin/sh\nwhile [ "${1#-}" != "$1" ]; do shift; done\nexec "$@"\n')  # drops its options
    fake.chmod(0o755)
    assert network_sandbox() == []
    assert make_client().get("/health").json()["egress"] == SECCOMP_ONLY


@pytest.mark.e2e
def test_the_server_exits_with_the_reason(no_unshare: Path, binding: Callable[[str], None]) -> None:
    binding(_NO_LIBSECCOMP)
    env = {
        **settings_env(base_settings(worker_sandbox="required")),
        "PATH": str(no_unshare),
        "PYTHONPATH": os.environ["PYTHONPATH"],
    }
    with listening_socket() as sock:
        command = [sys.executable, "-m", "graph_service.cli", "serve", "--fd", str(sock.fileno())]
        run = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, check=False, pass_fds=(sock.fileno(),)
        )
    assert run.returncode == 1
    assert "Unable to find libseccomp" in run.stderr + run.stdout
    assert "KG_WORKER_SANDBOX=off" in run.stderr + run.stdout


def test_off_uses_no_os_layer_even_where_the_host_has_them(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture, listener: CountingListener
) -> None:
    with caplog.at_level(logging.INFO):
        client = make_client(worker_sandbox="off")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("KG_WORKER_SANDBOX=off: query workers run with no OS layer" in m for m in warnings)
    assert any("network namespace OFF, seccomp OFF" in m and "guard is the only layer" in m for m in warnings)
    health = client.get("/health").json()
    assert health["egress"] == NO_OS_LAYER and health["network_sandbox"] is False
    before = listener.connections  # off is off: a worker reaches the listener, namespace or not
    _run_in_worker(client, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections > before


def test_with_the_sandbox_off_the_guard_alone_refuses_every_spelling(
    no_unshare: Path, make_client: Callable[..., TestClient], listener: CountingListener
) -> None:
    client = make_client(worker_sandbox="off")
    # without the sandbox a worker does reach the listener: the guard is all that stands between
    before = listener.connections
    _run_in_worker(client, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections > before
    start = listener.connections
    statuses: list[int] = []

    @HTTP_BUDGET
    @given(data=st.data())
    def send(data: st.DataObject) -> None:
        query = data.draw(service_queries(listener.url))
        response = client.post("/sparql", data={"query": query})
        statuses.append(response.status_code)
        if response.status_code != 400:  # not refused: then the engine must not read it as SERVICE
            assert response.json().get("code") != "service-refused"
        assert listener.connections == start, f"reached the listener:\n{query}"

    send()
    assert len(statuses) >= 80 and listener.connections == start


def test_with_the_sandbox_off_generated_from_clauses_are_refused(
    no_unshare: Path, make_client: Callable[..., TestClient]
) -> None:
    client = make_client(worker_sandbox="off")

    @HTTP_BUDGET
    @given(query=dataset_queries())
    def send(query: str) -> None:
        response = client.post("/sparql", data={"query": query})
        assert "SECRET" not in response.text
        if response.status_code == 200:
            raise AssertionError(f"a query naming a graph the service does not hold was run:\n{query}")

    send()


def test_with_both_layers_a_worker_cannot_reach_out(
    make_client: Callable[..., TestClient], listener: CountingListener, caplog: pytest.LogCaptureFixture
) -> None:
    if not network_sandbox():
        pytest.skip("this host cannot give a network-less sandbox")
    with caplog.at_level(logging.INFO):
        client = make_client()
    assert any("guard on, network namespace on, seccomp on" in r.getMessage() for r in caplog.records)
    assert client.get("/health").json()["egress"] == {"guard": True, "network_namespace": True, "seccomp": True}
    before = listener.connections
    with pytest.raises(Exception):  # noqa: B017 (whatever the worker answers, it must not connect)
        _run_in_worker(client, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        raise RuntimeError("answered")
    assert listener.connections == before


DATA = b"".join(f'<http://e.test/s{i}> <http://e.test/p> "v{i}" <http://e.test/g> .\n'.encode() for i in range(200))


def _with_pool(queries: list[str], **options: Any) -> tuple[list[dict[str, Any]], list[bytes], dict[str, bool]]:
    """Start one worker with `options`, run `queries` straight on it (past the guard), close it."""

    async def main() -> tuple[list[dict[str, Any]], list[bytes], dict[str, bool]]:
        pool = WorkerPool(1, DATA, {}, **options)
        await pool.start()
        try:
            headers, bodies = [], []
            for query in queries:
                header = {
                    "query": query,
                    "results_format": "TSV",
                    "graph_format": "N_TRIPLES",
                    "max_rows": 1000,
                    "union": True,
                }
                reply = await pool.run(header, deadline_s=30)
                headers.append(reply.header)
                bodies.append(reply.body if reply.stream is None else b"".join([c async for c in reply.stream]))
            return headers, bodies, pool.egress
        finally:
            await pool.close()

    return asyncio.run(main())


def test_under_the_filter_alone_a_worker_reaches_no_listener(listener: CountingListener) -> None:
    port = listener.port
    targets = [f"<{listener.url}>", f"<http://localhost:{port}/>", f"<http://[::1]:{port}/>"]
    queries = [f"SELECT * WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }}" for t in targets]
    queries.append(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
    before = listener.connections
    headers, _, egress = _with_pool(queries, seccomp=True)  # no namespace: the filter alone
    assert egress == SECCOMP_ONLY
    assert listener.connections == before
    assert all("Operation not permitted" in h.get("message", "") for h in headers[:2]), headers
    assert not headers[2]["ok"] and headers[3]["ok"]  # [::1] fails too; SILENT hides the refusal
    # the same queries on a worker without the filter do reach it (so the count above can fail)
    _with_pool(queries[:1])
    assert listener.connections == before + 1


def test_pyoxigraph_answers_as_usual_under_the_filter() -> None:
    """Threads, memory, hashing, random numbers, clocks, regular expressions, sorting, paths: only
    the network is refused."""
    exact = [
        "SELECT ?s ?o WHERE { ?s <http://e.test/p> ?o FILTER(REGEX(?o, '^v1[0-9]$')) } ORDER BY DESC(?o)",
        "SELECT (COUNT(*) AS ?n) (SAMPLE(MD5(?o)) AS ?h) (MAX(SHA256(?o)) AS ?x) WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s <http://e.test/p>+ ?o } ORDER BY ?s LIMIT 3",
        "CONSTRUCT { ?o <http://e.test/q> ?s } WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5",
        "ASK { GRAPH <http://e.test/g> { ?s ?p 'v7' } }",
    ]
    varying = ["SELECT (UUID() AS ?u) (STRUUID() AS ?v) (RAND() AS ?r) (NOW() AS ?n) (BNODE() AS ?b) WHERE {}"]
    headers, bodies, egress = _with_pool(exact + varying, seccomp=True)
    assert egress["seccomp"] is True
    assert all(h["ok"] for h in headers), headers
    store = ox.Store()
    store.extend(ox.parse(DATA, format=ox.RdfFormat.N_QUADS))
    for query, body in zip(exact, bodies, strict=False):
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            expected = result.serialize(format=ox.QueryResultsFormat.TSV)
        else:
            expected = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        assert body == expected, query
    assert bodies[-1].count(b"\n") == 2 and b"urn:uuid:" in bodies[-1]
