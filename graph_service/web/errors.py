"""Problems rendered as `application/problem+json` (RFC 9457), and documented so in OpenAPI."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from graph_service.domain.errors import InvalidValueError, UnknownResourceError
from graph_service.formats.representations import PROBLEM
from graph_service.problems import FieldError, ProblemError, invalid, not_found, unprocessable
from graph_service.web.access import record_problem
from graph_service.web.openapi import describe_protocol_routes

PROBLEM_JSON = PROBLEM.media_type
log = logging.getLogger("graph_service")

# OpenAPI: what each documented refusal means; every one has the Problem schema under problem+json.
REFUSALS: dict[str, str] = {
    "404": "Unknown id or resource; `suggestions` lists the closest known ones (id, iri, name)",
    "406": "No offered format is acceptable; `formats` lists the media types offered",
    "422": "A parameter does not have the expected form; `errors` lists each (location, message)",
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable machine-readable reason"},
        "detail": {"type": "string", "description": "What went wrong and what to do"},
        "suggestions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "iri": {"type": "string"}, "name": {"type": "string"}},
            },
        },
        "formats": {"type": "array", "items": {"type": "string"}},
        "format_names": {"type": "array", "items": {"type": "string"}},
        "closest": {"type": ["string", "null"], "description": "The known parameter closest to an unknown one"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"location": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def problem_response(problem: ProblemError) -> Response:
    """The HTTP response for a problem."""
    body = json.dumps(problem.body(), ensure_ascii=False).encode()
    return Response(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


def validation_problem(exc: RequestValidationError) -> ProblemError:
    """The one 422 of the service: each failed parameter with its location and message."""
    errors = []
    for error in exc.errors():
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "path", "body", "header"))
        errors.append(FieldError(where, str(error.get("msg", "invalid value"))))
    return invalid(errors)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    record_problem(request.scope, exc.code)
    return problem_response(exc)


def domain_problem(exc: UnknownResourceError | InvalidValueError) -> ProblemError:
    """The problem of a domain refusal: 404 for an unknown resource, 422 for a value of the wrong kind."""
    if isinstance(exc, UnknownResourceError):
        return not_found(exc.reason, exc.suggestions)
    extra = dict(exc.extra)
    if exc.suggestions is not None:
        extra["suggestions"] = [asdict(s) for s in exc.suggestions]
    return unprocessable(exc.detail, **extra)


async def _on_domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnknownResourceError | InvalidValueError)
    problem = domain_problem(exc)
    record_problem(request.scope, problem.code)
    return problem_response(problem)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    if exc.status_code == 405:  # every operation of the path, not only the first route Starlette tried
        given = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow") or ""
        exc.headers = {
            **{k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"},
            "Allow": allowed_methods(request, given),
        }
    allowed = (exc.headers or {}).get("allow") or (exc.headers or {}).get("Allow")
    detail = {
        404: "Nothing here. The SPARQL endpoint is /sparql; the query page is /; the API is /api (see /docs).",
        405: f"{request.method} is not allowed on {request.url.path}" + (f"; use {allowed}." if allowed else "."),
    }.get(exc.status_code, str(exc.detail))
    problem = ProblemError(exc.status_code, title.lower().replace(" ", "-"), title, detail)
    problem.headers.update(exc.headers or {})
    record_problem(request.scope, problem.code)
    return problem_response(problem)


def allowed_methods(request: Request, fallback: str) -> str:
    """The methods the OpenAPI document gives this path (all its operations), else `fallback`."""
    schema: dict[str, Any] = request.app.openapi()
    path = request.url.path
    for template, operations in schema.get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) or (
            template.endswith("}") and re.fullmatch(re.sub(r"\\\{[^/]+?\\\}$", ".+", re.escape(template)), path)
        ):
            return ", ".join(sorted(m.upper() for m in operations))
    return fallback


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problem = validation_problem(exc)
    record_problem(request.scope, problem.code)
    return problem_response(problem)


def internal_error() -> ProblemError:
    """The 500 of an unexpected error."""
    return ProblemError(
        500,
        "internal-error",
        "Internal error",
        "The service failed on this request; it keeps serving others. Please report it with the URL.",
    )


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    record_problem(request.scope, "internal-error")
    return problem_response(internal_error())  # sent by the edge already, when it could (web/edge.py)


def install_error_handlers(app: FastAPI) -> None:
    """Render ProblemError, HTTP, validation and unexpected errors as problem+json."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(UnknownResourceError, _on_domain)
    app.add_exception_handler(InvalidValueError, _on_domain)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_unexpected)


def document_problems(app: FastAPI) -> None:
    """OpenAPI: every 4xx/5xx response of every operation is a Problem under application/problem+json."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            describe_protocol_routes(schema)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Problem"] = PROBLEM_SCHEMA
            for name in ("HTTPValidationError", "ValidationError"):
                components.pop(name, None)
            ref = {"$ref": "#/components/schemas/Problem"}
            for path, operations in schema.get("paths", {}).items():
                for operation in operations.values():
                    for status, response in operation.get("responses", {}).items():
                        if status[0] in "45" and not (path == "/health" and status == "503"):
                            response["content"] = {PROBLEM_JSON: {"schema": ref}}
                            response["description"] = REFUSALS.get(status, response.get("description", ""))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
