"""Readiness: the service answers 200 once the data is loaded, validated and workers run."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from graph_service.web.deps import runtime

router = APIRouter()


@router.get("/health", summary="Readiness, size and version of the data")
async def health(request: Request) -> JSONResponse:
    """Triple count, data version and the state of the query workers."""
    state = runtime(request)
    engine = state.engine
    pool = engine.pool
    alive = pool.alive
    ready = alive > 0
    body: dict[str, Any] = {
        "status": "ok" if alive >= pool.size else "degraded",
        "triples": state.triples,
        "data_version": state.version,
        "graphs": len(state.graphs),
        "workers": alive,
        "workers_configured": pool.size,
        "workers_replaced": pool.replaced,
        "worker_events": asdict(pool.stats),
        "network_sandbox": pool.sandboxed,
        "engine": state.settings.engine_url or "embedded",
        "egress": pool.egress,
        "queries_in_flight": engine.admission.in_flight,
        "queries_waiting": pool.waiting,
        "max_queries_held": engine.admission.limit,
        "startup_seconds": round(state.startup_s, 3),
        "cache": {"entries_bytes": engine.cache.size, "hits": engine.cache.hits, "misses": engine.cache.misses},
    }
    return JSONResponse(body, status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})
