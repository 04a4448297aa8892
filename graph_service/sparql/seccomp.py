"""The query worker's own lock against egress: a seccomp filter (libseccomp, through pyseccomp) that
refuses every socket, and a probe that shows what the worker can still reach.

A worker talks to the server over pipes (stdin, stdout, stderr) and needs no socket of any family, so
the filter refuses with EPERM `socket` and `socketpair` (every family: IPv4, IPv6, netlink, packet,
Unix), every call that acts on a socket it might have inherited (`connect`, `bind`, `listen`,
`accept`, `sendto`, `sendmsg`), io_uring (which can open and connect sockets without those calls)
and the calls that take another process's descriptors or memory (`pidfd_getfd`, `ptrace`,
`process_vm_*`). Everything else is allowed: pyoxigraph's threads, memory, files, random numbers.
It needs no privilege (libseccomp sets no_new_privs first) and is installed before the worker reads
its first message; once loaded it cannot be lifted, and it covers the threads started after it.
Calls from another architecture's table (32-bit x86, x32) kill the process (libseccomp's default).
"""

from __future__ import annotations

import errno
import os
import socket
from typing import Any

DENIED_CALLS = (
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendto",
    "sendmsg",
    "sendmmsg",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "pidfd_getfd",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
)
# (name, family, type) the probe tries to open; the first three must be refused for the filter to count
PROBED_SOCKETS = (
    ("inet", socket.AF_INET, socket.SOCK_STREAM),
    ("inet6", socket.AF_INET6, socket.SOCK_STREAM),
    ("inet-udp", socket.AF_INET, socket.SOCK_DGRAM),
    ("netlink", socket.AF_NETLINK, socket.SOCK_RAW),
    ("packet", socket.AF_PACKET, socket.SOCK_RAW),
    ("unix", socket.AF_UNIX, socket.SOCK_STREAM),
)
REFUSED = ("EPERM", "EACCES")


def install_filter() -> None:
    """Load the filter into this process (and its threads); raises when the host cannot."""
    import pyseccomp  # libseccomp.so.2 through ctypes; imported here, only in the workers

    rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    rules.set_attr(pyseccomp.Attr.CTL_NNP, 1)
    rules.set_attr(pyseccomp.Attr.CTL_TSYNC, 1)
    for call in DENIED_CALLS:
        try:
            rules.add_rule(pyseccomp.ERRNO(errno.EPERM), call)
        except (OSError, ValueError, RuntimeError):  # a call this kernel's architecture does not have
            if call in ("socket", "connect"):
                raise
    rules.load()


def confine(install: bool) -> str | None:
    """Install the filter if asked; the reason when it could not be (None when done or not asked)."""
    if not install:
        return None
    try:
        install_filter()
    except Exception as exc:  # any failure is reported to the server, which decides
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def probe(port: int) -> dict[str, Any]:
    """What this process can do on the network: open each kind of socket, connect to the server's
    listener on 127.0.0.1:`port`; with its seccomp mode and network namespace."""
    sockets: dict[str, str] = {}
    for name, family, kind in PROBED_SOCKETS:
        try:
            socket.socket(family, kind).close()
            sockets[name] = "open"
        except OSError as exc:
            sockets[name] = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            connect = "connected"
    except OSError as exc:
        connect = errno.errorcode.get(exc.errno or 0, str(exc))
    return {"sockets": sockets, "connect": connect, "seccomp_mode": _seccomp_mode(), "netns": _netns()}


def _seccomp_mode() -> int:
    """The kernel's word: 0 none, 1 strict, 2 filter."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Seccomp:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _netns() -> int:
    """The inode of this process's network namespace (0 when unknown)."""
    try:
        return os.stat("/proc/self/ns/net").st_ino
    except OSError:
        return 0


def layers(report: dict[str, Any] | None, reached: bool) -> dict[str, bool]:
    """The OS layers a worker's probe report proves, seen from the server (`reached`: the listener
    accepted a connection)."""
    if not isinstance(report, dict) or report.get("failed") is not None:
        filtered = False
    else:
        sockets = report.get("sockets") or {}
        filtered = (
            report.get("seccomp_mode") == 2
            and report.get("connect") in REFUSED
            and all(sockets.get(name) in REFUSED for name in ("inet", "inet6", "inet-udp"))
        )
    own = _netns()
    netns = report.get("netns") if isinstance(report, dict) else None
    namespace = isinstance(netns, int) and netns not in (0, own) and own != 0
    return {"network_namespace": namespace and not reached, "seccomp": filtered and not reached}
