"""Routes: /id/…, /def/…, /shapes/…, /describe, /catalog, /void, /dumps/…, /context.jsonld.

Content negotiation answers 200 directly (no 303): the body is the representation the Accept
header prefers (`Vary: Accept`, set by the negotiation), with `Content-Location` naming the suffixed
URL of that representation (`/id/label/eu-ecolabel.ttl`), which always answers the same format.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from graph_service.domain.index import short_id
from graph_service.formats.negotiation import negotiate
from graph_service.formats.representations import DOCUMENTS, HTML, PAGES, Representation, by_suffix, split_suffix
from graph_service.problems import Suggestion, not_found
from graph_service.publishing import pages
from graph_service.publishing.describe import describe, describe_many, is_mentioned
from graph_service.publishing.iris import Site
from graph_service.publishing.publication import Publication
from graph_service.publishing.serialize import serialize
from graph_service.publishing.storegraph import GraphLike, resource
from graph_service.publishing.terms import iri as text_of
from graph_service.web.deps import runtime
from graph_service.web.errors import problem_response
from graph_service.web.files import file_response
from graph_service.web.html import html_page, page_language
from graph_service.web.request import accept, public_url, representation
from graph_service.web.sheets import sheet_path

router = APIRouter(tags=["linked data"])
GET_HEAD = ["GET", "HEAD"]


def _state(request: Request) -> Publication:
    return runtime(request).publication


def _site(request: Request, state: Publication) -> Site:
    return state.site(public_url(request, state.settings))


def _views(
    request: Request, state: Publication, site: Site, names: GraphLike | None = None, lang: str | None = None
) -> pages.Views:
    """What the pages show, in the page's language (or `lang`), named by the resource index first."""
    names = state.names if names is None else names
    return pages.Views(
        site=site,
        names=names,
        described=state.is_described,
        lang=lang or page_language(request),
        index=runtime(request).index,
    )


def _headers(stem: str, fmt: Representation, negotiated: bool) -> dict[str, str]:
    if not negotiated:
        return {}
    return {"Content-Location": quote(stem + fmt.suffix, safe="/#:-._~")}


def _rdf(graph: GraphLike, fmt: Representation, state: Publication, headers: dict[str, str]) -> Response:
    body = serialize(graph, fmt, state.dumps.context)
    return Response(body, media_type=fmt.content_type, headers=headers)


def missing(request: Request, state: Publication, site: Site, path: str) -> Response:
    """404 with the closest known ids (an HTML page for browsers, the one 404 problem for the others)."""
    known = [p for p in (site.path_of(i) for i in state.local_iris) if p is not None]
    suggestions = pages.closest_paths(path, known)
    if negotiate(accept(request), PAGES) is HTML:
        return html_page(request, site, "not_found.html", status=404, path=path, suggestions=suggestions)
    views = _views(request, state, site, lang="fr")  # a problem has no page language
    found = [resource(site.iri_of(p)) for p in suggestions]
    hints = [Suggestion(short_id(text_of(i)), text_of(i), views.label(i)) for i in found]
    return problem_response(not_found(f"{path} is not a resource of this graph", hints))


