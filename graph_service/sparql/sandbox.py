"""The OS layers against egress, under `KG_WORKER_SANDBOX`.

`required` (the default): every query worker installs a seccomp filter that refuses it any socket
(`graph_service.sparql.seccomp`; no privilege needed) and must prove it at start, or the service
refuses to start; where the host allows `unshare --net`, workers also run in a network namespace of
their own (no route out, not even to the host's loopback). `off`: neither; the guard alone.
What is active is read from each worker's probe, never from the settings.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
from types import TracebackType
from typing import Any

from graph_service.sparql import seccomp

log = logging.getLogger("graph_service.sandbox")

REFUSAL = (
    "The query workers cannot be started without network access on this host: {why}. "
    "Queries are checked by the guard before they run, but KG_WORKER_SANDBOX=required (the default) "
    "asks for a second, independent layer: a seccomp filter in each worker that refuses it any "
    "socket (Linux with libseccomp: `apt-get install libseccomp2`, and the Python package pyseccomp; "
    "a container runtime whose own seccomp profile forbids the seccomp() call must allow it). "
    "Either fix that, or set KG_WORKER_SANDBOX=off to accept the risk: the guard is then the only "
    "layer between a query and the network."
)


class SandboxUnavailableError(Exception):
    """The host cannot run workers without network, and the settings require it."""


def network_sandbox() -> list[str]:
    """A command prefix that runs a worker without any network, if this host allows it."""
    return _probe()[0]


def _probe() -> tuple[list[str], str]:
    """The working prefix (or none) and, when none, why."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return [], "`unshare` is not installed (util-linux) or not on PATH"
    why = "`unshare --net` is not permitted here"
    for prefix in ([unshare, "--net"], [unshare, "--user", "--map-root-user", "--net"]):
        options = " ".join(prefix[1:])
        outcome, detail = _isolates(prefix)
        if outcome == "isolated":
            return prefix, ""
        if outcome == "connected":
            why = f"`unshare {options}` runs, but a process inside still reached this host's loopback"
        else:
            why = f"`unshare {options}` failed: {detail}"
    return [], why


_PROBE = (
    "import socket,sys\ns=socket.socket();s.settimeout(2)\nsys.exit(3 if s.connect_ex(('127.0.0.1',{port}))==0 else 0)"
)


def _isolates(prefix: list[str]) -> tuple[str, str]:
    """Start a process with `prefix` that tries to reach a listener on this host's 127.0.0.1.

    "isolated" when it cannot, "connected" when it can, "failed" (and stderr) when it did not run.
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        code = _PROBE.format(port=listener.getsockname()[1])
        probe = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, check=False)
    if probe.returncode == 0:
        return "isolated", ""
    if probe.returncode == 3:
        return "connected", ""
    return "failed", probe.stderr.decode(errors="replace").strip()[:200] or f"exit status {probe.returncode}"


def worker_sandbox(mode: str) -> list[str]:
    """The prefix for worker commands under `KG_WORKER_SANDBOX` = `required` or `off`.

    `required`: `unshare --net` where the host allows it, else none (the seccomp filter, proven by
    each worker, is then the only OS layer, and the log says why); `off`: none, and a warning.
    """
    if mode == "off":
        log.warning(
            "KG_WORKER_SANDBOX=off: query workers run with no OS layer against egress (no network "
            "namespace, no seccomp filter); the query guard is the only layer against outbound requests.",
        )
        return []
    prefix, why = _probe()
    if not prefix:
        log.warning("no network namespace for the query workers (%s); they rely on their seccomp filter", why)
    return prefix


class ProbeListener:
    """A listener on 127.0.0.1 that a starting worker tries to reach; `reached` says if it did."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(4)
        self._socket.setblocking(False)
        self.port: int = self._socket.getsockname()[1]

    def reached(self) -> bool:
        """True when a connection waits (the worker's probe connected: it reports before returning)."""
        try:
            connection, _ = self._socket.accept()
        except OSError:
            return False
        connection.close()
        return True

    def __enter__(self) -> ProbeListener:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._socket.close()


def prove(report: Any, reached: bool, required: bool) -> dict[str, bool]:
    """The OS layers a starting worker proved (its probe's report, and whether it reached the
    listener); SandboxUnavailableError when `required` and the seccomp filter is not proven."""
    proven = seccomp.layers(report, reached)
    if required and not proven["seccomp"]:
        raise SandboxUnavailableError(REFUSAL.format(why=_unproven(report, reached)))
    return proven


def _unproven(report: Any, reached: bool) -> str:
    if not isinstance(report, dict):
        return "the worker sent no report of its probe"
    if report.get("failed"):
        return f"the seccomp filter could not be installed ({report['failed']})"
    if reached or report.get("connect") == "connected":
        return "a worker with the filter installed still reached a listener on 127.0.0.1"
    return (
        f"the worker's probe does not show the filter (seccomp mode {report.get('seccomp_mode')}, "
        f"sockets {report.get('sockets')}, connect {report.get('connect')})"
    )
