"""Routes: /id/…, /def/…, /shapes/…, /describe, /catalog, /void, /dumps/…, /context.jsonld.

Content negotiation answers 200 directly (no 303): the body is the representation the Accept
header prefers, with `Vary: Accept` and `Content-Location` naming the suffixed URL of that
representation (`/id/label/eu-ecolabel.ttl`), which always answers the same format.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph_service.api.errors import problem_response
from graph_service.publishing import pages
from graph_service.publishing.describe import describe, describe_many, is_mentioned
from graph_service.publishing.formats import ALL_FORMATS, HTML, RDF_FORMATS, RdfFormat, negotiate, split_suffix
from graph_service.publishing.html import Renderer, alternates_for, page
from graph_service.publishing.http import file_response
from graph_service.publishing.iris import Site, public_url
from graph_service.publishing.serialize import serialize
from graph_service.publishing.state import PublishingState
from graph_service.sparql.problems import ProblemError

router = APIRouter(tags=["linked data"])
GET_HEAD = ["GET", "HEAD"]
# For /catalog and /void a client that accepts anything (a harvester) gets Turtle, a browser HTML.
DATA_FIRST: tuple[RdfFormat, ...] = (*RDF_FORMATS, HTML)


def _state(request: Request) -> PublishingState:
    state: PublishingState = request.app.state.publishing
    return state


def _site(request: Request, state: PublishingState) -> Site:
    return state.site(public_url(state.settings.public_base_url, str(request.base_url)))


def _renderer(state: PublishingState, site: Site) -> Renderer:
    return Renderer(site=site, names=state.names, described=state.is_described)


def _pick(request: Request, suffix_format: RdfFormat | None, offers: tuple[RdfFormat, ...]) -> RdfFormat | None:
    return suffix_format or negotiate(request.headers.get("accept"), offers)


def _headers(stem: str, fmt: RdfFormat, negotiated: bool) -> dict[str, str]:
    if not negotiated:
        return {}
    return {"Vary": "Accept", "Content-Location": quote(stem + fmt.suffix, safe="/#:-._~")}


def _not_acceptable() -> Response:
    types = ", ".join(f.media_type for f in ALL_FORMATS)
    return problem_response(
        ProblemError(406, "not-acceptable", "Not acceptable", f"This resource is available as {types}.")
    )


def _rdf(graph: Graph, fmt: RdfFormat, state: PublishingState, headers: dict[str, str]) -> Response:
    body = serialize(graph, fmt, state.dumps.context)
    return Response(body, media_type=fmt.content_type, headers=headers)


def _html(state: PublishingState, site: Site, title: str, body: str, href: str, headers: dict[str, str],
          status: int = 200) -> HTMLResponse:
    text = page(title, body, site, alternates_for(href) if href else ())
    return HTMLResponse(text, status_code=status, headers=headers)


def not_found(request: Request, state: PublishingState, site: Site, path: str) -> Response:
    """404 with the closest known ids (HTML for browsers, plain text for the others)."""
    known = [p for p in (site.path_of(i) for i in state.local_iris) if p is not None]
    suggestions = pages.closest_paths(path, known)
    fmt = negotiate(request.headers.get("accept"), ALL_FORMATS)
    if fmt is HTML or fmt is None:
        body = pages.not_found_body(_renderer(state, site), path, suggestions)
        return _html(state, site, "404", body, "", {}, status=404)
    closest = [site.url(p) for p in suggestions]
    problem = ProblemError(
        404, "not-found", "Not found",
        f"{path} is not a resource of this graph." + (f" Closest: {', '.join(closest)}." if closest else ""),
    )
    problem.extra["suggestions"] = closest
    return problem_response(problem)


def serve_path(request: Request, path: str) -> Response:
    """Dereference a service path standing for an IRI of the graph, the ontology or the shapes."""
    state = _state(request)
    site = _site(request, state)
    stem, suffix_format = split_suffix(path)
    if stem in ("/id/", *(k for k in state.kind_paths(site))):
        body = pages.index_body(_renderer(state, site), state.graph, state.local_iris, site.iri_of(stem))
        return _html(state, site, stem, body, "", {})
    iri = URIRef(site.iri_of(stem))
    source = state.shapes if stem.startswith("/shapes/") else state.graph
    if not is_mentioned(source, iri):
        return not_found(request, state, site, path)
    fmt = _pick(request, suffix_format, ALL_FORMATS)
    if fmt is None:
        return _not_acceptable()
    headers = _headers(stem, fmt, suffix_format is None)
    renderer = _renderer(state, site)
    href = site.url(quote(stem, safe="/#:-._~"))
    if stem == "/def/":
        if fmt is not HTML:
            terms = [s for s in state.graph.subjects() if str(s).startswith(str(iri))]
            return _rdf(describe_many(state.graph, set(terms)), fmt, state, headers)
        body = pages.namespace_body(renderer, state.graph, iri, pages.NAMESPACE_KINDS)
        return _html(state, site, "Ontologie / ontology", body, href, headers)
    if stem == "/shapes/":
        if fmt is not HTML:
            return _rdf(state.shapes, fmt, state, headers)
        body = pages.namespace_body(renderer, state.shapes, iri, (SH.NodeShape,))
        return _html(state, site, "Formes SHACL / SHACL shapes", body, href, headers)
    if fmt is not HTML:
        return _rdf(describe(source, iri, names=state.names), fmt, state, headers)
    if source is state.shapes:
        body = pages.shape_body(renderer, state.shapes, iri)
    else:
        body = pages.resource_body(renderer, state.graph, iri)
    return _html(state, site, renderer.label(iri), body, href, headers)


@router.api_route("/id/{path:path}", methods=GET_HEAD, include_in_schema=False)
def resource_id(request: Request, path: str) -> Response:
    """A resource of the graph."""
    return serve_path(request, "/id/" + path)


@router.api_route("/def/{path:path}", methods=GET_HEAD, include_in_schema=False)
def ontology_term(request: Request, path: str) -> Response:
    """The ontology (`/def/`) or one of its terms."""
    return serve_path(request, "/def/" + path)


@router.api_route("/shapes/{path:path}", methods=GET_HEAD, include_in_schema=False)
def shape(request: Request, path: str) -> Response:
    """The SHACL shapes (`/shapes/`) or one shape."""
    return serve_path(request, "/shapes/" + path)


@router.api_route("/def", methods=GET_HEAD, include_in_schema=False)
@router.api_route("/shapes", methods=GET_HEAD, include_in_schema=False)
@router.api_route("/id", methods=GET_HEAD, include_in_schema=False)
def namespace_root(request: Request) -> Response:
    """`/def` -> `/def/` (the namespace IRIs end with a slash)."""
    return RedirectResponse(request.url.path + "/", status_code=301)


@router.api_route("/describe", methods=GET_HEAD, include_in_schema=False)
def describe_other(request: Request, iri: str, format: str | None = None) -> Response:
    """A resource the graph describes under another authority's IRI (CPV codes, countries...)."""
    state = _state(request)
    site = _site(request, state)
    local = site.path_of(iri)
    if local is not None:
        return RedirectResponse(site.url(quote(local, safe="/#:-._~")), status_code=301)
    node = URIRef(iri)
    if not state.is_described(iri):
        return not_found(request, state, site, iri)
    suffix_format = next((f for f in ALL_FORMATS if format in (f.suffix.lstrip("."), f.name)), None)
    fmt = _pick(request, suffix_format, ALL_FORMATS)
    if fmt is None:
        return _not_acceptable()
    headers = {"Vary": "Accept"} if suffix_format is None else {}
    if fmt is not HTML:
        return _rdf(describe(state.graph, node, names=state.names), fmt, state, headers)
    renderer = _renderer(state, site)
    body = pages.resource_body(renderer, state.graph, node)
    return _html(state, site, renderer.label(node), body, "", headers)


