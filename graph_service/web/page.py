"""The query page for people: `/` and the examples it offers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.domain.examples import examples as catalog_examples
from graph_service.web.deps import runtime
from graph_service.web.document import describe_or_page

router = APIRouter()


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    """The query page for browsers, the service description for other clients."""
    return describe_or_page(request)


@router.get("/sparql/examples", summary="Named queries offered by the query page")
async def examples(request: Request) -> list[dict[str, Any]]:
    """The named queries of the queries folder: name, titles by language and query text."""
    found = catalog_examples(runtime(request).queries)
    return [{"name": e.name, "titles": e.titles, "query": e.query} for e in found]
