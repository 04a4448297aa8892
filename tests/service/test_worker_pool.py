"""The worker pool on its own: answers, deadline kill and replacement, and the network sandbox."""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
import pytest

from graph_service.sparql.pool import WorkerPool, WorkerTimeoutError, network_sandbox
from tests.service.test_refusals import CountingListener

QUADS = ox.serialize(
    [ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)),
             ox.NamedNode("http://e/g")) for i in range(60)],
    format=ox.RdfFormat.N_QUADS,
) or b""


def request(query: str) -> dict[str, object]:
    return {"query": query, "results_format": "JSON", "graph_format": "TURTLE", "max_rows": 100,
            "union": True}


def test_deadline_kills_only_the_late_worker() -> None:
    async def scenario() -> tuple[int, int, bytes]:
        pool = WorkerPool(2, QUADS, {})
        await pool.start()
        try:
            slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?y }"
            late = asyncio.create_task(pool.run(request(slow), deadline_s=0.5))
            reply, body = await pool.run(request("ASK { ?s ?p ?o }"), deadline_s=5)
            assert reply["ok"] and b"true" in body
            with pytest.raises(WorkerTimeoutError):
                await late
            for _ in range(200):
                if pool.replaced == 1:
                    break
                await asyncio.sleep(0.02)
            count, _ = await pool.run(request("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), deadline_s=5)
            assert count["ok"]
            return pool.replaced, pool.alive, body
        finally:
            await pool.close()

    replaced, alive, _ = asyncio.run(scenario())
    assert (replaced, alive) == (1, 2)


@pytest.mark.skipif(not network_sandbox(), reason="this host cannot run workers without network")
def test_sandboxed_worker_cannot_connect_even_without_the_guard() -> None:
    listener = CountingListener()

    async def scenario() -> dict[str, object]:
        pool = WorkerPool(1, QUADS, {}, sandbox=network_sandbox())
        await pool.start()
        try:
            query = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
            reply, _ = await pool.run(request(query), deadline_s=5)  # straight to the engine
            return reply
        finally:
            await pool.close()

    reply = asyncio.run(scenario())
    assert listener.close() == 0
    assert not reply["ok"]
