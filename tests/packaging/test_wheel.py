"""The wheel: installed in a fresh virtual environment, it serves the bundled ontology, data and
queries with no KG_* variable set and no source checkout in sight."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

import graph_service
from graph_service.config import PROJECT_ROOT
from tests.helpers import listening_socket

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the wheel; its dependencies are read from the test environment (no network)."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(root / "dist"),
            str(PROJECT_ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((root / "dist").glob("graph_service-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(archive.read(n) for n in archive.namelist() if n.endswith(".dist-info/METADATA")).decode()
        names = archive.namelist()
    assert "License-Expression: MIT AND etalab-2.0" in metadata.splitlines()
    assert f"Version: {graph_service.__version__}" in metadata.splitlines()
    assert any(n.endswith("data/share/graph-service/ontology/shapes.ttl") for n in names)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


def clean_env() -> dict[str, str]:
    """The environment without KG_* settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KG_")}


def test_the_wheel_validates_and_answers_a_named_query(installed: Path, tmp_path: Path) -> None:
    command = installed / "bin" / "graph-service"
    check = subprocess.run(
        [str(command), "validate"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    answer = subprocess.run(
        [str(command), "query", "labels-for-category", "--param", "category=laptop", "--format", "csv"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert answer.returncode == 0, answer.stderr
    assert "tco-certified" in answer.stdout


def test_the_wheel_serves(installed: Path, tmp_path: Path) -> None:
    with listening_socket() as sock:  # the installed command serves on a socket bound here: no port race
        port = sock.getsockname()[1]
        server = subprocess.Popen(
            [str(installed / "bin" / "graph-service"), "serve", "--fd", str(sock.fileno())],
            cwd=tmp_path,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(sock.fileno(),),
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert httpx.get(url + "/api/labels/eu-ecolabel", timeout=10).json()["id"] == "eu-ecolabel"
        turtle = httpx.get(url + "/id/label/eu-ecolabel.ttl", timeout=10)
        assert turtle.status_code == 200 and "prefLabel" in turtle.text
        query = "ASK { ?s a <https://w3id.org/achats-numeriques-responsables/def/Label> }"
        assert httpx.get(url + "/sparql", params={"query": query}, timeout=10).json()["boolean"] is True
        assert httpx.get(url + "/static/query.js", timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