def _document(request: Request, name: str, ext: str | None) -> Response:
    state = _state(request)
    site = _site(request, state)
    suffix_format = None
    if ext is not None:
        suffix_format = next((f for f in ALL_FORMATS if f.suffix == "." + ext), None)
        if suffix_format is None:
            return not_found(request, state, site, f"/{name}.{ext}")
    fmt = _pick(request, suffix_format, DATA_FIRST)
    if fmt is None:
        return _not_acceptable()
    headers = _headers("/" + name, fmt, suffix_format is None)
    graph = state.catalog(site) if name == "catalog" else state.void(site)
    if fmt is not HTML:
        return Response(serialize(graph, fmt), media_type=fmt.content_type, headers=headers)
    renderer = Renderer(site=site, names=graph + state.names, described=state.is_described)
    if name == "catalog":
        body = pages.catalog_body(renderer, graph, URIRef(site.base_iri + "catalog"), state.dumps, state.version)
    else:
        body = renderer.table(graph, state.facts.node)
        body = f"<h1>VoID</h1><p class='iri'>{state.facts.node}</p>{body}"
    return _html(state, site, name, body, site.url("/" + name), headers)


@router.api_route("/catalog", methods=GET_HEAD, include_in_schema=False)
def catalog(request: Request) -> Response:
    """The DCAT catalogue (Turtle to harvesters, HTML to browsers)."""
    return _document(request, "catalog", None)


