"""The composition root: open the dataset once, then build every part the routes and the CLI use.

`open_dataset(settings)` reads the files into an Oxigraph store, and checks them: a child process reads
them into an rdflib graph and pyshacl validates it against the shapes (`shacl_jobs`), so neither graph
lives here (a `Dataset` keeps the store, the shapes in a small store of their own and the report).
`build_runtime(dataset)` builds the read model, the path projection, the named-query catalog, the
publishing artefacts and the service description (a `Runtime`), all reading the one store;
`start_runtime(settings)` does both for the server and starts the
SPARQL workers, which load the store while the child validates. No HTTP here: the web layer reads the
`Runtime` through one dependency. rdflib and pyshacl are for the check only: no module the requests
reach imports them but the pages' term conversion (tests/web/test_layers.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import gc
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph_service.config import Settings
from graph_service.dataset.data_version import data_version
from graph_service.dataset.loading import DataSyntaxError, project_files
from graph_service.dataset.shacl_jobs import validate_files
from graph_service.dataset.store import DatasetError, build_store, dump_nquads
from graph_service.dataset.validation import ValidationReport
from graph_service.dataset.verdicts import verdict
from graph_service.domain.clauses import ClauseBook
from graph_service.domain.families import Families
from graph_service.domain.finder import Finder
from graph_service.domain.index import ResourceIndex, build_index
from graph_service.domain.profile import CpvProfiler
from graph_service.domain.readmodel import ReadModel
from graph_service.domain.sheet import SheetBuilder
from graph_service.named.catalog import Catalog, load_catalog
from graph_service.named.header import HeaderError
from graph_service.named.published import example_quads, examples_graph
from graph_service.paths.projection import Projection, build_projection
from graph_service.prefixes import PREFIXES
from graph_service.prepared import Prepared, prepare
from graph_service.publishing import publication as publishing
from graph_service.publishing.publication import Publication, build_publication
from graph_service.sparql import shared_store
from graph_service.sparql.admission import Admission
from graph_service.sparql.description import ServiceDescription, Statistics, compute_statistics
from graph_service.sparql.engine import Limits, QueryEngine
from graph_service.sparql.hardening import disable_rdflib_graph_loading
from graph_service.sparql.pool import WorkerPool
from graph_service.sparql.remote import EngineCheckError, RemoteEngine, check_engine
from graph_service.sparql.sandbox import SandboxUnavailableError, worker_sandbox
from graph_service.sparql.schema import schema_graph, schema_quads

log = logging.getLogger("graph_service")
Opened = tuple[list[Path], ox.Store, dict[str, Path]]


class StartupRefusedError(Exception):
    """The data cannot be served; `report` says what to fix."""

    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


@dataclass(frozen=True)
class Dataset:
    """The data opened once: its files, the Oxigraph store (one named graph per file), the shapes (a small
    store of their own), the SHACL report and the data version. The graph rdflib checked is not kept."""

    settings: Settings
    files: tuple[Path, ...]
    store: ox.Store
    graphs: dict[str, Path]
    shapes: ox.Store
    report: ValidationReport
    version: str

    def require_valid(self) -> Dataset:
        """This dataset, or StartupRefusedError with the report when it does not conform."""
        if not self.report.conforms:
            raise StartupRefusedError("The data does not conform to the shapes.\n" + self.report.render())
        return self


def open_store(settings: Settings, paths: Sequence[Path] | None = None) -> Opened:
    """The files and their Oxigraph store; StartupRefusedError when there is none or one does not parse."""
    try:
        files = project_files(settings, paths)
        store, graphs = build_store(files, settings.base_iri)
    except (FileNotFoundError, DatasetError) as exc:
        raise StartupRefusedError(str(exc)) from exc
    return files, store, graphs


def open_dataset(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    *,
    opened: Opened | None = None,
    reuse_verdict: bool = False,
    checked: tuple[list[Path], ValidationReport] | None = None,
) -> Dataset:
    """Read, parse and validate the data (the report is in the dataset: see `require_valid`).

    Without `opened`, rdflib reads the files first, so that a syntax error names its line. The rdflib
    graphs (data and shapes) live only for the check. The verdict is kept in settings.cache_dir;
    `reuse_verdict` (the server) takes the kept one when the files are unchanged, and rdflib then reads
    nothing. `checked`: the check's answer when it ran already (the server runs it beside the preparation)."""
    files, report = checked or check_files(settings, paths, opened[0] if opened else None, reuse_verdict=reuse_verdict)
    files, store, graphs = opened or open_store(settings, paths)
    shapes = ox.Store()
    shapes.load(path=settings.shapes_file, format=ox.RdfFormat.TURTLE)
    return Dataset(settings, tuple(files), store, graphs, shapes, report, data_version(store))


