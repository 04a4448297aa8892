"""The SPARQL 1.1 Protocol query operation at /sparql (GET, POST form, POST direct). No update.

A plain Starlette route rather than a FastAPI operation: the protocol's parameters (a repeatable
`default-graph-uri`, a query in a form or as the body) are read here, not declared, so FastAPI's
dependency machinery would only parse and copy them again, at a tenth of the server's time per
query. `web/openapi.py` describes both operations for the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from graph_service.problems import ProblemError, bad_request
from graph_service.sparql.disconnect import ClientDisconnectedError, unless_disconnected
from graph_service.sparql.engine import QueryRequest
from graph_service.sparql.guard import update_problem
from graph_service.web.caching import not_remembered
from graph_service.web.deps import runtime
from graph_service.web.document import describe_or_page, wants_html, wants_page
from graph_service.web.query_page import query_page
from graph_service.web.request import accept, query_params
from graph_service.web.tables import answer_formats, check_format, first_format, workbook_of_answer

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


async def sparql_get(request: Request) -> Response:
    """`?query=` with optional `default-graph-uri` and `named-graph-uri`."""
    if "query=" in request.scope["query_string"].decode("latin-1"):
        runtime(request).engine.check_room()  # a full queue refuses before any parsing
    params = query_params(request)
    if "update" in params:
        raise update_problem()
    queries = params.getlist("query")
    check_format(request.headers.get("accept"), first_format(params.getlist("format")))
    if not queries:
        if wants_page(request):
            return await query_page(request)
        return describe_or_page(request, _no_page)
    if wants_html(request):
        return await query_page(request)
    return await _answer(
        request,
        _single(queries),
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
        first_format(params.getlist("format")),
    )


async def sparql_post(request: Request) -> Response:
    """A query in a form body or as the body itself; updates are refused."""
    runtime(request).engine.check_room()  # a full queue refuses before reading the body
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == UPDATE:
        raise update_problem()
    params = query_params(request)
    body = await _read_body(request)
    if content_type == FORM:
        form = parse_qs(_text(body), keep_blank_values=True)
        if "update" in form or "update" in params:
            raise update_problem()
        return await _answer(
            request,
            _single(form.get("query", [])),
            form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
            form.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
            first_format(form.get("format", []) + params.getlist("format")),
        )
    if content_type == DIRECT:
        if "update" in params:
            raise update_problem()
        return await _answer(
            request,
            _text(body),
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
            first_format(params.getlist("format")),
        )
    raise ProblemError(
        415,
        "unsupported-media-type",
        "Unsupported request body",
        f"POST a query as {FORM} (field `query`) or as {DIRECT}; got {content_type or 'none'!r}.",
    )


async def _sparql(request: Request) -> Response:
    return await (sparql_post(request) if request.method == "POST" else sparql_get(request))


ROUTE = Route("/sparql", _sparql, methods=["GET", "POST"], name="sparql")


async def _answer(
    request: Request, query: str, default_graphs: list[str], named_graphs: list[str], fmt: str | None = None
) -> Response:
    engine = runtime(request).engine
    wanted, workbook = answer_formats(accept(request), fmt)
    work = engine.answer(QueryRequest(query, tuple(default_graphs), tuple(named_graphs), wanted))
    try:
        answer = await unless_disconnected(request.receive, work)
    except ClientDisconnectedError:
        return Response(status_code=499)  # nobody reads it: the client is gone, its query stopped
    if answer.volatile:
        not_remembered(request)
    if workbook:
        settings = runtime(request).settings
        body = answer.body if answer.stream is None else await _joined(answer.stream, settings.max_sheet_bytes)
        return await workbook_of_answer(
            body, answer.format, "results", settings.max_sheet_cells, settings.max_sheet_bytes
        )
    if answer.stream is not None:
        return StreamingResponse(answer.stream, media_type=answer.format.content_type)
    return Response(answer.body, media_type=answer.format.content_type)


async def _joined(stream: AsyncIterator[bytes], max_bytes: int) -> bytes:
    """A streamed answer whole, read no further than one byte past `max_bytes` (then refused)."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
    return b"".join(chunks)


def _no_page(_request: Request) -> Response:
    raise AssertionError("the query page is answered before")  # wants_page() was False


def _single(queries: list[str]) -> str:
    if not queries:
        raise bad_request("missing-query", "No query", "Send the SPARQL query in the `query` field.")
    if len(queries) > 1:
        raise bad_request("several-queries", "Several queries", "Send exactly one `query` parameter.")
    return queries[0]


async def _read_body(request: Request) -> bytes:
    limit = runtime(request).settings.max_query_length * 12 + 65_536
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _body_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _body_too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _body_too_large(limit: int) -> ProblemError:
    return ProblemError(
        413,
        "query-too-long",
        "Request body too large",
        f"The request body exceeds {limit} bytes; this service accepts short queries only. Shorten the query.",
    )


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request("bad-encoding", "Body is not UTF-8", "Encode the query in UTF-8.") from exc
