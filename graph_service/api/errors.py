"""Problems rendered as `application/problem+json` (RFC 9457)."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from graph_service.sparql.problems import ProblemError

PROBLEM_JSON = "application/problem+json"


def problem_response(problem: ProblemError) -> Response:
    """The HTTP response for a problem."""
    body = json.dumps(problem.body(), ensure_ascii=False).encode()
    return Response(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


async def _on_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc)


async def _on_http(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    detail = {
        404: "Nothing here. The SPARQL endpoint is /sparql; the query page is /.",
        405: "This method is not allowed here. /sparql takes GET and POST (queries only).",
    }.get(exc.status_code, str(exc.detail))
    problem = ProblemError(exc.status_code, title.lower().replace(" ", "-"), title, detail)
    problem.headers.update(exc.headers or {})
    return problem_response(problem)


def install_error_handlers(app: FastAPI) -> None:
    """Render ProblemError and HTTP errors as problem+json."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(HTTPException, _on_http)
