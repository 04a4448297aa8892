"""Fixtures of the service tests: settings on a small valid fixture (or the real data), an
in-process client (lifespan included) and a real server started with `graph-service serve`.

Set KG_TEST_DATA=real to run the same tests against the project's own ontology, data and queries.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from graph_service.app import create_app
from graph_service.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
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


@pytest.fixture(scope="session")
def service_settings() -> Settings:
    """Settings of the shared in-process app."""
    return base_settings(max_rows=50, max_query_length=2_000, query_timeout_s=5)


@pytest.fixture(scope="module")
def client(service_settings: Settings) -> Iterator[TestClient]:
    """A client of an app whose lifespan ran (data loaded, validated, workers started)."""
    with TestClient(create_app(service_settings)) as test_client:
        yield test_client


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """Start an app with its own settings; closed at the end of the test."""
    opened: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        test_client = TestClient(create_app(base_settings(**overrides)))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables that give `graph-service serve` these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"KG_{name.upper()}"] = str(value)
    return env


class Server:
    """A `graph-service serve` subprocess on a free port."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "graph_service.cli", "serve", "--port", str(self.port)]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, env=settings_env(settings), stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout_s: float = 60) -> None:
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
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A real server (deadline 1 s so the slow-query test is quick)."""
    running = Server(base_settings(query_timeout_s=1, workers=2))
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()
