"""OpenAPI for the routes FastAPI cannot describe from their signatures: /sparql (GET, POST) and /health.

They read their request themselves (the SPARQL protocol: form or direct body, repeated graph
parameters, formats chosen by the query's form), so their parameters, bodies, answers and refusals
are written here once, from the representation table; `web/errors.py` then gives every refusal the
Problem schema under `application/problem+json`.
"""

from __future__ import annotations

from typing import Any

from graph_service.formats.representations import ANSWERS, HTML, JSONLD, SPARQL_JSON, XLSX

SPARQL_RESULTS_SCHEMA: dict[str, Any] = {
    "title": "SPARQL JSON results",
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {
            "type": "object",
            "properties": {
                "vars": {"type": "array", "items": {"type": "string"}},
                "link": {"type": "array", "items": {"type": "string"}},
            },
        },
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {
                "bindings": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["type", "value"],
                            "properties": {
                                "type": {"type": "string", "enum": ["uri", "literal", "bnode", "triple"]},
                                "value": {},
                                "datatype": {"type": "string"},
                                "xml:lang": {"type": "string"},
                            },
                        },
                    },
                }
            },
        },
        "boolean": {"type": "boolean"},
    },
}
# What `format` may name: each answer format's name, suffix or media type (SPARQLWrapper sends both).
FORMAT_NAMES = list(
    dict.fromkeys(
        [r.name for r in (*ANSWERS, XLSX)]
        + [r.suffix[1:] for r in (*ANSWERS, XLSX)]
        + [t for r in (*ANSWERS, XLSX) for t in (r.media_type, *r.aliases)]
    )
)
SPARQL_REFUSALS: dict[str, str] = {
    "400": "Not a valid or allowed query: syntax error (with `line`, `column`), update, SERVICE, "
    "unknown graph, too complex, too many rows, answer too large, missing or repeated `query`",
    "406": "No format fits the query's form: `formats` lists those offered",
    "413": "The query is too long; or, for `format=xlsx`, the answer is too large for a workbook "
    "(`sheet-too-large`: more than KG_MAX_SHEET_CELLS cells or KG_MAX_SHEET_BYTES bytes; use CSV)",
    "429": "Too many queries held at once; retry after `Retry-After` seconds",
    "503": "No query worker freed up in time, too many workbooks being built (`workbooks-busy`), or too "
    "many large answers awaiting slow clients (`delivery-busy`); retry after `Retry-After` seconds",
    "504": "The query ran past the service's deadline and was stopped",
}


def _answers(with_description: bool) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for rep in (*ANSWERS, XLSX):
        if rep is SPARQL_JSON:
            content[rep.media_type] = {"schema": SPARQL_RESULTS_SCHEMA}
        elif rep is JSONLD:
            content[rep.media_type] = {"schema": {"type": ["object", "array"]}}
        elif rep is XLSX:
            content[rep.media_type] = {"schema": {"type": "string", "format": "binary"}}
        else:
            content[rep.media_type] = {"schema": {"type": "string"}}
    if with_description:
        content[HTML.media_type] = {"schema": {"type": "string"}}
    return content


def _refusals(*extra: str) -> dict[str, Any]:
    statuses = sorted({*SPARQL_REFUSALS, *extra})
    return {
        s: {"description": SPARQL_REFUSALS.get(s, "Unsupported request body: POST a form or application/sparql-query")}
        for s in statuses
    }


def _graph_parameter(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "description": f"{what} (SPARQL 1.1 Protocol; repeatable; graphs of this store only)",
        "schema": {"type": "array", "items": {"type": "string"}},
    }


QUERY_PARAMETER: dict[str, Any] = {
    "name": "query",
    "in": "query",
    "required": False,
    "description": "The SPARQL 1.1 query (at most KG_MAX_QUERY_LENGTH characters, else 413). Without it, "
    "GET answers the service description (Turtle, JSON-LD…) or, for browsers, the query page.",
    "schema": {"type": "string"},
    "example": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5",
}
FORMAT_PARAMETER: dict[str, Any] = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "The answer's format by name or media type (json, xml, csv, tsv for SELECT/ASK; turtle, ntriples, "
    "rdfxml, jsonld for CONSTRUCT/DESCRIBE; xlsx for either). Accept wins when it names a "
    "format itself; */* names none. A name that does not fit the query's form is a 406.",
    "schema": {"type": "string", "enum": FORMAT_NAMES},
}


def describe_protocol_routes(schema: dict[str, Any]) -> None:
    """Add the /sparql operations (a Starlette route: FastAPI does not list it) to a generated OpenAPI
    document, and fill in /health's."""
    operations: dict[str, Any] = {}
    paths = schema["paths"] = {"/sparql": operations, **schema.get("paths", {})}
    get = operations.setdefault(
        "get",
        {
            "summary": "SPARQL query (GET); without `query`: service description or page",
            "description": "`?query=` with optional `default-graph-uri` and `named-graph-uri`.",
            "operationId": "sparql_query",
        },
    )
    post = operations.setdefault(
        "post",
        {
            "summary": "SPARQL query (POST form-encoded or application/sparql-query)",
            "description": "A query in a form body or as the body itself; updates are refused.",
            "operationId": "sparql_query_post",
        },
    )
    get["parameters"] = [
        QUERY_PARAMETER,
        _graph_parameter("default-graph-uri", "The default graph"),
        _graph_parameter("named-graph-uri", "A named graph"),
        FORMAT_PARAMETER,
    ]
    get["responses"] = {
        "200": {
            "description": "Query results (SELECT, ASK), a graph (CONSTRUCT, "
            "DESCRIBE), or without `query` the service description",
            "content": _answers(with_description=True),
        },
        **_refusals(),
    }
    form = {
        "type": "object",
        "required": ["query"],
        "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            "format": {"type": "string", "enum": FORMAT_NAMES},
        },
    }
    post["parameters"] = [
        _graph_parameter("default-graph-uri", "The default graph"),
        _graph_parameter("named-graph-uri", "A named graph"),
        FORMAT_PARAMETER,
    ]
    post["requestBody"] = {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": form},
            "application/sparql-query": {"schema": {"type": "string"}},
        },
    }
    post["responses"] = {
        "200": {"description": "Query results or a graph", "content": _answers(with_description=False)},
        **_refusals("415"),
    }
    health = paths.get("/health", {}).get("get")
    if health is not None:
        body = {
            "type": "object",
            "required": ["status", "triples", "data_version", "workers"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "degraded"]},
                "triples": {"type": "integer"},
                "data_version": {"type": "string"},
                "graphs": {"type": "integer"},
                "workers": {"type": "integer", "description": "Live query workers"},
                "workers_configured": {"type": "integer"},
                "workers_replaced": {"type": "integer"},
                "worker_events": {"type": "object", "additionalProperties": {"type": "integer"}},
                "network_sandbox": {"type": "boolean"},
                "egress": {
                    "type": "object",
                    "additionalProperties": {"type": "boolean"},
                    "description": "Layers against outbound requests: the guard, and the OS layers "
                    "(network_namespace, seccomp) the workers' probes proved",
                },
                "queries_in_flight": {"type": "integer"},
                "queries_waiting": {"type": "integer"},
                "max_queries_held": {"type": "integer"},
                "startup_seconds": {"type": "number"},
                "cache": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        }
        health["responses"] = {
            "200": {
                "description": "Ready (`ok`, or `degraded` with fewer live workers than configured)",
                "content": {"application/json": {"schema": body}},
            },
            "503": {
                "description": "No live query worker (`degraded`)",
                "content": {"application/json": {"schema": body}},
            },
        }
