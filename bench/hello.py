"""The framework's ceiling: a FastAPI route that returns a constant SPARQL JSON answer."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

BODY = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"hello"}}]}}'

app = FastAPI()


@app.get("/sparql")
async def sparql() -> Response:
    """Always the same answer."""
    return Response(BODY, media_type="application/sparql-results+json")
