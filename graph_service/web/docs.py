"""`/docs`: the OpenAPI browser, offline.

Swagger UI's files come from the `fastapi-offline` package (mounted at /static/api-docs by app.py) and
the page's start-up script is a file of /static: the page policy of every other page (`script-src
'self'`, no inline script or style) holds here too. No /redoc: ReDoc writes its styles inline, which
that policy refuses, and it would only repeat /docs.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from graph_service.rendering import render

router = APIRouter(include_in_schema=False)
ASSETS = "/static/api-docs"


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(render("docs.html", assets=ASSETS))
