"""Everything the JSON API and the CLI answer from, built once: store, index, read model, projection, catalog."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.config import Settings
from graph_service.domain.finder import Finder
from graph_service.domain.index import ResourceIndex, build_index
from graph_service.domain.profile import CpvProfiler
from graph_service.domain.readmodel import ReadModel
from graph_service.domain.sheet import SheetBuilder
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
    sheets: SheetBuilder
    finder: Finder
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
    profiler = CpvProfiler(read)
    sheets, finder = SheetBuilder(read, profiler), Finder(read)
    lap("sheets")
    return ApiState(settings, store, index, read, profiler, catalog, projection, sheets, finder, timings)
