"""The analysts' query page (`/sparql` for browsers), in French or English, usable without JavaScript.

A named query is picked with a GET form (`?name=`); its typed parameters come from the `.rq` header
as fields `p.{param}` with suggestions from the graph; `run=1` runs it server-side (the JSON API's
runner: typed binding, never spliced text) and shows the rows, IRIs linked to the local pages. The
query text is shown and editable: an edited text (`query=`) runs as a free query through the SPARQL
engine (its guard, timeouts and workers), without the named query's parameters: the page says which
it dropped and the share link holds the edited text alone. The page's URL is the share link: it reopens
the same query with the same parameters. static/query.js only enhances (runs without reloading, downloads in every
format); no inline script, nothing from another origin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from graph_service.domain.examples import query_of
from graph_service.domain.queries import run_named
from graph_service.domain.query_form import field_values, form_fields
from graph_service.named.binding import BindingError
from graph_service.named.header import QuerySpec
from graph_service.problems import ProblemError
from graph_service.publishing.context import ALL_PREFIXES, compact
from graph_service.publishing.iris import Site
from graph_service.runtime import Runtime
from graph_service.sparql.engine import QueryRequest, is_volatile
from graph_service.web.caching import not_remembered
from graph_service.web.deps import runtime
from graph_service.web.html import html_page, page_language
from graph_service.web.request import public_url

DEFAULT_QUERY = "type-1-ecolabels"  # the named query whose text fills the editor when none is chosen
SHOWN_ROWS = 500  # rows shown on the page (downloads have them all)
BODY_CAP = 4_000_000  # bytes of a free query's answer read for the page


@dataclass(frozen=True)
class Cell:
    """A value of the results table: its text and, for an IRI, the local page it links to."""

    text: str
    href: str = ""


@dataclass
class Results:
    """What a run shows: columns and rows, or a text (a graph, a boolean), or an error."""

    columns: list[str]
    rows: list[list[Cell]]
    text: str = ""
    error: str = ""
    error_param: str = ""
    truncated: bool = False
    total: int = 0


def cell(value: object, rt: Runtime, site: Site) -> Cell:
    """A result value; an IRI links to its local page when the graph knows it (else to itself)."""
    if value is None:
        return Cell("")
    text = str(value)
    if text.startswith(("http://", "https://")) and " " not in text:
        return Cell(compact(text, ALL_PREFIXES), site.href(text, described=rt.publication.is_described(text)))
    return Cell(text)


async def free_results(rt: Runtime, site: Site, text: str) -> Results:
    """A free query run by the SPARQL engine, read back for the page."""
    if rt.query_engine is None:
        return Results([], [], error="no query engine")
    try:
        answer = await rt.query_engine.answer(QueryRequest(query=text))
    except ProblemError as exc:
        return Results([], [], error=f"{exc.title}. {exc.detail}")
    body = answer.body
    if answer.stream is not None:
        chunks: list[bytes] = []
        size = 0
        async for chunk in answer.stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > BODY_CAP:
                break
        await answer.stream.aclose()  # type: ignore[attr-defined]
        body = b"".join(chunks)
    if "json" not in answer.format.media_type:
        return Results([], [], text=body.decode("utf-8", "replace"))
    try:
        data = json.loads(body)
    except ValueError:
        return Results([], [], error="the answer was too large to show here: download it instead", truncated=True)
    if "boolean" in data:
        return Results([], [], text=f"ASK: {str(data['boolean']).lower()}")
    columns = list(data["head"].get("vars", []))
    bindings = data["results"]["bindings"]
    rows = [[cell(b.get(c, {}).get("value"), rt, site) for c in columns] for b in bindings[:SHOWN_ROWS]]
    return Results(columns, rows, truncated=len(bindings) > SHOWN_ROWS, total=len(bindings))


def named_results(rt: Runtime, site: Site, spec: QuerySpec, raw: dict[str, str]) -> Results:
    """A named query run with its typed parameters (the runner of /api/queries)."""
    try:
        found = run_named(rt.store, rt.index, spec, raw, rt.settings.max_rows)
    except BindingError as exc:
        return Results([], [], error=str(exc), error_param=exc.param)
    rows = [[cell(row.get(c), rt, site) for c in found.columns] for row in found.rows[:SHOWN_ROWS]]
    return Results(
        found.columns, rows, truncated=found.truncated or len(found.rows) > SHOWN_ROWS, total=len(found.rows)
    )


async def query_page(request: Request) -> Response:
    """The query page: the named-query form, the editor, the results of `run=1`, the share link."""
    rt = runtime(request)
    lang = page_language(request)
    site = Site(rt.settings.base_iri, public_url(request, rt.settings))
    params = request.query_params
    spec = rt.queries.get(params.get("name", "")) if params.get("name") else None
    raw = field_values(params, spec) if spec else {}
    original = query_of(spec) if spec else ""
    default = rt.queries.get(DEFAULT_QUERY)
    text = params.get("query") or original or (query_of(default) if default else "SELECT * { ?s ?p ?o } LIMIT 20\n")
    edited = spec is not None and "query" in params and text.strip() != original.strip()
    results: Results | None = None
    if params.get("run"):
        if spec is not None and not edited:
            results = named_results(rt, site, spec, raw)
        else:
            results = await free_results(rt, site, text)
            if is_volatile(text, None):
                not_remembered(request)
    # An edited named query runs as a free query, without its parameters: the share link then holds the
    # text alone (it used to keep `name` and `p.*`, which the page would not have used), and the page says so.
    share: list[tuple[str, str]] = [("lang", lang)]
    if spec is not None and not edited:
        share += [("name", spec.name), *(("p." + k, v) for k, v in raw.items())]
    else:
        share.append(("query", text))
    share.append(("run", "1"))
    downloads: list[tuple[str, str]] = []
    if spec is not None and not edited:
        query = urlencode(list(raw.items()))
        base = site.url(f"/api/queries/{spec.name}")
        downloads = [(fmt, f"{base}?{query}{'&' if query else ''}format={fmt}") for fmt in ("json", "csv")]
    return html_page(
        request,
        site,
        "query.html",
        named=[(s.name, s.titles.get(lang) or s.titles["en"]) for s in rt.queries],
        spec=spec,
        title=(spec.titles.get(lang) or spec.titles["en"]) if spec else "",
        description=(spec.descriptions.get(lang) or spec.descriptions.get("en", "")) if spec else "",
        fields=form_fields(spec, raw, rt.index, rt.read, lang) if spec else [],
        text=text,
        edited=edited,
        results=results,
        dropped=sorted(k for k, v in raw.items() if v) if edited else [],
        share=site.url("/sparql?" + urlencode(share)),
        downloads=downloads,
        base_iri=rt.settings.base_iri,
    )
