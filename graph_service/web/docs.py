"""`/docs`: the OpenAPI browser, offline.

Swagger UI's files come from the `fastapi-offline` package (mounted at /static/api-docs by app.py) and
the page's start-up script is a file of /static: the page policy of every other page (`script-src
'self'`, no inline script or style) holds here too. No /redoc: ReDoc writes its styles inline, which
that policy refuses, and it would only repeat /docs.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
ASSETS = "/static/api-docs"
TITLE = "Responsible digital procurement: API"


def _page(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{ASSETS}/favicon.png">
{head}</head>
<body>{body}</body></html>
"""


DOCS = _page(
    TITLE,
    f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">\n<link rel="stylesheet" href="/static/docs.css">\n',
    f'<main id="swagger-ui"></main>\n<script src="{ASSETS}/swagger-ui-bundle.js"></script>\n'
    '<script src="/static/docs.js"></script>\n',
)
@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(DOCS)
