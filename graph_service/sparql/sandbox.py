"""The OS layer against egress: query workers run in a network namespace of their own (no route
out, not even to the host's loopback), where the host allows it; `KG_WORKER_SANDBOX` says what to
do where it does not."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys

log = logging.getLogger("graph_service.sandbox")

REFUSAL = (
    "The query workers cannot be started without network access on this host: {why}. "
    "Queries are checked by the guard before they run, but KG_WORKER_SANDBOX=required (the default) "
    "asks for a second, independent layer. Either run the service where `unshare --net` works "
    "(as root, with CAP_SYS_ADMIN, or where unprivileged user namespaces are allowed, e.g. "
    "sysctl kernel.unprivileged_userns_clone=1 or a container started with a seccomp profile that "
    "permits unshare), or set KG_WORKER_SANDBOX=off to accept the risk: the guard is then the only "
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
    "import socket,sys\ns=socket.socket();s.settimeout(2)\n"
    "sys.exit(3 if s.connect_ex(('127.0.0.1',{port}))==0 else 0)"
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

    `required`: raise SandboxUnavailableError (with what to do) when the host cannot give one;
    `off`: start without it and log a warning.
    """
    prefix, why = _probe()
    if prefix:
        return prefix
    if mode == "off":
        log.warning(
            "KG_WORKER_SANDBOX=off and no network sandbox on this host (%s): query workers have "
            "network access; the query guard is the only layer against outbound requests.", why,
        )
        return []
    raise SandboxUnavailableError(REFUSAL.format(why=why))
