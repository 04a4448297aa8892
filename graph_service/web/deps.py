"""Access to the states the lifespan built (the SPARQL service's and the JSON API's)."""

from __future__ import annotations

from fastapi import Request

from graph_service.api_state import STATE_KEY, ApiState
from graph_service.sparql.state import ServiceState
from graph_service.web.request import public_url


def service_state(request: Request) -> ServiceState:
    """The state on the application (set by the lifespan)."""
    state: ServiceState = request.app.state.service
    return state


def endpoint_url(request: Request, state: ServiceState) -> str:
    """The public IRI of the SPARQL endpoint."""
    return public_url(request, state.settings) + "/sparql"


def get_state(request: Request) -> ApiState:
    """FastAPI dependency: the state stored on the application at start-up."""
    state = getattr(request.app.state, STATE_KEY, None)
    if state is None:
        raise RuntimeError("the API state was not built: call build_api_state in the app's lifespan")
    return state  # type: ignore[no-any-return]
