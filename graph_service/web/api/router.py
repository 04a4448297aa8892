"""The JSON API router: every /api route; state comes from `request.app.state` (see state.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from graph_service.config import Settings
from graph_service.named.catalog import Catalog, load_catalog
from graph_service.named.header import HeaderError
from graph_service.web.api import ask, categories, coverage, cpv, criteria, families, labels, laws, paths, queries
from graph_service.web.api.common import INVALID, NOT_ACCEPTABLE, REDIRECT, known_parameters, negotiated


def api_router(settings: Settings) -> APIRouter:
    """All /api routes; mount with `app.include_router(api_router(settings))`.

    The named queries are read here too, for their operations; a bad one also refuses the start.
    """
    router = APIRouter(
        prefix="/api",
        dependencies=[Depends(known_parameters), Depends(negotiated)],
        responses={**NOT_ACCEPTABLE, **INVALID, **REDIRECT},
    )
    for module in (labels, categories, coverage, families, laws, criteria, cpv, paths, ask):
        router.include_router(module.router)
    try:
        catalog = load_catalog(settings.queries_dir)
    except (HeaderError, OSError):
        catalog = Catalog([])  # the lifespan refuses to start and says why
    router.include_router(queries.named_query_router(catalog))
    return router
