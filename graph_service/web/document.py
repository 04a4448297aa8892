"""What a GET without a query answers: the query page for browsers, else the service description."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

from graph_service.negotiation import negotiate
from graph_service.publishing.iris import Site
from graph_service.representations import GRAPHS, HTML, RESULTS
from graph_service.web.deps import endpoint_url, runtime
from graph_service.web.html import html_page
from graph_service.web.request import accept, public_url, representation


def wants_html(request: Request) -> bool:
    """True when the client names text/html itself at least as high as any query answer format."""
    return negotiate(accept(request), (HTML, *RESULTS, *GRAPHS), named_only=(HTML,)) is HTML


def query_page(request: Request) -> Response:
    """The query page, in the page's language."""
    state = runtime(request)
    return html_page(request, Site(state.settings.base_iri, public_url(request, state.settings)), "query.html")


def describe_or_page(request: Request, page: Callable[[Request], Response] = query_page) -> Response:
    """HTML page for browsers (who name text/html); otherwise the Service Description in an RDF format."""
    chosen = representation(request, (HTML, *GRAPHS), named_only=(HTML,))
    if chosen is HTML:
        return page(request)
    state = runtime(request)
    body = state.description.render(endpoint_url(request, state), chosen)
    return Response(body, media_type=chosen.content_type)
