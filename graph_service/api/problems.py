"""Errors of the /api routes as application/problem+json (the service's ProblemError and renderer)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from graph_service.api.errors import PROBLEM_JSON, problem_response
from graph_service.api.index import Resource
from graph_service.api.models import ProblemOut
from graph_service.sparql.problems import ProblemError

PROBLEM_DOC: dict[str, Any] = {"model": ProblemOut, "content": {PROBLEM_JSON: {}}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {**PROBLEM_DOC, "description": "Unknown id; the closest ids are suggested"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {**PROBLEM_DOC, "description": "A parameter does not have the expected form"}
}
ERRORS: dict[int | str, dict[str, Any]] = {**NOT_FOUND, **INVALID}


def unprocessable(detail: str, **extra: Any) -> ProblemError:
    """A 422: a parameter has the wrong form."""
    return ProblemError(422, "invalid-parameter", "Invalid parameter", detail, extra=extra)


def not_found(detail: str, suggestions: Sequence[Resource] = (), lang: str = "en", **extra: Any) -> ProblemError:
    """A 404 naming the closest ids."""
    refs = [{"id": r.id, "iri": r.iri, "name": r.name(lang)} for r in suggestions]
    if refs:
        detail = f"{detail}; did you mean {', '.join(r['id'] for r in refs)}?"
    return ProblemError(404, "not-found", "Not found", detail, extra={"suggestions": refs, **extra})


def _validation_problem(exc: RequestValidationError) -> ProblemError:
    errors = []
    parts = []
    for err in exc.errors():
        where = " ".join(str(x) for x in err.get("loc", ()))
        expected = err.get("msg", "invalid value")
        errors.append({"location": where, "message": expected})
        parts.append(f"{where}: {expected}")
    return unprocessable("; ".join(parts) or "invalid request", errors=errors)


class ProblemRoute(APIRoute):
    """An APIRoute whose validation errors and Problems become problem+json responses."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return problem_response(_validation_problem(exc))
            except ProblemError as exc:
                return problem_response(exc)

        return route
