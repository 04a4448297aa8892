"""Settings of the project: paths, limits, base IRI. The only place that reads the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_service.prefixes import BASE_IRI

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the user's cache folder (XDG): writable from a source checkout and from an installed wheel alike
USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "graph-service"
# Where a wheel installs the ontology, data and queries (pyproject.toml, tool.setuptools.data-files).
BUNDLE = Path(sys.prefix) / "share" / "graph-service"


def bundled(name: str) -> Path:
    """The folder `name` of the source checkout when run from one, else the copy the wheel installed."""
    if (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / name).is_dir():
        return PROJECT_ROOT / name
    return BUNDLE / name


# Reserved domain (RFC 2606): never delivered. Set KG_CONTACT_EMAIL before publishing the catalogue.
DEFAULT_CONTACT_EMAIL = "contact@achats-numeriques-responsables.invalid"


class Settings(BaseSettings):
    """Frozen settings; every field can be set by an environment variable prefixed `KG_`."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    # the ontology (anr.ttl), the names of reused terms and the SHACL shapes (shapes.ttl)
    ontology_dir: Path = bundled("ontology")
    # the data: every .ttl file is one named graph, {base}graph/{file}
    data_dir: Path = bundled("data")
    # the named queries (.rq files with a #+ header), served under /api/queries
    queries_dir: Path = bundled("queries")
    # the SHACL verdict of each data version (keyed by a hash of the files, the shapes and the validator):
    # `serve` skips validation when the files are unchanged, `validate` always validates. The user's cache
    # folder ($XDG_CACHE_HOME/graph-service, else ~/.cache/graph-service), not the project's build/, so that
    # an installed wheel (read-only site folder) has one and `git clean` keeps it; a service
    # under systemd sets it to its CacheDirectory. It also keeps each data version's prepared store, statistics
    # and dumps (the last two versions). An unwritable folder only costs the next start a validation and a
    # build of those in a temporary folder
    cache_dir: Path = USER_CACHE
    # base of the graph's IRIs (/id/x is {base}id/x); the data files are written with it: change both together
    base_iri: str = BASE_IRI
    # where the service is reached (https://graph.example.fr): published URLs, redirects, links; set it behind a proxy
    public_base_url: str | None = None
    # Host names (comma-separated, `*.example.org` allowed) whose Host header may name the public URL
    trusted_hosts: str = ""
    # the DCAT catalogue's contact point; the default never delivers mail (a warning is logged while it is used)
    contact_email: str = DEFAULT_CONTACT_EMAIL
    # interface to listen on (serve --host)
    host: str = "127.0.0.1"
    # port to listen on (serve --port)
    port: int = 8000
    # deadline of one SPARQL query, waiting for a worker included; past it 504 (503 if no worker freed up)
    query_timeout_s: float = Field(default=10.0, gt=0)
    # most rows of one answer; past it the query gets 400 too-many-rows (the bytes cap bounds memory; SIB's
    # editor asks for the schema with labels and comments in two languages: about 10,000 rows today)
    max_rows: int = Field(default=50_000, gt=0)
    # most characters of one query text; past it 413
    max_query_length: int = Field(default=20_000, gt=0)
    # queries longer than this (characters) are checked by the guard on a thread, off the event loop
    guard_thread_above: int = Field(default=2_000, ge=0)
    # queries that may wait for a free worker beyond those running; past it, 429 + Retry-After
    query_queue: int = Field(default=64, ge=0)
    # query worker processes (with a remote engine: queries at the engine at once)
    workers: int = Field(default=2, gt=0)
    # costly pages (sheets, their ODT / CSV exports, pictures) computed at once, on threads (web/costly.py)
    page_workers: int = Field(default=2, gt=0)
    # costly pages that may wait for a turn (up to 10 s); past that, 503 pages-busy + Retry-After
    page_queue: int = Field(default=16, ge=0)
    # cap on the bytes of one answer (serialized); past it the query gets 400 answer-too-large
    max_answer_bytes: int = Field(default=64 << 20, gt=0)
    # cells (rows x columns) of a workbook (format=xlsx) built from a SPARQL answer; past it, 413
    # sheet-too-large (CSV, TSV, JSON carry any answer)
    max_sheet_cells: int = Field(default=200_000, gt=0)
    # bytes of the SPARQL answer a workbook is built from; past it, 413 sheet-too-large
    max_sheet_bytes: int = Field(default=16 << 20, gt=0)
    # bytes of large answers (over 1 MiB) held in temporary files for clients still reading them; a
    # large answer past it is dropped with 503 delivery-busy (its worker is kept)
    max_spool_bytes: int = Field(default=512 << 20, gt=0)
    # address-space bound of each query worker (RLIMIT_AS), MiB; 256 of it is the query thread's stack
    worker_memory_mb: int = Field(default=1024, ge=0)
    # how the query workers hold the data: copy (each loads its own in-memory copy: fastest queries),
    # shared (each opens one on-disk store in KG_CACHE_DIR read-only: memory flat in the data's size, some
    # queries several times slower), auto (copy while the N-Quads are under a twentieth of KG_WORKER_MEMORY_MB)
    worker_store: Literal["auto", "copy", "shared"] = "auto"
    # what the server's own pages and API read: disk (the data version's on-disk store prepared once in
    # KG_CACHE_DIR, memory flat in the data's size, and a restart with the same data opens it) or memory
    # (an in-memory copy parsed at every start). Remote mode (KG_ENGINE_URL) always reads the disk store
    server_store: Literal["disk", "memory"] = "disk"
    # a query running longer than this must hold a long-lane slot (or wait for one and restart)
    long_query_s: float = Field(default=0.5, gt=0)
    # queries that may run past long_query_s at once; capped at workers - 1 so one stays for short ones
    long_query_slots: int = Field(default=1, gt=0)
    # longest pause between attempts to restart a query worker that fails to start (it never gives up)
    worker_respawn_max_s: float = Field(default=5.0, gt=0)

    # a request head must be complete within this many seconds of the connection's start or of the
    # previous response's end, else the connection is closed (408 if part of a head came)
    head_timeout_s: float = Field(default=10.0, gt=0)
    # a client that reads nothing of a response for this many seconds (the server's send buffer full)
    # has its connection aborted: an answer left unread holds a connection this long, not forever
    send_timeout_s: float = Field(default=30.0, gt=0)
    # an idle keep-alive connection is closed after this many seconds
    keep_alive_s: int = Field(default=5, gt=0)
    # open connections; past it a new one gets 503 and is closed before anything is read (the cap is
    # also kept 256 below the process's descriptor limit)
    max_connections: int = Field(default=1000, gt=0)

    # max-age (seconds) of Cache-Control on successful GET answers; the data only changes with a deploy
    cache_max_age: int = Field(default=300, ge=0)

    # a SPARQL 1.1 endpoint holding this data (graph-service export): queries go there, not to workers
    engine_url: str | None = None
    # union: the engine's default graph is the union of this data's graphs (Oxigraph --union-default-graph);
    # graphs: every query names this data's graphs as its dataset (an engine holding other graphs: Virtuoso)
    engine_dataset: Literal["union", "graphs"] = "union"
    # one JSON line per request on standard output (graph_service.access)
    access_log: bool = True

    # the legal notice (/mentions-legales, LCEN art. 6 III): who hosts the service (name, address, phone);
    # empty: the page says « à compléter par l'exploitant ». Set it before publishing.
    legal_hosting: str = ""
    # the legal notice: the director of publication (a person's name or a role); empty: the page names the
    # role only (the head of the organisation that operates the service), never an invented name
    legal_director: str = ""

    # required: each query worker's seccomp filter (no socket at all) must be proven by its probe, else the
    # start is refused; a network namespace (unshare --net) is added where the host allows it.
    # off: no OS layer at all, the guard alone (logged as a warning). /health "egress" says what is active.
    worker_sandbox: Literal["required", "off"] = "required"

    @property
    def trusted_host_names(self) -> tuple[str, ...]:
        """KG_TRUSTED_HOSTS as a tuple of lower-case names."""
        return tuple(h.strip().lower() for h in self.trusted_hosts.split(",") if h.strip())

    @property
    def configured_base_url(self) -> str:
        """The base URL the configuration gives (`http://{host}:{port}`), used when no Host is trusted."""
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def shapes_file(self) -> Path:
        """SHACL shapes of the project."""
        return self.ontology_dir / "shapes.ttl"
