"""Helpers shared by the tests (imported by test modules; conftest.py only turns them into fixtures)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_service.config import Settings
from graph_service.namespaces import sparql_prologue
from graph_service.publishing.storegraph import GraphLike
from graph_service.web.app import create_app

CONTACT = "publication@example.org"
DCAT_AP_SHAPES = Path(__file__).parent / "publishing" / "dcat-ap-shapes.ttl"
TRUSTED_TEST_HOST = "testserver"  # the Host of Starlette's TestClient
SERVICE_FIXTURES = Path(__file__).parent / "service" / "fixtures"
# How long a test waits for something that must happen (a server up, a worker back): far more than it
# takes on a quiet machine, so that only a real failure, not a loaded machine, runs out of it.
PATIENCE_S = 120.0


# KG_TEST_PROFILE=fast (`make test-fast`): property tests and generated-input loops draw a tenth of their
# examples (at least FAST_FLOOR); unset or full (`make test`, plain pytest): every example they name.
TEST_PROFILE = os.environ.get("KG_TEST_PROFILE", "full")
if TEST_PROFILE not in ("full", "fast"):
    raise RuntimeError(f"KG_TEST_PROFILE={TEST_PROFILE!r}: full or fast")
FAST_SHARE = 10
FAST_FLOOR = 10


def examples(full: int) -> int:
    """How many examples a test draws that draws `full` in the full run: fewer (never none) in the fast one.
    tests/conftest.py applies it to every hypothesis test; a loop over generated inputs calls it itself."""
    return full if TEST_PROFILE == "full" else min(full, max(FAST_FLOOR, full // FAST_SHARE))


def sample(items: list[Any], offset: int) -> list[Any]:
    """All of `items` in the full run; in the fast one, `examples(len(items))` of them spread evenly, starting
    at `offset` (a grid test passes its row's index, so that its rows together still reach every item)."""
    count = examples(len(items))
    if count >= len(items):
        return list(items)
    return [items[(offset + i * len(items) // count) % len(items)] for i in range(count)]


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = PATIENCE_S) -> None:
    """Poll `condition` until it holds; AssertionError naming `what` if it never does."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


def real_settings() -> Settings:
    """The project's ontology, data and queries; a contact address; one query worker; TestClient's Host trusted."""
    return Settings(contact_email=CONTACT, workers=1, trusted_hosts=TRUSTED_TEST_HOST)


@cache
def real_app() -> FastAPI:
    """The one real-data application of the API, publishing and web tests (its lifespan is run by a fixture)."""
    return create_app(real_settings())


@contextmanager
def started_apps(settings_of: Callable[..., Settings]) -> Iterator[Callable[..., TestClient]]:
    """`start(**overrides)`: a client of a new app with `settings_of(**overrides)`, its lifespan run;
    every app started so is closed on leaving (the body of the `make_client` fixtures)."""
    opened: list[TestClient] = []

    def start(**overrides: Any) -> TestClient:
        test_client = TestClient(create_app(settings_of(**overrides)))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    try:
        yield start
    finally:
        for test_client in opened:
            test_client.__exit__(None, None, None)


def parse(body: bytes, media_type: str) -> Graph:
    """Parse a response body by its media type."""
    fmt = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }[media_type.split(";")[0].strip()]
    return Graph().parse(data=body, format=fmt)


def as_rdflib(graph: GraphLike) -> Graph:
    """A graph the pages read (Oxigraph's terms) as rdflib's, to compare with rdflib's parse of an answer."""
    return parse(ox.serialize(graph.ox_triples(), format=ox.RdfFormat.N_TRIPLES) or b"", "application/n-triples")


# The service tests: a small valid fixture (or the real data with KG_TEST_DATA=real), real servers.

FIXTURES = SERVICE_FIXTURES
USE_REAL_DATA = os.environ.get("KG_TEST_DATA") == "real"


def base_settings(**overrides: Any) -> Settings:
    """The fixture folders (or the project's folders with KG_TEST_DATA=real), plus overrides."""
    overrides = {"trusted_hosts": "testserver", **overrides}
    if USE_REAL_DATA:
        return Settings(**overrides)
    paths = {
        "ontology_dir": FIXTURES / "ontology",
        "data_dir": FIXTURES / "data",
        "queries_dir": FIXTURES / "queries",
    }
    return Settings(**{**paths, **overrides})


def listening_socket() -> socket.socket:
    """A TCP socket listening on a port of 127.0.0.1 the kernel chose: handed to a server (`serve --fd`), it
    leaves no time between choosing the port and binding it in which another process could take it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextmanager
def refusing_port() -> Iterator[int]:
    """A port of 127.0.0.1 that refuses connections while the block runs (bound, not listening: no other
    process can start listening on it meanwhile)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        yield port


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables that give `graph-service serve` these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"KG_{name.upper()}"] = str(value)
    return env


class Server:
    """A `graph-service serve` subprocess on a socket this test bound (`--fd`): no free-port race."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        with listening_socket() as sock:
            self.port: int = sock.getsockname()[1]
            self.url = f"http://127.0.0.1:{self.port}"
            fd = sock.fileno()
            command = [sys.executable, "-m", "graph_service.cli", "serve", "--fd", str(fd)]
            self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
            self.process = subprocess.Popen(
                command, env=settings_env(settings), stdout=self.log, stderr=subprocess.STDOUT, pass_fds=(fd,)
            )

    def wait_ready(self, timeout_s: float = PATIENCE_S) -> None:
        """Poll /health until it answers 200."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                out = self.log.read().decode(errors="replace")
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{out}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise TimeoutError("server did not become ready")

    def stop(self) -> None:
        """Terminate the server (and so its workers)."""
        stop_process(self.process)
        self.log.close()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server process; kill it if it has not exited 10 s later."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT (the project's prefixes declared) as {variable: lexical value}."""
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def slugs(rows: list[dict[str, str]], var: str) -> set[str]:
    """The last IRI segments of one variable's values."""
    return {r[var].rsplit("/", 1)[1] for r in rows if var in r}
