"""The examples the query page (`/sparql` for browsers) offers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from graph_service.domain.examples import examples as catalog_examples
from graph_service.web.deps import runtime

router = APIRouter()


@router.get("/sparql/examples", summary="Named queries offered by the query page")
async def examples(request: Request) -> list[dict[str, Any]]:
    """The named queries of the queries folder: name, titles by language and query text."""
    found = catalog_examples(runtime(request).queries)
    return [{"name": e.name, "titles": e.titles, "query": e.query} for e in found]
