"""GET /api/queries and /api/queries/{name}: the named queries of queries/, typed and bound."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request, Response

from graph_service.domain import models as m
from graph_service.domain.queries import result_table, run_named
from graph_service.formats.representations import CSV, XLSX, Representation
from graph_service.formats.spreadsheet import Table
from graph_service.named.binding import BindingError
from graph_service.named.catalog import Catalog, result_columns
from graph_service.named.header import QuerySpec
from graph_service.problems import Suggestion, not_found, unprocessable
from graph_service.runtime import Runtime
from graph_service.web.api.common import (
    API_WIDE,
    ERRORS,
    LIST_BY_ID_RESPONSES,
    OPEN_PARAMETERS,
    Chosen,
    LangDep,
    State,
    api_routes,
    csv_answer,
    unknown_parameter,
)
from graph_service.web.tables import xlsx_response


def info(spec: QuerySpec, lang: str) -> m.QueryInfo:
    """A query's description for clients."""
    href = f"/api/queries/{spec.name}"
    return m.QueryInfo(
        name=spec.name,
        title=spec.titles.get(lang, spec.titles["en"]),
        description=spec.descriptions.get(lang) or spec.descriptions.get("en"),
        returns=spec.returns,
        params=[
            m.QueryParam.model_validate(
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "class": p.cls,
                    "help": p.help,
                }
            )
            for p in spec.params
        ],
        examples=[dict(e) for e in spec.examples],
        example_urls=[f"{href}?{urlencode(e)}" if e else href for e in spec.examples],
        tags=list(spec.tags),
        href=href,
    )


def list_queries(state: State, lang: LangDep) -> list[m.QueryInfo]:
    """Every named query, its typed parameters and examples."""
    return [info(spec, lang) for spec in state.queries]


PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "maxLength": 2000},
    "string": {"type": "string", "maxLength": 2000},
    "lang-string": {"type": "string", "pattern": "^.*@[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$", "maxLength": 2000},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}
CELL: dict[str, Any] = {"type": ["string", "integer", "number", "boolean", "null"]}


def answer(spec: QuerySpec, raw: dict[str, str], request: Request, state: Runtime, lang: str,
           chosen: Representation) -> m.QueryResult | Response:  # fmt: skip
    """Bind the raw values, run, and send the rows in the negotiated format."""
    raw.pop("format", None)  # the API-wide ?format chooses the representation, ?dialect the CSV's
    raw.pop("dialect", None)
    if spec.param("lang") is None:
        raw.pop("lang", None)  # the API-wide ?lang does not reach queries without that parameter
    elif "lang" not in raw and request.headers.get("accept-language"):
        raw["lang"] = lang
    known = {p.name for p in spec.params} | set(API_WIDE)
    for given in raw:
        if given not in known:
            raise unknown_parameter(given, known)
    try:
        result = run_named(state.store, state.index, spec, raw, state.settings.max_rows)
    except BindingError as exc:
        raise unprocessable(str(exc), parameter=exc.param) from None
    if chosen is CSV:
        return csv_answer(result_table(result), spec.name, {"X-Truncated": str(result.truncated).lower()})
    if chosen is XLSX:
        rows = [[row.get(c) for c in result.columns] for row in result.rows]
        response = xlsx_response(Table(spec.column_titles(result.columns, lang), rows, spec.name), spec.name)
        response.headers["X-Truncated"] = str(result.truncated).lower()
        return response
    return m.QueryResult(
        query=spec.name, params=result.params, columns=result.columns, rows=result.rows, truncated=result.truncated
    )


def single_values(request: Request) -> dict[str, str]:
    """The query string as one value per name (a name given twice is a 422)."""
    raw: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in raw:
            raise unprocessable(f"parameter {key!r} given twice", location=key)
        raw[key] = value
    return raw


