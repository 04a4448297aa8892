"""The one dependency of the routes: the runtime the lifespan built (`graph_service/runtime.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph_service.runtime import Runtime
from graph_service.web.request import public_url

RUNTIME_KEY = "runtime"


def runtime(request: Request) -> Runtime:
    """The runtime on the application (set by the lifespan)."""
    found: Runtime | None = getattr(request.app.state, RUNTIME_KEY, None)
    if found is None:
        raise RuntimeError("no runtime: the application's lifespan has not run")
    return found


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def endpoint_url(request: Request, state: Runtime) -> str:
    """The public IRI of the SPARQL endpoint."""
    return public_url(request, state.settings) + "/sparql"
