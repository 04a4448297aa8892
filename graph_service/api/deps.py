"""Access to the service state built in the lifespan."""

from __future__ import annotations

from fastapi import Request

from graph_service.sparql.state import ServiceState
from graph_service.web.request import public_url


def service_state(request: Request) -> ServiceState:
    """The state on the application (set by the lifespan)."""
    state: ServiceState = request.app.state.service
    return state


def endpoint_url(request: Request, state: ServiceState) -> str:
    """The public IRI of the SPARQL endpoint."""
    return public_url(request, state.settings) + "/sparql"
