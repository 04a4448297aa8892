"""Oxigraph's server (the `oxigraph` CLI of the PyPI package) holding `graph-service export` output."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from graph_service.config import Settings
from graph_service.store import ENGINE_FILE
from tests.helpers import PATIENCE_S, free_port, settings_env, stop_process


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
    """`oxigraph load` then `oxigraph serve-read-only --union-default-graph` on a free port."""

    def __init__(self, settings: Settings, *, timeout_s: int = 5) -> None:
        self.timeout_s = timeout_s  # the engine's own query timeout: what the service cannot stop, it stops
        self.folder = Path(tempfile.mkdtemp(prefix="oxigraph-"))
        quads = export(settings, self.folder / "export")
        self.location = self.folder / "db"
        subprocess.run([oxigraph_cli(), "load", "--location", str(self.location), "--file", str(quads)],
                       check=True, capture_output=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        """Serve the loaded store (again) on the same port; wait until it answers."""
        self.process = subprocess.Popen(
            [oxigraph_cli(), "serve-read-only", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}", "--union-default-graph", "--timeout-s", str(self.timeout_s)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline:
            try:
                if httpx.post(self.url, content="ASK {}", headers={"Content-Type": "application/sparql-query"},
                              timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise TimeoutError("oxigraph did not start")

    def stop(self) -> None:
        """Stop the server (the store stays on disk)."""
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def remove(self) -> None:
        """Stop and delete the store."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
