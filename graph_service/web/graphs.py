"""Routes: /graph/examples and /graph/schema, the named graphs the service mints beside the data, and /api.

The example queries (`graph/examples#labels-for-category`) and the schema are IRIs of this service, so
they dereference: RDF by content negotiation (200, `Vary: Accept`), and for a browser a 303 to the page
that shows them (/sparql/examples, /void). /api, the JSON API's root (its DCAT endpoint URL), sends a
browser to /docs and a client to /openapi.json.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from graph_service.formats.negotiation import negotiate
from graph_service.formats.representations import DOCUMENTS, GRAPHS, HTML, JSON
from graph_service.named.published import example_quads
from graph_service.prefixes import PREFIXES
from graph_service.problems import not_found
from graph_service.sparql.schema import schema_quads
from graph_service.web.deps import runtime
from graph_service.web.errors import problem_response
from graph_service.web.request import accept, representation

router = APIRouter(include_in_schema=False)
GET_HEAD = ["GET", "HEAD"]
PAGES = {"examples": "/sparql/examples", "schema": "/void"}


@router.api_route("/graph/{name}", methods=GET_HEAD)
def named_graph(request: Request, name: str) -> Response:
    """One of the service's own named graphs, as RDF (a browser is sent to its page)."""
    if name not in PAGES:
        return problem_response(not_found(f"/graph/{name} is not a graph of this service"))
    fmt = representation(request, DOCUMENTS)
    if fmt is HTML:
        return RedirectResponse(PAGES[name], status_code=303)
    state = runtime(request)
    base = state.settings.base_iri
    if name == "examples":
        quads = example_quads(state.queries, base, PREFIXES)
    else:
        stats = state.description.stats
        quads = schema_quads(stats.schema, stats.classes, base)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    assert fmt in GRAPHS and fmt.rdf is not None
    body = ox.serialize(triples, format=fmt.rdf, prefixes=dict(PREFIXES)) or b""
    return Response(body, media_type=fmt.content_type)


@router.api_route("/api", methods=GET_HEAD)
def api_root(request: Request) -> Response:
    """The JSON API's root: its OpenAPI document to a client, its documentation to a browser."""
    target = "/docs" if negotiate(accept(request), (JSON, HTML)) is HTML else "/openapi.json"
    return RedirectResponse(target, status_code=303)
