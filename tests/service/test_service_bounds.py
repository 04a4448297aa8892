"""Bounds of the query service over HTTP: answer size, memory, queue, recovery, disconnects."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from graph_service import runtime as runtime_module
from tests.helpers import Server, base_settings, wait_for
from tests.service.start_gate import StartGate
from tests.service.test_refusals import problem

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?y . ?t ?u ?v }"
DOUBLING = (
    'SELECT (STRLEN(?s18) AS ?n) { BIND("'
    + "x" * 1000
    + '" AS ?s0) '
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(18))
    + " }"
)
MakeClient = Callable[..., TestClient]


def pool_of(client: TestClient) -> Any:
    return client.app.state.runtime.engine.pool  # type: ignore[attr-defined]


def test_answer_over_the_byte_cap_gets_a_clear_400(make_client: MakeClient) -> None:
    client = make_client(max_answer_bytes=2_000)
    body = problem(client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"}), 400, "answer-too-large")
    assert body["max_answer_bytes"] == 2_000 and "2000 bytes" in str(body["detail"])
    assert client.get("/sparql", params={"query": SELECT}).status_code == 200


def test_large_answer_is_streamed_whole(make_client: MakeClient) -> None:
    client = make_client()
    query = 'SELECT * { ?a ?p ?x . ?b ?q ?y BIND("' + "z" * 400 + '" AS ?pad) } LIMIT 5000'
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200
    assert len(response.content) > 1 << 20 and response.text.count("\n") == 5001
    assert pool_of(client).busy == 0


def test_query_over_the_memory_bound_gets_a_clear_400_and_service_goes_on(make_client: MakeClient) -> None:
    client = make_client(workers=1, worker_memory_mb=600)
    body = problem(client.get("/sparql", params={"query": DOUBLING}), 400, "query-memory-exceeded")
    assert "memory" in str(body["detail"])
    assert client.get("/sparql", params={"query": SELECT}).status_code == 200
    assert pool_of(client).stats.lost == 1


def test_full_queue_refuses_with_429_before_reading_the_query(make_client: MakeClient) -> None:
    client = make_client(workers=1, query_queue=2)
    admission = client.app.state.runtime.engine.admission  # type: ignore[attr-defined]
    assert admission.limit == 3  # one running, two waiting
    for _ in range(2):
        assert admission.try_acquire()  # two queries held, one place left: this one is served
    try:
        assert client.get("/sparql", params={"query": SELECT}).status_code == 200
        assert admission.try_acquire()
        response = client.get("/sparql", params={"query": SELECT})
        problem(response, 429, "too-many-queries")
        assert int(response.headers["retry-after"]) >= 1
        # refused before the guard or the parser saw it: a refused query gets 429, not 400
        problem(client.get("/sparql", params={"query": "SELECT * { SERVICE <http://x/> {} }"}), 429, "too-many-queries")
        problem(
            client.post("/sparql", content="not sparql", headers={"Content-Type": "text/plain"}),
            429,
            "too-many-queries",
        )
        assert client.get("/health").status_code == 200
    finally:
        for _ in range(3):
            admission.release()


def test_health_tells_the_truth_while_workers_die_loading(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gate = StartGate(tmp_path)  # shut, a new worker waits before loading: it surely dies loading
    monkeypatch.setattr(runtime_module, "worker_sandbox", gate.before(runtime_module.worker_sandbox))  # type: ignore[attr-defined]
    client = make_client(workers=1, worker_respawn_max_s=0.1)
    pool = pool_of(client)
    assert client.get("/health").json()["status"] == "ok"
    gate.shut()
    os.kill(next(iter(pool._live)).process.pid, signal.SIGKILL)  # dies idle
    killed: list[int] = []
    seen: list[tuple[int, str, int, int]] = []
    while len(seen) < 5:  # each replacement is killed while it loads, but the fifth
        wait_for(lambda: any(pid not in killed for pid in pool.loading_pids()), "a replacement loading")
        health = client.get("/health")
        body = health.json()
        seen.append((health.status_code, body["status"], body["workers"], body["worker_events"]["failed_starts"]))
        if len(killed) < 4:
            pid = next(pid for pid in pool.loading_pids() if pid not in killed)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
    assert seen == [(503, "degraded", 0, failed) for failed in range(5)]
    gate.open()
    wait_for(lambda: client.get("/health").status_code == 200, "a worker again")
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["workers"] == 1
    assert health["worker_events"]["failed_starts"] == 4 and health["worker_events"]["died_idle"] == 1
    assert client.get("/sparql", params={"query": SELECT}).status_code == 200


@pytest.mark.e2e
@pytest.mark.slow
def test_client_that_disconnects_cancels_its_query() -> None:
    server = Server(base_settings(workers=1, query_timeout_s=120))
    try:
        server.wait_ready()
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.url + "/sparql", params={"query": ENDLESS}, timeout=1)  # then hangs up

        def events() -> dict[str, int]:
            stats: dict[str, int] = httpx.get(server.url + "/health").json()["worker_events"]
            return stats

        wait_for(lambda: events()["cancelled"] == 1, "the query cancelled")
        # the only worker is free again long before the 120 s deadline of the abandoned query
        assert httpx.get(server.url + "/sparql", params={"query": SELECT}, timeout=60).status_code == 200
        assert events()["timeouts"] == 0
    finally:
        server.stop()
