"""What a GET without a query answers: the query page for browsers, else the service description."""

from __future__ import annotations

from importlib import resources

from fastapi import Request
from fastapi.responses import Response

from graph_service.api.deps import endpoint_url, service_state
from graph_service.sparql.formats import GRAPH_FORMATS, Format, negotiate
from graph_service.sparql.negotiation import parse_accept, quality_of
from graph_service.sparql.problems import ProblemError


def wants_html(accept: str | None, formats: tuple[Format, ...]) -> bool:
    """True when the client names text/html itself at least as high as any other format offered."""
    if not accept:
        return False
    ranges = parse_accept(accept)
    explicit = [r for r in ranges if r.specificity("text/html") == 2]
    html_q = quality_of(explicit, "text/html")
    if html_q <= 0:
        return False
    best = max(
        (quality_of(ranges, t) for f in formats for t in (f.media_type, *f.aliases)), default=0.0
    )
    return html_q >= best


def query_page() -> Response:
    """The query page (a static asset of the package)."""
    page = resources.files("graph_service").joinpath("static/index.html").read_bytes()
    return Response(page, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def describe_or_page(request: Request) -> Response:
    """HTML page for browsers; otherwise the Service Description in an RDF format."""
    accept = request.headers.get("accept")
    if wants_html(accept, GRAPH_FORMATS):
        return query_page()
    fmt = negotiate(accept, GRAPH_FORMATS)
    if fmt is None:
        offered = ", ".join(["text/html", *(f.media_type for f in GRAPH_FORMATS)])
        raise ProblemError(
            406, "not-acceptable", "No acceptable format",
            f"Accept: {accept!r} matches none of: {offered}.",
        )
    state = service_state(request)
    body = state.description.render(endpoint_url(request, state), fmt)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})
