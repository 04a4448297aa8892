"""Helpers shared by the /api routes: their router, id resolution with suggestions, the negotiated format,
list answers (JSON, CSV, XLSX), docs."""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel

from graph_service.formats.negotiation import names_an_offer
from graph_service.formats.representations import ALL, CSV, JSON, XLSX, Representation, by_name
from graph_service.formats.spreadsheet import DIALECTS, RFC4180, CsvDialect, Table, to_csv
from graph_service.problems import ProblemError, format_not_offered, unprocessable
from graph_service.web.deps import RuntimeDep
from graph_service.web.lang import Lang, negotiate_lang
from graph_service.web.request import representation
from graph_service.web.tables import xlsx_response

# `?date=` of the routes that answer as of a day: the day itself is read by the domain (InvalidValueError)
DayQuery = Annotated[
    str | None,
    Query(
        description="Answer as of this day (YYYY-MM-DD); default today",
        examples=["2024-01-01"],
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        json_schema_extra={"format": "date"},
    ),
]
State = RuntimeDep
LangDep = Annotated[Lang, Depends(negotiate_lang)]
ID_DOC = "Short id (the IRI's last segment), prefixed name or full IRI"

# OpenAPI: the refusals a route may answer (their content, a Problem, is added by web/errors.py).
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown id"}}
INVALID: dict[int | str, dict[str, Any]] = {422: {"description": "Invalid parameter"}}
NOT_ACCEPTABLE: dict[int | str, dict[str, Any]] = {406: {"description": "Not acceptable"}}
ERRORS: dict[int | str, dict[str, Any]] = {**NOT_FOUND, **INVALID}
REDIRECT: dict[int | str, dict[str, Any]] = {
    308: {
        "description": "The same URL without its trailing slash (`Location`); follow it with the same method",
        "headers": {"Location": {"schema": {"type": "string"}}},
    }
}
# OpenAPI of a list route: the table formats besides JSON (their presence is what offers them), and its
# refusals; BY_ID: a route of one resource's list, whose id may be unknown.
LIST_FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            CSV.media_type: {"schema": {"type": "string"}},
            XLSX.media_type: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {**LIST_FORMATS, **NOT_ACCEPTABLE, **INVALID}
LIST_BY_ID_RESPONSES: dict[int | str, dict[str, Any]] = {**LIST_FORMATS, **NOT_ACCEPTABLE, **ERRORS}
T = TypeVar("T")


def id_path(example: str) -> object:
    """A `{id}` path parameter with an example."""
    return Path(description=ID_DOC, examples=[example], max_length=2000)


def offers_of(route: APIRoute) -> tuple[Representation, ...]:
    """JSON, then the media types the route documents for its 200 answer (CSV, SVG)."""
    documented = route.responses.get(200, {}).get("content", {})
    extra = tuple(r for r in ALL if r.media_type in documented and r is not JSON)
    return (JSON, *extra)


API_WIDE = ("format", "dialect", "lang")  # query parameters every /api route accepts


async def negotiated(
    request: Request,
    format: Annotated[
        str | None,
        Query(
            description="The format by name, where the route offers it: json, csv, xlsx (tables), svg (pictures). "
            "Accept wins when it names a format of the route itself; `*/*` names none.",
            max_length=20,
        ),
    ] = None,
    dialect: Annotated[
        Literal["rfc4180", "excel-fr"],
        Query(
            description="For CSV answers: rfc4180 (`,`, UTF-8, the default, for programs) or excel-fr (French "
            "Excel's: `;`, UTF-8 with a byte-order mark, decimal comma; sent as a file to save)."
        ),
    ] = "rfc4180",
) -> Representation:
    """Dependency of every /api route: what Accept names, else `?format=`, else what Accept prefers (or 406).
    The CSV dialect asked for is kept for the answer's CSV writer (`csv_answer`)."""
    CSV_DIALECT.set(DIALECTS[dialect])
    route = request.scope.get("route")
    offers = offers_of(route) if isinstance(route, APIRoute) else (JSON,)
    requested = None
    if format and not names_an_offer(request.headers.get("accept"), offers):  # Accept wins when it names one
        requested = by_name(format, offers)
        if requested is None:
            raise format_not_offered(format, offers)
    return representation(request, offers, requested=requested)