def check_files(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    files: Sequence[Path] | None = None,
    *,
    reuse_verdict: bool = False,
) -> tuple[list[Path], ValidationReport]:
    """Parse the files with rdflib and validate them with pyshacl, or take the verdict kept for these very
    files (`verdicts.py`); the graphs are dropped on return."""
    try:
        files = list(files) if files else project_files(settings, paths)
    except FileNotFoundError as exc:
        raise StartupRefusedError(str(exc)) from exc

    def validate() -> ValidationReport:  # in a child process: its rdflib graph never lives here
        try:
            return validate_files(files, settings.shapes_file)
        except (DataSyntaxError, FileNotFoundError) as exc:
            raise StartupRefusedError(str(exc)) from exc

    return files, verdict(settings.cache_dir, files, settings.shapes_file, validate, reuse=reuse_verdict)


@dataclass
class Runtime:
    """Every part built from one dataset; read-only once built. The CLI's has no query engine."""

    dataset: Dataset
    store: ox.Store
    index: ResourceIndex
    read: ReadModel
    profiler: CpvProfiler
    families: Families
    queries: Catalog
    publication: Publication
    description: ServiceDescription
    sheets: SheetBuilder
    finder: Finder
    clauses: ClauseBook
    query_engine: QueryEngine | None = None
    startup_s: float = 0.0
    prepared: Prepared | None = None  # the data version's entry in KG_CACHE_DIR (the server's runtime)
    _projection: Projection | None = field(default=None, repr=False)
    _projecting: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def projection(self) -> Projection:
        """The networkx projection for paths, built on first use (the start does not pay for it)."""
        if self._projection is None:
            with self._projecting:
                if self._projection is None:
                    self._projection = build_projection(self.read)
        return self._projection

    @property
    def settings(self) -> Settings:
        """The settings the dataset was opened with."""
        return self.dataset.settings

    @property
    def version(self) -> str:
        """The data version."""
        return self.dataset.version

    @property
    def graphs(self) -> dict[str, Path]:
        """The named graphs of the store and their files."""
        return self.dataset.graphs

    @property
    def triples(self) -> int:
        """The number of triples in the store."""
        return self.description.stats.triples

    @property
    def engine(self) -> QueryEngine:
        """The SPARQL engine (the server's runtime only)."""
        if self.query_engine is None:
            raise RuntimeError("this runtime has no query engine: start it with start_runtime")
        return self.query_engine

    async def close(self) -> None:
        """Stop the workers, if any."""
        if self.query_engine is not None:
            await self.query_engine.pool.close()


