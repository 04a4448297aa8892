"""Readiness: the service answers 200 once the data is loaded, validated and workers run."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from graph_service.api.deps import service_state

router = APIRouter()


@router.get("/health", summary="Readiness, size and version of the data")
async def health(request: Request) -> JSONResponse:
    """Triple count, data version and the state of the query workers."""
    state = service_state(request)
    engine = state.engine
    ready = engine.pool.alive > 0
    status = "ok" if engine.pool.alive >= engine.pool.size else "degraded: fewer query workers than configured"
    body: dict[str, Any] = {
        "status": status if ready else "no query worker running",
        "triples": state.triples,
        "data_version": state.version,
        "graphs": len(state.graphs),
        "workers": engine.pool.alive,
        "workers_replaced": engine.pool.replaced,
        "network_sandbox": engine.pool.sandboxed,
        "queries_in_flight": engine.admission.in_flight,
        "max_concurrent_queries": engine.admission.limit,
        "startup_seconds": round(state.startup_s, 3),
        "cache": {"entries_bytes": engine.cache.size, "hits": engine.cache.hits,
                  "misses": engine.cache.misses},
    }
    return JSONResponse(body, status_code=200 if ready else 503)
