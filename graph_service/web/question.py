"""`/question?q=…`: the home page's question box, answered server side (no script), French first."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from graph_service.web.api.ask import asker
from graph_service.web.deps import runtime
from graph_service.web.html import html_page
from graph_service.web.request import public_url

router = APIRouter(include_in_schema=False)


@router.get("/question")
async def question(request: Request, q: str = Query("", max_length=300)) -> Response:
    """The answer to a question, as a page: how it was read, the rows, the SPARQL run, the sources."""
    state = runtime(request)
    site = state.publication.site(public_url(request, state.settings))
    found = asker(state).answer(q.strip()) if q.strip() else None
    return html_page(request, site, "question.html", question=q.strip(), found=found)
