"""Problems rendered as `application/problem+json` (RFC 9457)."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from graph_service.sparql.problems import ProblemError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("graph_service")


def problem_response(problem: ProblemError) -> Response:
    """The HTTP response for a problem."""
    body = json.dumps(problem.body(), ensure_ascii=False).encode()
    return Response(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


async def _on_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    allowed = (exc.headers or {}).get("allow") or (exc.headers or {}).get("Allow")
    detail = {
        404: "Nothing here. The SPARQL endpoint is /sparql; the query page is /; the API is /api (see /docs).",
        405: f"{request.method} is not allowed on {request.url.path}"
        + (f"; use {allowed}." if allowed else "."),
    }.get(exc.status_code, str(exc.detail))
    problem = ProblemError(exc.status_code, title.lower().replace(" ", "-"), title, detail)
    problem.headers.update(exc.headers or {})
    return problem_response(problem)


async def _on_validation(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for error in exc.errors():
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return problem_response(ProblemError(422, "invalid-parameter", "Invalid parameter", "; ".join(parts)))


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(
        ProblemError(
            500, "internal-error", "Internal error",
            "The service failed on this request; it keeps serving others. Please report it with the URL.",
        )
    )


def install_error_handlers(app: FastAPI) -> None:
    """Render ProblemError, HTTP, validation and unexpected errors as problem+json."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_unexpected)
