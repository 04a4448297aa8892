"""Access to the service state built in the lifespan."""

from __future__ import annotations

from fastapi import Request

from graph_service.sparql.state import ServiceState


def service_state(request: Request) -> ServiceState:
    """The state on the application (set by the lifespan)."""
    state: ServiceState = request.app.state.service
    return state


def endpoint_url(request: Request, state: ServiceState) -> str:
    """The public IRI of the SPARQL endpoint."""
    base = state.settings.public_base_url or str(request.base_url)
    return base.rstrip("/") + "/sparql"
