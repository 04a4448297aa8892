"""`/docs`: the OpenAPI browser, with its script in a static file (no inline script)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from graph_service.web.edge import PAGE_POLICY

router = APIRouter(include_in_schema=False)
SWAGGER = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
# The page policy, widened only to load Swagger UI's script and stylesheet from its CDN.
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", f"script-src 'self' {SWAGGER}/").replace(
    "style-src 'self'", f"style-src 'self' {SWAGGER}/"
)
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Responsible digital procurement: API</title>
<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>
"""


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": DOCS_POLICY})
