"""What a GET without a query answers: a page for browsers, else the service description."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

from graph_service.formats.negotiation import negotiate
from graph_service.formats.representations import GRAPHS, HTML, RESULTS
from graph_service.web.deps import endpoint_url, runtime
from graph_service.web.request import accept, representation


def wants_html(request: Request) -> bool:
    """True when the client names text/html itself at least as high as any query answer format."""
    return negotiate(accept(request), (HTML, *RESULTS, *GRAPHS), named_only=(HTML,)) is HTML


def wants_page(request: Request) -> bool:
    """True when a GET without a query should answer an HTML page (the client names text/html)."""
    return representation(request, (HTML, *GRAPHS), named_only=(HTML,)) is HTML


def describe_or_page(request: Request, page: Callable[[Request], Response]) -> Response:
    """HTML page for browsers (who name text/html); otherwise the Service Description in an RDF format."""
    chosen = representation(request, (HTML, *GRAPHS), named_only=(HTML,))
    if chosen is HTML:
        return page(request)
    state = runtime(request)
    body = state.description.render(endpoint_url(request, state), chosen)
    return Response(body, media_type=chosen.content_type)
