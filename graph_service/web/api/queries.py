"""GET /api/queries and /api/queries/{name}: the named queries of queries/, typed and bound."""

from __future__ import annotations

import difflib
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request, Response

from graph_service.domain import models as m
from graph_service.domain.queries import run_named, to_csv
from graph_service.named.binding import BindingError
from graph_service.named.header import QuerySpec
from graph_service.problems import Suggestion, not_found, unprocessable
from graph_service.representations import CSV, XLSX
from graph_service.spreadsheet import Table
from graph_service.web.api.common import ERRORS, NOT_ACCEPTABLE, Chosen, JsonRoute, LangDep, State
from graph_service.web.tables import xlsx_response

router = APIRouter(route_class=JsonRoute, tags=["queries"])


def info(spec: QuerySpec, lang: str) -> m.QueryInfo:
    """A query's description for clients."""
    href = f"/api/queries/{spec.name}"
    return m.QueryInfo(
        name=spec.name, title=spec.titles.get(lang, spec.titles["en"]),
        description=spec.descriptions.get(lang) or spec.descriptions.get("en"), returns=spec.returns,
        params=[m.QueryParam.model_validate({"name": p.name, "type": p.type, "required": p.required,
                                             "default": p.default, "class": p.cls, "help": p.help})
                for p in spec.params],
        examples=[dict(e) for e in spec.examples],
        example_urls=[f"{href}?{urlencode(e)}" if e else href for e in spec.examples],
        tags=list(spec.tags), href=href,
    )


@router.get("/queries", response_model=list[m.QueryInfo], responses={422: ERRORS[422]})
def list_queries(state: State, lang: LangDep) -> list[m.QueryInfo]:
    """Every named query, its typed parameters and examples."""
    return [info(spec, lang) for spec in state.catalog]


@router.get(
    "/queries/{name}",
    response_model=m.QueryResult,
    responses={200: {"content": {CSV.media_type: {"schema": {"type": "string"}},
                                 XLSX.media_type: {"schema": {"type": "string", "format": "binary"}}}},
               **NOT_ACCEPTABLE, **ERRORS},
)
def run_query(
    name: Annotated[str, Path(description="Query name", examples=["labels-for-category"], max_length=200)],
    request: Request,
    state: State,
    lang: LangDep,
    chosen: Chosen,
) -> m.QueryResult | Response:
    """Run a named query; its parameters are query-string values (e.g. `?category=laptop`), typed by
    the query's header and bound as RDF terms. JSON; CSV (`?format=csv` or Accept: text/csv, columns
    named by the variables); XLSX (`?format=xlsx`, column titles in the language asked for)."""
    spec = state.catalog.get(name)
    if spec is None:
        names = state.catalog.names()
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
        hints = [Suggestion(n, "", known.titles.get(lang, n)) for n in close if (known := state.catalog.get(n))]
        raise not_found(f"no named query {name!r}; known: {', '.join(names)}", hints)
    raw: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in raw:
            raise unprocessable(f"parameter {key!r} given twice")
        raw[key] = value
    if spec.param("format") is None:
        raw.pop("format", None)  # the API-wide ?format chooses the representation
    if spec.param("lang") is None:
        raw.pop("lang", None)  # the API-wide ?lang does not reach queries without that parameter
    elif "lang" not in raw and request.headers.get("accept-language"):
        raw["lang"] = lang
    try:
        result = run_named(state.store, state.index, spec, raw, state.settings.max_rows)
    except BindingError as exc:
        raise unprocessable(str(exc), parameter=exc.param) from None
    if chosen is CSV:
        return Response(to_csv(result), media_type=CSV.content_type,
                        headers={"X-Truncated": str(result.truncated).lower()})
    if chosen is XLSX:
        rows = [[row.get(c) for c in result.columns] for row in result.rows]
        table = Table(spec.column_titles(result.columns, lang), rows, spec.name)
        response = xlsx_response(table, spec.name)
        response.headers["X-Truncated"] = str(result.truncated).lower()
        return response
    return m.QueryResult(query=spec.name, params=result.params, columns=result.columns, rows=result.rows,
                         truncated=result.truncated)