def build_runtime(
    dataset: Dataset,
    engine: QueryEngine | None = None,
    stats: Statistics | None = None,
    prepared: Prepared | None = None,
) -> Runtime:
    """Index the (validated) store, materialise the read model, read the named queries (a bad .rq refuses
    the start, like bad data), serialise the dumps; the networkx projection is built on first use.
    `stats`: the store's statistics when already computed; `prepared`: the data version's entry in
    KG_CACHE_DIR (its statistics, dumps, temporal coverage and local IRIs)."""
    settings, store = dataset.settings, dataset.store
    stats = stats or (prepared.stats if prepared else None) or compute_statistics(store)
    derived = publishing.Prepared(prepared.dumps, prepared.temporal, prepared.iris) if prepared else None
    index = build_index(store, settings.base_iri)
    read = ReadModel(store, index)
    profiler = CpvProfiler(read)
    queries = load_catalog(settings.queries_dir)
    served = examples_graph(settings.base_iri) in dataset.graphs  # by the local workers only
    examples = (examples_graph(settings.base_iri), len(example_quads(queries, settings.base_iri, PREFIXES)))
    schema = (schema_graph(settings.base_iri), len(schema_quads(stats.schema, stats.classes, settings.base_iri)))
    return Runtime(
        dataset=dataset,
        store=store,
        index=index,
        read=read,
        profiler=profiler,
        families=Families(read),
        queries=queries,
        publication=build_publication(store, dataset.shapes, settings, stats, derived),
        description=ServiceDescription(
            stats,
            dataset.version,
            PREFIXES,
            examples=examples if served else None,
            schema=schema if schema[0] in dataset.graphs else None,
        ),
        sheets=SheetBuilder(read, profiler),
        finder=Finder(read),
        clauses=ClauseBook(read),
        query_engine=engine,
    )


async def start_runtime(settings: Settings) -> Runtime:
    """The server's runtime: open and validate the dataset while the workers start, then build every part."""
    started = time.perf_counter()
    disable_rdflib_graph_loading()
    # The check (a child process when SHACL must run) and the preparation of the data (when the files are
    # new) need nothing of each other: on two cores a validating start takes the longer of the two, not
    # their sum. Nothing is served before both are done and the verdict says the files conform.
    check = asyncio.ensure_future(asyncio.to_thread(check_files, settings, reuse_verdict=True))
    try:
        runtime = await _start_beside(settings, check)
    except BaseException:
        with contextlib.suppress(BaseException):  # the check's thread ends before the refusal is told
            await check
        raise
    runtime.startup_s = time.perf_counter() - started
    return runtime


async def _start_beside(settings: Settings, check: asyncio.Future[tuple[list[Path], ValidationReport]]) -> Runtime:
    """The rest of the start, while `check` runs: prepare the data, start the workers, build the parts."""
    prepared = await asyncio.to_thread(prepare_data, settings)
    opened = (list(prepared.graphs.values()), server_store(settings, prepared), dict(prepared.graphs))
    examples = b""
    stats: Statistics = prepared.stats
    if not settings.engine_url:
        # The named queries and prefixes as SHACL examples: served by the workers beside the data (in the
        # default union graph), counted apart from it (statistics, VoID and /health count the data alone).
        try:
            quads = example_quads(load_catalog(settings.queries_dir), settings.base_iri, PREFIXES)
        except HeaderError as exc:
            raise StartupRefusedError(str(exc)) from exc
        # The schema (nested VoID partitions), likewise: from the statistics prepared once per data version.
        quads += schema_quads(stats.schema, stats.classes, settings.base_iri)
        examples = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        opened[2][examples_graph(settings.base_iri)] = settings.queries_dir
        opened[2][schema_graph(settings.base_iri)] = settings.queries_dir  # derived: no file of its own
    pool = await _backend(settings, prepared, examples, graphs=sorted(opened[2]))
    workers = asyncio.create_task(pool.start())
    try:
        checked = await check
        dataset = await asyncio.to_thread(functools.partial(open_dataset, settings, opened=opened, checked=checked))
        dataset.require_valid()
        release_checked_memory()
        try:
            await workers
        except SandboxUnavailableError as exc:
            raise StartupRefusedError(str(exc)) from exc
        if isinstance(pool, WorkerPool):
            _log_egress(pool.egress, settings.worker_sandbox)
        limits = Limits(
            settings.query_timeout_s,
            settings.max_rows,
            settings.max_query_length,
            settings.max_answer_bytes,
            settings.guard_thread_above,
        )
        admission = Admission(settings.workers + settings.query_queue)
        engine = QueryEngine(pool, admission, limits, dataset.graphs, PREFIXES, base_iri=settings.base_iri)
        runtime = await asyncio.to_thread(build_runtime, dataset, engine, stats, prepared)
        runtime.prepared = prepared
        if isinstance(pool, RemoteEngine):
            try:
                await check_engine(pool, runtime.triples, runtime.version)
            except EngineCheckError as exc:
                raise StartupRefusedError(str(exc)) from exc
    except BaseException:
        workers.cancel()
        with contextlib.suppress(BaseException):
            await workers
        await pool.close()
        raise
    return runtime


