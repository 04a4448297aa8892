"""A long query's guard runs off the event loop: cheap queries are answered meanwhile."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from graph_service.sparql import engine as engine_module
from graph_service.sparql.admission import Admission
from graph_service.sparql.engine import Limits, QueryEngine, QueryRequest
from graph_service.sparql.guard import QueryInfo
from graph_service.sparql.pool import WorkerPool
from tests.service.test_worker_pool import CHEAP, until, with_pool

ABOVE = 500
LONG = CHEAP + " #" + "x" * ABOVE


def test_a_long_guard_runs_on_a_thread_while_the_loop_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine_module.inspect_query  # type: ignore[attr-defined]
    long_guard_started = threading.Event()
    cheap_answered = threading.Event()
    guarded_on: dict[str, int] = {}
    order: list[str] = []

    def guard(query: str, graphs: Any, *, base_iri: str | None = None) -> QueryInfo:
        guarded_on["long" if len(query) > ABOVE else "short"] = threading.get_ident()
        if len(query) > ABOVE:
            long_guard_started.set()
            # held until the loop has answered a cheap query: on the loop itself, this would
            # hold the loop too, and the cheap query would come after it
            cheap_answered.wait(timeout=10)
            order.append("long query guarded")
        return real(query, graphs, base_iri=base_iri)

    monkeypatch.setattr(engine_module, "inspect_query", guard)

    async def scenario(pool: WorkerPool) -> None:
        limits = Limits(10, 100, 100_000, guard_thread_above=ABOVE)
        engine = QueryEngine(pool, Admission(8), limits, (), {})
        long = asyncio.ensure_future(engine.answer(QueryRequest(LONG)))
        await until(long_guard_started.is_set, "the long query's guard running")
        assert (await engine.answer(QueryRequest(CHEAP))).body
        order.append("cheap query answered")
        cheap_answered.set()
        assert (await long).body
        order.append("long query answered")
        guarded_on["loop"] = threading.get_ident()

    with_pool(scenario, size=2)
    assert order == ["cheap query answered", "long query guarded", "long query answered"]
    assert guarded_on["short"] == guarded_on["loop"] != guarded_on["long"]
