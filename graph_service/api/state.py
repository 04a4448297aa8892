"""Everything the /api routes need, built once at start-up: store, index, read model, projection."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import Request

from graph_service.api.index import ResourceIndex, build_index
from graph_service.api.profile import CpvProfiler
from graph_service.api.readmodel import ReadModel
from graph_service.config import Settings
from graph_service.named.catalog import Catalog, load_catalog
from graph_service.paths.projection import Projection, build_projection

STATE_KEY = "api_state"
log = logging.getLogger("graph_service.api")


@dataclass
class ApiState:
    """The JSON API's state; read-only once built."""

    settings: Settings
    store: ox.Store
    index: ResourceIndex
    read: ReadModel
    profiler: CpvProfiler
    catalog: Catalog
    projection: Projection
    timings_ms: dict[str, float] = field(default_factory=dict)


def build_api_state(store: ox.Store, settings: Settings) -> ApiState:
    """Index the (validated) store, project it for networkx, read the named queries; time each step."""
    timings: dict[str, float] = {}
    start = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal start
        now = time.perf_counter()
        timings[name] = round((now - start) * 1000, 1)
        start = now

    index = build_index(store, settings.base_iri)
    lap("index")
    read = ReadModel(store, index)
    catalog = load_catalog(settings.queries_dir)  # a bad .rq refuses the start, like bad data
    lap("catalog")
    projection = build_projection(store, index)
    lap("projection")
    return ApiState(settings, store, index, read, CpvProfiler(read), catalog, projection, timings)


def get_state(request: Request) -> ApiState:
    """FastAPI dependency: the state stored on the application at start-up."""
    state = getattr(request.app.state, STATE_KEY, None)
    if state is None:
        raise RuntimeError("the API state was not built: call build_api_state in the app's lifespan")
    return state  # type: ignore[no-any-return]
