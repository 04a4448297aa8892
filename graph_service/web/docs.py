"""`/docs`: the OpenAPI browser, with its script in a static file (no inline script)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from graph_service.rendering import render
from graph_service.web.edge import PAGE_POLICY

router = APIRouter(include_in_schema=False)
SWAGGER = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
# The page policy, widened only to load Swagger UI's script and stylesheet from its CDN.
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", f"script-src 'self' {SWAGGER}/").replace(
    "style-src 'self'", f"style-src 'self' {SWAGGER}/"
)


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(render("docs.html", swagger=SWAGGER), headers={"Content-Security-Policy": DOCS_POLICY})
