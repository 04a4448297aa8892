"""The JSON API router: every /api route; state comes from `request.app.state` (see state.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from graph_service.web.api import categories, coverage, cpv, criteria, families, labels, laws, paths, queries
from graph_service.web.api.common import NOT_ACCEPTABLE, negotiated


def api_router() -> APIRouter:
    """All /api routes; mount with `app.include_router(api_router())`."""
    router = APIRouter(prefix="/api", dependencies=[Depends(negotiated)], responses=NOT_ACCEPTABLE)
    for module in (labels, categories, coverage, families, laws, criteria, cpv, queries, paths):
        router.include_router(module.router)
    return router
