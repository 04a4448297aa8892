"""Oxigraph's server (the `oxigraph` CLI of the PyPI package) holding `graph-service export` output."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from graph_service.config import Settings
from graph_service.dataset.store import ENGINE_FILE
from tests.helpers import PATIENCE_S, settings_env, stop_process

BIND_ATTEMPTS = 5  # a server that cannot take a bound socket: tries so many ports before failing


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process `pid` listens on (Linux: its sockets' inodes looked up in /proc/net/tcp*)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def unused_port() -> int:
    """A port nobody listens on right now, for a server that takes neither a socket nor port 0: another
    process may take it before the server binds it, so the caller retries on a failure to bind."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def oxigraph_cli() -> str:
    """The `oxigraph` command installed beside this Python (pyproject's test extra), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph CLI is missing: pip install -e '.[test]' installs it")
    return found


def export(settings: Settings, directory: Path) -> Path:
    """Run `graph-service export` with these settings; the N-Quads file for an engine."""
    command = [sys.executable, "-m", "graph_service.cli", "export", str(directory)]
    subprocess.run(command, env=settings_env(settings), check=True, capture_output=True)
    return directory / ENGINE_FILE


class OxigraphServer:
    """`oxigraph load` then `oxigraph serve-read-only --union-default-graph` on a free port; or, with
    `memory`, `oxigraph serve` without a store directory, loaded at each start over HTTP (POST /store)."""

    dataset = "union"  # KG_ENGINE_DATASET: its default graph is the union of the data's graphs

    def __init__(
        self, settings: Settings, *, timeout_s: int = 5, memory: bool = False, prefix: tuple[str, ...] = ()
    ) -> None:
        self.prefix = prefix  # e.g. ("taskset", "-c", "0") in bench/
        self.timeout_s = timeout_s  # the engine's own query timeout: what the service cannot stop, it stops
        self.folder = Path(tempfile.mkdtemp(prefix="oxigraph-"))
        self.quads = export(settings, self.folder / "export")
        self.location: Path | None = None
        if not memory:
            self.location = self.folder / "db"
            subprocess.run(
                [oxigraph_cli(), "load", "--location", str(self.location), "--file", str(self.quads)],
                check=True,
                capture_output=True,
            )
        self.port = 0  # the first start binds port 0 and reads the port it got; a restart binds it again
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        """The engine's SPARQL endpoint."""
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def settings(self) -> dict[str, str]:
        """The service's settings for this engine."""
        return {"engine_url": self.url, "engine_dataset": self.dataset}

    def start(self) -> None:
        """Serve the store (again, on the same port); wait until it answers (and load it, in memory).

        Oxigraph's CLI takes no inherited socket: the first start binds port 0 and reads the port it got
        from /proc; a restart binds the same port again, retrying while another process holds it."""
        for _ in range(BIND_ATTEMPTS):
            if self._listen():
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"oxigraph could not bind 127.0.0.1:{self.port} ({BIND_ATTEMPTS} attempts)")
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.post(
                        self.url, content="ASK {}", headers={"Content-Type": "application/sparql-query"}, timeout=1
                    ).status_code
                    == 200
                ):
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise TimeoutError("oxigraph did not start")
        if self.location is None:
            httpx.post(
                f"http://127.0.0.1:{self.port}/store",
                content=self.quads.read_bytes(),
                timeout=60,
                headers={"Content-Type": "application/n-quads"},
            ).raise_for_status()

    def _listen(self) -> bool:
        """Start the server on self.port (0: any) and wait until it listens (self.port then set); False if
        it exited first, as it does when the port is taken."""
        where = ["serve-read-only", "--location", str(self.location)] if self.location else ["serve"]
        process = subprocess.Popen(
            [
                *self.prefix,
                oxigraph_cli(),
                *where,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
                "--timeout-s",
                str(self.timeout_s),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline and process.poll() is None:
            ports = listening_ports(process.pid)
            if ports:
                (self.port,) = ports
                self.process = process
                return True
            time.sleep(0.02)
        stop_process(process)
        return False

    def stop(self) -> None:
        """Stop the server (the store stays on disk)."""
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def remove(self) -> None:
        """Stop and delete the store."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {timeout_s}
MaxQueryCostEstimationTime = 400
"""


def virtuoso_cli() -> tuple[str, str] | None:
    """Virtuoso's server and SQL client (Debian: apt-get install virtuoso-opensource), if installed."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    return (server, client) if server and client else None


class VirtuosoServer:
    """A dedicated Virtuoso instance (its own folder, virtuoso.ini and free ports) holding the export.

    `graph.nq` is bulk-loaded with `ld_dir` + `rdf_loader_run()` (one graph per file, as written);
    the service then runs with KG_ENGINE_DATASET=graphs, because Virtuoso's default graph also
    holds its own graphs (virtrdf#, ...). A new database's `dba` password is `dba`.
    """

    dataset = "graphs"

    def __init__(
        self, settings: Settings, *, timeout_s: int = 5, prefix: tuple[str, ...] = (), result_rows: int | None = None
    ) -> None:
        found = virtuoso_cli()
        if found is None:
            raise RuntimeError("Virtuoso is missing: apt-get install virtuoso-opensource")
        self.server, self.client = found
        self.prefix = prefix  # e.g. ("taskset", "-c", "0") in bench/
        self.folder = Path(tempfile.mkdtemp(prefix="virtuoso-"))
        quads = export(settings, self.folder / "export")
        self.db = self.folder / "db"
        self.db.mkdir()
        shutil.copy(quads, self.db / ENGINE_FILE)
        self.process: subprocess.Popen[bytes] | None = None
        for attempt in range(BIND_ATTEMPTS):  # Virtuoso reads its ports from virtuoso.ini: retry if taken
            self.sql_port, self.port = unused_port(), unused_port()
            (self.db / "virtuoso.ini").write_text(
                VIRTUOSO_INI.format(
                    sql_port=self.sql_port,
                    http_port=self.port,
                    folder=self.db,
                    timeout_s=timeout_s,
                    # above the service's row cap, so that the cap decides (the service refuses Virtuoso's cuts)
                    max_rows=result_rows or settings.max_rows + 1,
                )
            )
            self.url = f"http://127.0.0.1:{self.port}/sparql"
            try:
                self.start()
                break
            except TimeoutError:
                if attempt == BIND_ATTEMPTS - 1:
                    raise
        self.sql(f"ld_dir('{self.db}', '{ENGINE_FILE}', 'urn:unused'); rdf_loader_run(); checkpoint;")

    @property
    def settings(self) -> dict[str, str]:
        """The service's settings for this engine."""
        return {"engine_url": self.url, "engine_dataset": self.dataset}

    def sql(self, statements: str) -> str:
        """Run SQL through isql as dba; its output."""
        done = subprocess.run(
            [self.client, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout

    def start(self) -> None:
        """Start the server (again) on the same ports; wait until its SPARQL endpoint answers."""
        self.process = subprocess.Popen(
            [*self.prefix, self.server, "+foreground", "+configfile", "virtuoso.ini"],
            cwd=self.db,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.post(self.url, data={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
            if self.process.poll() is not None:
                break
        raise TimeoutError(f"virtuoso did not start: {(self.db / 'virtuoso.log').read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the server (the database stays on disk)."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def remove(self) -> None:
        """Stop and delete the database."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


Engine = OxigraphServer | VirtuosoServer
ENGINES = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}


def engine_server(settings: Settings, *, timeout_s: int = 5) -> Engine:
    """The engine the remote tests run against: Oxigraph's server, or KG_TEST_ENGINE=virtuoso."""
    kind = os.environ.get("KG_TEST_ENGINE", "oxigraph")
    if kind not in ENGINES:
        raise RuntimeError(f"KG_TEST_ENGINE={kind!r}: one of {', '.join(ENGINES)}")
    engine: Engine = ENGINES[kind](settings, timeout_s=timeout_s)
    return engine