def serve_path(request: Request, path: str) -> Response:
    """Dereference a service path standing for an IRI of the graph, the ontology or the shapes."""
    state = _state(request)
    site = _site(request, state)
    stem, suffix_format = split_suffix(path)
    if stem in ("/id/", *(k for k in state.kind_paths(site))):
        representation(request, (HTML,))
        found = pages.index_page(_views(request, state, site), state.graph, state.local_iris, site.iri_of(stem))
        return html_page(request, site, "index.html", **found)
    try:
        iri = resource(site.iri_of(stem))
    except ValueError:  # a path no IRI can name (a space, a bracket): no resource has it
        return missing(request, state, site, path)
    source = state.shapes if stem.startswith("/shapes/") else state.graph
    if not is_mentioned(source, iri):
        return missing(request, state, site, path)
    fmt = representation(request, PAGES, suffix=suffix_format)
    headers = _headers(stem, fmt, suffix_format is None)
    href = site.url(quote(stem, safe="/#:-._~"))
    alternates = pages.alternates_for(href)
    if stem == "/def/":
        if fmt is not HTML:
            terms = [s for s in state.graph.subjects() if text_of(s).startswith(text_of(iri))]
            return _rdf(describe_many(state.graph, set(terms)), fmt, state, headers)
        found = pages.namespace_page(_views(request, state, site), state.graph, iri, pages.NAMESPACE_KINDS)
        return html_page(
            request, site, "namespace.html", headers=headers, alternates=alternates, title_key="ontology.title", **found
        )
    if stem == "/shapes/":
        if fmt is not HTML:
            return _rdf(state.shapes, fmt, state, headers)
        found = pages.namespace_page(_views(request, state, site), state.shapes, iri, pages.SHAPE_KINDS)
        return html_page(
            request, site, "namespace.html", headers=headers, alternates=alternates, title_key="shapes.title", **found
        )
    if fmt is not HTML:
        return _rdf(describe(source, iri, names=state.names), fmt, state, headers)
    views = _views(request, state, site)
    if source is state.shapes:
        return html_page(
            request,
            site,
            "shape.html",
            headers=headers,
            alternates=alternates,
            **pages.shape_page(views, state.shapes, iri),
        )
    return html_page(
        request,
        site,
        "resource.html",
        headers=headers,
        alternates=alternates,
        sheet=sheet_path(request, text_of(iri)),
        neighbourhood=neighbourhood_link(request, site, text_of(iri)),
        **pages.resource_page(views, state.graph, iri, runtime(request).read),
    )


def neighbourhood_link(request: Request, site: Site, iri: str) -> str:
    """The URL of the resource's neighbourhood picture, when the path graph holds it (else empty)."""
    api = runtime(request)
    found = api.index.get(iri)
    if found is None or iri not in api.projection.graph:
        return ""
    key = found.id if api.index.resolve(found.id) is found else iri
    return site.url("/pictures/neighbourhood/" + quote(key, safe=""))


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
    if not state.is_described(iri):
        return missing(request, state, site, iri)
    node = resource(iri)
    suffix_format = next((f for f in PAGES if format in (f.suffix.lstrip("."), f.name)), None)
    fmt = representation(request, PAGES, suffix=suffix_format)
    headers: dict[str, str] = {}
    if fmt is not HTML:
        return _rdf(describe(state.graph, node, names=state.names), fmt, state, headers)
    found = pages.resource_page(_views(request, state, site), state.graph, node, runtime(request).read)
    return html_page(request, site, "resource.html", headers=headers, sheet=sheet_path(request, iri), **found)


def _document(request: Request, name: str, ext: str | None) -> Response:
    state = _state(request)
    site = _site(request, state)
    suffix_format = None
    if ext is not None:
        suffix_format = by_suffix(ext, DOCUMENTS)
        if suffix_format is None:
            return missing(request, state, site, f"/{name}.{ext}")
    fmt = representation(request, DOCUMENTS, suffix=suffix_format)
    headers = _headers("/" + name, fmt, suffix_format is None)
    graph = state.catalog(site) if name == "catalog" else state.void(site)
    if fmt is not HTML:
        return Response(serialize(graph, fmt), media_type=fmt.content_type, headers=headers)
    views = _views(request, state, site, names=state.names.with_graph(graph))
    alternates = pages.alternates_for(site.url("/" + name))
    if name == "catalog":
        found = pages.catalog_page(views, graph, resource(site.base_iri + "catalog"), state.dumps, state.version)
        return html_page(request, site, "catalog.html", headers=headers, alternates=alternates, **found)
    found = pages.void_page(views, graph, state.facts.node)
    return html_page(request, site, "void.html", headers=headers, alternates=alternates, **found)


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
    return RedirectResponse(_site(request, _state(request)).url("/void"), status_code=303)


@router.api_route("/dumps/", methods=GET_HEAD, include_in_schema=False)
def dumps_index(request: Request) -> Response:
    """The list of dump files with sizes and checksums."""
    state = _state(request)
    site = _site(request, state)
    representation(request, (HTML,))
    return html_page(request, site, "dumps.html", **pages.dumps_page(state.dumps, state.version))


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
        return missing(request, state, _site(request, state), "/dumps/" + name)
    return file_response(request, file, state.last_modified)


@router.api_route("/context.jsonld", methods=GET_HEAD, include_in_schema=False)
def jsonld_context(request: Request) -> Response:
    """The JSON-LD context used by the JSON-LD dump and descriptions."""
    state = _state(request)
    return file_response(request, state.dumps.files["context.jsonld"], state.last_modified)
