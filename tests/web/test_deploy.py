"""The deployment files in deploy/ say what the service accepts: their commands parse and their
settings exist; the engine units confine Oxigraph to its own loopback, and that confinement stops a
SERVICE call (deploy/check_confinement.py)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
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
    monkeypatch.setattr(app, "run_server", lambda settings, fd=None: started.append(settings) or 0)  # type: ignore[func-returns-value]
    assert cli.main(["serve", "--engine", "http://127.0.0.1:8890/sparql", "--engine-dataset", "graphs"]) == 0
    assert (started[0].engine_url, started[0].engine_dataset) == ("http://127.0.0.1:8890/sparql", "graphs")
    monkeypatch.setenv("KG_ENGINE_DATASET", "graphs")
    assert cli.main(["serve"]) == 0 and started[1].engine_dataset == "graphs"


def _unit(name: str) -> dict[str, list[str]]:
    """A unit file's settings (`Section.Key` to every value given, in order); fails on a line that is
    neither a comment, a section nor `Key=value`."""
    settings: dict[str, list[str]] = {}
    section = ""
    for number, line in enumerate((DEPLOY / "systemd" / name).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if re.fullmatch(r"\[[A-Za-z]+\]", line):
            section = line[1:-1]
            continue
        match = re.fullmatch(r"([A-Za-z]+)=(.*)", line)
        assert match and section, f"{name}:{number}: {line}"
        settings.setdefault(f"{section}.{match[1]}", []).append(match[2])
    return settings


ENGINES = ("oxigraph@.service", "oxigraph-memory@.service")


@pytest.mark.parametrize("name", ENGINES)
def test_an_engine_unit_reaches_nothing_but_its_own_loopback(name: str) -> None:
    unit = _unit(name)
    for key, value in (
        ("PrivateNetwork", "yes"),
        ("IPAddressDeny", "any"),
        ("IPAddressAllow", "localhost"),
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("CapabilityBoundingSet", ""),
        ("RestrictNamespaces", "yes"),
        ("SystemCallArchitectures", "native"),
    ):
        assert unit.get(f"Service.{key}") == [value], key
    assert unit["Service.RestrictAddressFamilies"] == ["AF_INET AF_INET6"]  # no netlink, packet, unix
    assert "@system-service" in unit["Service.SystemCallFilter"]
    assert "--bind 127.0.0.1:%i" in unit["Service.ExecStart"][0]  # inside its namespace: the proxy's target


def test_the_proxy_carries_the_hosts_loopback_port_into_the_engines_namespace() -> None:
    socket_unit, proxy = _unit("oxigraph-proxy@.socket"), _unit("oxigraph-proxy@.service")
    assert socket_unit["Socket.ListenStream"] == ["127.0.0.1:%i"]
    assert proxy["Unit.JoinsNamespaceOf"] == ["oxigraph@%i.service oxigraph-memory@%i.service"]
    assert proxy["Service.PrivateNetwork"] == ["yes"]  # JoinsNamespaceOf needs it on both sides
    assert proxy["Service.ExecStart"] == ["/usr/lib/systemd/systemd-socket-proxyd 127.0.0.1:%i"]
    assert proxy["Service.IPAddressDeny"] == ["any"] and proxy["Service.IPAddressAllow"] == ["localhost"]
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "server 127.0.0.1:7871" in nginx  # the balancer's upstreams are the proxies' ports


def test_systemd_reads_every_setting_of_the_units(tmp_path: Path) -> None:
    """`systemd-analyze verify` on the units as instances: no unknown key, no bad value (the programs
    under /opt are not installed here, so only that complaint is let through)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        instance = tmp_path / unit.name.replace("@.", "@7871.")
        instance.write_text(unit.read_text())
        units.append(str(instance))
    run = subprocess.run(
        [analyze, "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    complaints = [
        line
        for line in (run.stdout + run.stderr).splitlines()
        if line.strip() and "/opt/graph-service/bin/" not in line
    ]
    assert complaints == []


@pytest.mark.e2e
def test_the_confined_engine_makes_no_connection() -> None:
    """deploy/check_confinement.py: Oxigraph's server under the units' PrivateNetwork=yes (emulated by
    unshare --net) sends a SERVICE call to a listener on the host's 127.0.0.1: 0 connections, and 1
    without the namespace."""
    oxigraph = Path(sys.executable).with_name("oxigraph")
    run = subprocess.run(
        [sys.executable, str(DEPLOY / "check_confinement.py"), "--oxigraph", str(oxigraph)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode == 2:
        pytest.skip(run.stdout.strip())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SERVICE to the host's 127.0.0.1: connections 0" in run.stdout
    assert "unconfined engine (control): SERVICE: connections 1" in run.stdout