def prepare_data(settings: Settings) -> Prepared:
    """The files' entry in KG_CACHE_DIR (`graph_service/prepared.py`): opened when the files are unchanged,
    else built; StartupRefusedError when there is no file or one does not parse."""
    try:
        return prepare(settings.cache_dir, project_files(settings), settings.base_iri)
    except (FileNotFoundError, DatasetError) as exc:
        raise StartupRefusedError(str(exc)) from exc


def server_store(settings: Settings, prepared: Prepared) -> ox.Store:
    """The store the server's pages and API read: the prepared on-disk one (KG_SERVER_STORE=disk, and
    always in remote mode), or a copy in memory (KG_SERVER_STORE=memory, local engine only)."""
    if settings.server_store == "disk" or settings.engine_url:
        return prepared.store
    store, _graphs = build_store(list(prepared.graphs.values()), settings.base_iri)
    return store


def release_checked_memory() -> None:
    """Hand the memory of the checked graphs (rdflib's, pyshacl's: dropped by now) back to the system.

    Collected, their objects leave free blocks in the C heap that the process would otherwise keep at its
    start-up peak; glibc's malloc_trim returns them (a no-op where there is no glibc)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _log_egress(layers: dict[str, bool], mode: str) -> None:
    """The layers against egress the workers' probes proved (not what the settings asked for)."""
    words = ", ".join(f"{name.replace('_', ' ')} {'on' if on else 'OFF'}" for name, on in layers.items())
    if layers["network_namespace"] or layers["seccomp"]:
        log.info("egress layers (proven by the workers' probes): %s", words)
    else:
        log.warning(
            "egress layers (proven by the workers' probes): %s; KG_WORKER_SANDBOX=%s: the query "
            "guard is the only layer between a query and the network",
            words,
            mode,
        )


async def _backend(
    settings: Settings, prepared: Prepared, examples: bytes = b"", graphs: Sequence[str] = ()
) -> WorkerPool | RemoteEngine:
    """The worker pool over the store, or the remote engine of KG_ENGINE_URL (which holds the same data)."""
    if settings.engine_url:
        log.info(
            "engine: remote SPARQL endpoint %s (%d connections); egress layers: query guard on, "
            "the engine's network is its operator's to restrict",
            settings.engine_url,
            settings.workers,
        )
        return RemoteEngine(
            settings.engine_url,
            settings.workers,
            PREFIXES,
            graphs=graphs if settings.engine_dataset == "graphs" else (),
        )
    try:
        sandbox = await asyncio.to_thread(worker_sandbox, settings.worker_sandbox)
    except SandboxUnavailableError as exc:
        raise StartupRefusedError(str(exc)) from exc
    nquads = b""
    shared = None
    if shared_store.shares(settings.worker_store, prepared.nquads_bytes + len(examples), settings.worker_memory_mb):
        shared = await asyncio.to_thread(
            shared_store.prepare_from, settings.cache_dir, prepared.key, prepared.store, examples
        )
    if shared is None:
        nquads = dump_nquads(prepared.store) + examples
    return WorkerPool(
        settings.workers,
        b"" if shared else nquads,
        PREFIXES,
        store_path=str(shared) if shared else None,
        sandbox=sandbox,
        seccomp=settings.worker_sandbox == "required",
        memory_mb=settings.worker_memory_mb,
        long_slots=settings.long_query_slots,
        long_after_s=settings.long_query_s,
        respawn_max_s=settings.worker_respawn_max_s,
        spool_bytes=settings.max_spool_bytes,
    )
