"""The deployment files in deploy/ say what the service accepts: their commands parse and their
settings exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from graph_service.cli import build_parser
from graph_service.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_replica_unit_starts_the_service_with_known_settings() -> None:
    unit = (DEPLOY / "systemd" / "graph-service@.service").read_text()
    command = shlex.split(re.search(r"^ExecStart=(.*)$", unit, re.M).group(1).replace("%i", "8001"))  # type: ignore[union-attr]
    assert command[0].endswith("/graph-service")
    args = build_parser().parse_args(command[1:])
    assert args.command == "serve" and args.port == 8001
    fields = {name.upper() for name in Settings.model_fields}
    for name in re.findall(r"^Environment=KG_([A-Z_]+)=", unit, re.M):
        assert name in fields, name


def test_the_engine_unit_serves_read_only_with_the_union_as_default_graph() -> None:
    unit = (DEPLOY / "systemd" / "oxigraph@.service").read_text()
    command = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)  # type: ignore[union-attr]
    for part in ("serve-read-only", "--union-default-graph", "--timeout-s", "--bind 127.0.0.1:%i"):
        assert part in command
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "KG_ENGINE_URL=http://127.0.0.1:7870/query" in nginx and "listen 127.0.0.1:7870" in nginx


def test_the_in_memory_engine_unit_loads_the_export_into_its_own_port_at_each_start() -> None:
    unit = (DEPLOY / "systemd" / "oxigraph-memory@.service").read_text()
    command = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)  # type: ignore[union-attr]
    assert " serve " in command and "--location" not in command
    for part in ("--union-default-graph", "--timeout-s", "--bind 127.0.0.1:%i"):
        assert part in command
    load = re.search(r"^ExecStartPost=(.*)$", unit, re.M).group(1)  # type: ignore[union-attr]
    assert "application/n-quads" in load and "@/srv/export/graph.nq" in load
    assert "http://127.0.0.1:%i/store" in load


def test_serve_takes_the_engine_and_how_it_holds_the_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_service import cli
    from graph_service.web import app

    started: list[Settings] = []
    monkeypatch.setattr(app, "run_server", lambda settings: started.append(settings) or 0)
    assert cli.main(["serve", "--engine", "http://127.0.0.1:8890/sparql", "--engine-dataset", "graphs"]) == 0
    assert (started[0].engine_url, started[0].engine_dataset) == ("http://127.0.0.1:8890/sparql", "graphs")
    monkeypatch.setenv("KG_ENGINE_DATASET", "graphs")
    assert cli.main(["serve"]) == 0 and started[1].engine_dataset == "graphs"
