"""The OS layer: workers without network, or a start refused unless KG_WORKER_SANDBOX=off; with it
off, the guard alone still refuses every egress spelling end to end and nothing reaches out."""

from __future__ import annotations

import functools
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.sparql.sandbox import network_sandbox
from graph_service.web.app import create_app
from tests.helpers import base_settings, free_port, settings_env
from tests.service.egress import CountingListener, counting_listener, dataset_queries, service_queries

HTTP_BUDGET = settings(derandomize=True, max_examples=80, deadline=None, database=None,
                       suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


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


def test_start_is_refused_without_a_sandbox(no_unshare: Path) -> None:
    app = create_app(base_settings(worker_sandbox="required"))
    with pytest.raises(Exception, match=r"StartupRefused|network"), TestClient(app):
        pass
    report = app.state.startup_error
    assert "cannot be started without network access" in report
    assert "unshare" in report and "KG_WORKER_SANDBOX=off" in report


def test_an_unshare_that_fails_also_refuses_the_start(no_unshare: Path) -> None:
    fake = no_unshare / "unshare"
    fake.write_text("#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n")
    fake.chmod(0o755)
    app = create_app(base_settings(worker_sandbox="required"))
    with pytest.raises(Exception, match=r"StartupRefused|network"), TestClient(app):
        pass
    assert "Operation not permitted" in app.state.startup_error


def test_an_unshare_that_leaves_the_network_is_not_a_sandbox(no_unshare: Path) -> None:
    fake = no_unshare / "unshare"
    fake.write_text('#!/bin/sh\nwhile [ "${1#-}" != "$1" ]; do shift; done\nexec "$@"\n')  # drops its options
    fake.chmod(0o755)
    assert network_sandbox() == []
    app = create_app(base_settings(worker_sandbox="required"))
    with pytest.raises(Exception, match=r"StartupRefused|network"), TestClient(app):
        pass
    assert "still reached this host's loopback" in app.state.startup_error


@pytest.mark.e2e
def test_the_server_exits_with_the_reason(no_unshare: Path) -> None:
    env = {**settings_env(base_settings(worker_sandbox="required")), "PATH": str(no_unshare)}
    command = [sys.executable, "-m", "graph_service.cli", "serve", "--port", str(free_port())]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert "KG_WORKER_SANDBOX=off" in run.stderr + run.stdout


def test_off_starts_warns_and_health_says_so(
    no_unshare: Path, make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client = make_client(worker_sandbox="off")
    assert any("KG_WORKER_SANDBOX=off" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert any("worker network sandbox OFF" in r.getMessage() for r in caplog.records)
    health = client.get("/health").json()
    assert health["egress_layers"] == {"query_guard": True, "worker_network_sandbox": False}


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


def test_with_the_sandbox_a_worker_cannot_reach_out(
    make_client: Callable[..., TestClient], listener: CountingListener, caplog: pytest.LogCaptureFixture
) -> None:
    if not network_sandbox():
        pytest.skip("this host cannot give a network-less sandbox")
    with caplog.at_level(logging.INFO):
        client = make_client()
    assert any("worker network sandbox on (" in r.getMessage() for r in caplog.records)
    assert client.get("/health").json()["egress_layers"]["worker_network_sandbox"] is True
    before = listener.connections
    with pytest.raises(Exception):  # noqa: B017 (whatever the worker answers, it must not connect)
        _run_in_worker(client, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        raise RuntimeError("answered")
    assert listener.connections == before