@router.api_route("/catalog.{ext}", methods=GET_HEAD, include_in_schema=False)
def catalog_as(request: Request, ext: str) -> Response:
    """The DCAT catalogue in a given format (`/catalog.ttl` is the URL to register)."""
    return _document(request, "catalog", ext)


@router.api_route("/void", methods=GET_HEAD, include_in_schema=False)
def void(request: Request) -> Response:
    """The VoID description of the dataset."""
    return _document(request, "void", None)


@router.api_route("/void.{ext}", methods=GET_HEAD, include_in_schema=False)
def void_as(request: Request, ext: str) -> Response:
    """The VoID description in a given format."""
    return _document(request, "void", ext)


@router.api_route("/.well-known/void", methods=GET_HEAD, include_in_schema=False)
def well_known_void(request: Request) -> Response:
    """The VoID well-known location (RFC 5785) points to /void."""
    return RedirectResponse(str(request.url_for("void")), status_code=303)


@router.api_route("/dumps/", methods=GET_HEAD, include_in_schema=False)
def dumps_index(request: Request) -> Response:
    """The list of dump files with sizes and checksums."""
    state = _state(request)
    site = _site(request, state)
    body = pages.dumps_body(_renderer(state, site), state.dumps, state.version)
    return _html(state, site, "Exports / dumps", body, "", {})


@router.api_route("/dumps", methods=GET_HEAD, include_in_schema=False)
def dumps_root(request: Request) -> Response:
    """`/dumps` -> `/dumps/`."""
    return RedirectResponse(request.url.path + "/", status_code=301)


@router.api_route("/dumps/{name}", methods=GET_HEAD, include_in_schema=False)
def dump_file(request: Request, name: str) -> Response:
    """One dump file (gzip when accepted; ETag and Last-Modified; 304 when unchanged)."""
    state = _state(request)
    file = state.dumps.files.get(name)
    if file is None:
        return not_found(request, state, _site(request, state), "/dumps/" + name)
    return file_response(request, file, state.last_modified)


@router.api_route("/context.jsonld", methods=GET_HEAD, include_in_schema=False)
def jsonld_context(request: Request) -> Response:
    """The JSON-LD context used by the JSON-LD dump and descriptions."""
    state = _state(request)
    return file_response(request, state.dumps.files["context.jsonld"], state.last_modified)
