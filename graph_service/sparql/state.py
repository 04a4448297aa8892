"""Start-up of the query service: load, validate, build the store, start the workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph_service.config import Settings
from graph_service.data_version import data_version
from graph_service.loading import DataSyntaxError, LoadedGraph, discover_data_files, load_files, ontology_files
from graph_service.named.catalog import load_catalog
from graph_service.named.header import HeaderError
from graph_service.named.published import example_quads, examples_graph
from graph_service.namespaces import PREFIXES
from graph_service.sparql.admission import Admission
from graph_service.sparql.description import ServiceDescription, compute_statistics
from graph_service.sparql.engine import Limits, QueryEngine
from graph_service.sparql.hardening import disable_rdflib_graph_loading
from graph_service.sparql.pool import WorkerPool
from graph_service.sparql.sandbox import SandboxUnavailableError, worker_sandbox
from graph_service.store import DatasetError, build_store, dump_nquads
from graph_service.validation import ValidationReport, load_shapes, validate_graph

log = logging.getLogger("graph_service")


class StartupRefusedError(Exception):
    """The data cannot be served; `report` says what to fix."""

    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


@dataclass
class ServiceState:
    """Everything the routes need, built once in the lifespan."""

    settings: Settings
    engine: QueryEngine
    description: ServiceDescription
    triples: int
    version: str
    graphs: dict[str, Path]
    startup_s: float
    loaded: LoadedGraph
    shapes: Graph
    store: ox.Store

    async def close(self) -> None:
        """Stop the workers."""
        await self.engine.pool.close()


async def open_service(settings: Settings) -> ServiceState:
    """Load and validate the data and start the workers; raise StartupRefusedError on bad data."""
    started = time.perf_counter()
    disable_rdflib_graph_loading()
    try:
        files = [*ontology_files(settings), *discover_data_files([settings.data_dir])]
        store, graphs = build_store(files, settings.base_iri)
        # Served beside the data (workers only): statistics, VoID and /health count the data alone.
        examples = example_quads(load_catalog(settings.queries_dir), settings.base_iri, PREFIXES)
        graphs[examples_graph(settings.base_iri)] = settings.queries_dir
    except (FileNotFoundError, DatasetError, HeaderError) as exc:
        raise StartupRefusedError(str(exc)) from exc
    try:
        sandbox = await asyncio.to_thread(worker_sandbox, settings.worker_sandbox)
    except SandboxUnavailableError as exc:
        raise StartupRefusedError(str(exc)) from exc
    log.info("egress layers: query guard on; worker network sandbox %s",
             f"on ({' '.join(sandbox)})" if sandbox else "OFF (KG_WORKER_SANDBOX=off)")
    pool = WorkerPool(
        settings.workers, dump_nquads(store) + (ox.serialize(examples, format=ox.RdfFormat.N_QUADS) or b""),
        PREFIXES, sandbox=sandbox,
        memory_mb=settings.worker_memory_mb, long_slots=settings.long_query_slots,
        long_after_s=settings.long_query_s, respawn_max_s=settings.worker_respawn_max_s,
    )
    workers = asyncio.create_task(pool.start())
    try:
        loaded, shapes, report = await asyncio.to_thread(_load_and_validate, settings, files)
        if not report.conforms:
            raise StartupRefusedError("The data does not conform to the shapes.\n" + report.render())
        await workers
    except BaseException:
        workers.cancel()
        with contextlib.suppress(BaseException):
            await workers
        await pool.close()
        raise
    stats = compute_statistics(store)
    version = data_version(loaded.graph)
    limits = Limits(settings.query_timeout_s, settings.max_rows, settings.max_query_length,
                    settings.max_answer_bytes)
    admission = Admission(settings.workers + settings.query_queue)
    engine = QueryEngine(pool, admission, limits, graphs, PREFIXES, base_iri=settings.base_iri)
    return ServiceState(
        settings=settings,
        engine=engine,
        description=ServiceDescription(
            stats, version, PREFIXES, examples=(examples_graph(settings.base_iri), len(examples))
        ),
        triples=stats.triples,
        version=version,
        graphs=graphs,
        startup_s=time.perf_counter() - started,
        loaded=loaded,
        shapes=shapes,
        store=store,
    )


def _load_and_validate(settings: Settings, files: list[Path]) -> tuple[LoadedGraph, Graph, ValidationReport]:
    try:
        loaded = load_files(files)
        shapes = load_shapes(settings.shapes_file)
    except (DataSyntaxError, FileNotFoundError) as exc:
        raise StartupRefusedError(str(exc)) from exc
    return loaded, shapes, validate_graph(loaded, shapes)