Chosen = Annotated[Representation, Depends(negotiated)]
# The CSV dialect of the request being answered, set by `negotiated` (a dependency of every /api route).
CSV_DIALECT: ContextVar[CsvDialect] = ContextVar("csv_dialect", default=RFC4180)


def csv_answer(table: Table, filename: str, headers: dict[str, str] | None = None) -> Response:
    """A table as a CSV answer in the dialect asked for: RFC 4180 shown inline, French Excel's as a file
    named `filename.csv` (that dialect is for people, who save it and open it in Excel)."""
    dialect = CSV_DIALECT.get()
    extra = dict(headers or {})
    if dialect is not RFC4180:
        extra["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return Response(to_csv(table, dialect), media_type=CSV.content_type, headers=extra)


# Routes whose query parameters are the named query's own, checked by its binding (queries.py).
OPEN_PARAMETERS = "x-parameters-of-the-named-query"


def declared_parameters(route: APIRoute) -> set[str]:
    """The query parameters a route declares (its own, its dependencies', its OpenAPI extras)."""
    names: set[str] = set(API_WIDE)
    todo = [route.dependant]
    while todo:
        dependant = todo.pop()
        names.update(p.alias for p in dependant.query_params)
        todo.extend(dependant.dependencies)
    extra = route.openapi_extra or {}
    names.update(p["name"] for p in extra.get("parameters", []) if p.get("in") == "query")
    return names


def unknown_parameter(given: str, known: Iterable[str]) -> ProblemError:
    """The 422 for a query parameter the route does not take, naming the closest it does."""
    ordered = sorted(known)
    close = difflib.get_close_matches(given, ordered, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return unprocessable(f"unknown parameter {given!r}; {hint}this route takes: {', '.join(ordered)}",
                         location=given, closest=close[0] if close else None)  # fmt: skip


async def known_parameters(request: Request) -> None:
    """Dependency of every /api route: a misspelt filter is a 422, never silently dropped."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or (route.openapi_extra or {}).get(OPEN_PARAMETERS):
        return
    known = declared_parameters(route)
    for given in request.query_params:
        if given not in known:
            raise unknown_parameter(given, known)


def _as_json(answer: Any) -> Any:
    if isinstance(answer, BaseModel):
        return Response(answer.model_dump_json(by_alias=True), media_type=JSON.media_type)
    if isinstance(answer, list) and answer and all(isinstance(a, BaseModel) for a in answer):
        body = "[" + ",".join(a.model_dump_json(by_alias=True) for a in answer) + "]"
        return Response(body, media_type=JSON.media_type)
    return answer


def _serialised(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def answer_async(*args: Any, **kwargs: Any) -> Any:
            return _as_json(await endpoint(*args, **kwargs))

        return answer_async

    @functools.wraps(endpoint)
    def answer(*args: Any, **kwargs: Any) -> Any:
        return _as_json(endpoint(*args, **kwargs))

    return answer


class JsonRoute(APIRoute):
    """An /api route whose answer (a typed model) pydantic serialises once; FastAPI would validate it again
    against `response_model`, which stays for the OpenAPI document."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, _serialised(endpoint), **kwargs)


def api_routes(*tags: str) -> APIRouter:
    """The router of an /api module, under these OpenAPI tags (its routes are JsonRoute)."""
    return APIRouter(route_class=JsonRoute, tags=list(tags))


def listed(items: T, chosen: Representation, lang: str, sheet: Callable[[str | None], Table]) -> T | Response:
    """A list route's answer: the items (JSON), or `sheet` as CSV (field names as headers, for programs)
    or as a workbook (headers in `lang`, for people)."""
    if chosen is CSV:
        table = sheet(None)
        return csv_answer(table, table.title)
    if chosen is XLSX:
        table = sheet(lang)
        return xlsx_response(table, table.title)
    return items