def result_schema(spec: QuerySpec, columns: list[str]) -> dict[str, Any]:
    """The JSON schema of a named query's answer: its columns, each row an object of them."""
    return {
        "title": "Result of " + spec.name,
        "type": "object",
        "required": ["query", "params", "columns", "rows", "truncated"],
        "properties": {
            "query": {"type": "string", "enum": [spec.name]},
            "params": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "The bound values, as RDF terms in N-Triples syntax",
            },
            "columns": {"type": "array", "items": {"type": "string", "enum": columns}},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": columns,
                    "additionalProperties": False,
                    "properties": {
                        c: {**CELL, "title": t} for c, t in zip(columns, spec.column_titles(columns, "en"), strict=True)
                    },
                },
            },
            "truncated": {"type": "boolean"},
        },
    }


def parameters(spec: QuerySpec) -> list[dict[str, Any]]:
    """The OpenAPI parameters of a named query (`lang` is the API-wide one)."""
    out: list[dict[str, Any]] = []
    for param in spec.params:
        if param.name in API_WIDE:
            continue
        entry: dict[str, Any] = {"name": param.name, "in": "query", "required": param.required,
                                 "description": param.help + (f" (class {param.cls})" if param.cls else ""),
                                 "schema": dict(PARAM_SCHEMAS[param.type])}  # fmt: skip
        if param.default is not None:
            entry["schema"]["default"] = param.default
        example = next((e[param.name] for e in spec.examples if param.name in e), None)
        if example is not None:
            entry["example"] = example.split(":", 1)[1] if param.type == "iri" and ":" in example else example
        out.append(entry)
    return out


def operation(spec: QuerySpec) -> Callable[..., Any]:
    """The endpoint of one named query."""

    def run(request: Request, state: State, lang: LangDep, chosen: Chosen) -> m.QueryResult | Response:
        return answer(spec, single_values(request), request, state, lang, chosen)

    run.__name__ = "query_" + spec.name.replace("-", "_")
    run.__doc__ = spec.descriptions.get("en") or spec.titles["en"]
    return run


def named_query_router(catalog: Catalog) -> APIRouter:
    """The list, one operation per named query (typed parameters, examples, result model), and the alias."""
    named = api_routes("queries")
    named.add_api_route("/queries", list_queries, methods=["GET"], response_model=list[m.QueryInfo],
                        responses={422: ERRORS[422]})  # fmt: skip
    for spec in catalog:
        columns = result_columns(spec)
        responses = {
            **LIST_BY_ID_RESPONSES,
            200: {
                **LIST_BY_ID_RESPONSES[200],
                "content": {
                    "application/json": {"schema": result_schema(spec, columns)},
                    **LIST_BY_ID_RESPONSES[200]["content"],
                },
            },
        }
        named.add_api_route(
            f"/queries/{spec.name}",
            operation(spec),
            methods=["GET"],
            response_model=None,
            summary=spec.titles["en"],
            responses=responses,
            operation_id=spec.name.replace("-", "_"),
            openapi_extra={"parameters": parameters(spec)},
        )
    named.add_api_route("/queries/{name}", run_query, methods=["GET"], response_model=m.QueryResult,
                        responses=LIST_BY_ID_RESPONSES, openapi_extra={OPEN_PARAMETERS: True})  # fmt: skip
    return named


def run_query(
    name: Annotated[str, Path(description="Query name", examples=["labels-for-category"], max_length=200)],
    request: Request,
    state: State,
    lang: LangDep,
    chosen: Chosen,
) -> m.QueryResult | Response:
    """Run a named query by name (the same as its own operation, e.g. `/api/queries/labels-for-category`);
    its parameters are query-string values (e.g. `?category=laptop`), typed by the query's header and
    bound as RDF terms. JSON; CSV (`?format=csv` or Accept: text/csv, columns named by the variables);
    XLSX (`?format=xlsx`, column titles in the language asked for)."""
    spec = state.queries.get(name)
    if spec is None:
        names = state.queries.names()
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
        hints = [Suggestion(n, "", known.titles.get(lang, n)) for n in close if (known := state.queries.get(n))]
        raise not_found(f"no named query {name!r}; known: {', '.join(names)}", hints)
    return answer(spec, single_values(request), request, state, lang, chosen)
