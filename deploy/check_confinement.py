"""Check that the engine units' confinement stops a SERVICE call, without systemd.

    python deploy/check_confinement.py [--oxigraph PATH]

Reads `PrivateNetwork=yes` in deploy/systemd/oxigraph@.service and oxigraph-memory@.service, then does
what it gives: starts Oxigraph's server (`oxigraph serve`, PyPI package `oxigraph`) in a network
namespace of its own with only a loopback (`unshare --net`, as systemd does), and sends it, from inside
that namespace as the units' proxy does, a plain query (it must answer) and a query whose SERVICE calls
a listener on the host's 127.0.0.1 (the listener must count 0 connections). The same run without the
namespace must reach the listener: else the check could not fail. Exit status 0 when both hold; 1 when
the confined engine reached out; 2 when the check cannot run here (no `unshare --net`, no oxigraph).
Only the standard library and the two programs; every address is on the loopback.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

UNITS = Path(__file__).resolve().parent / "systemd"
ENGINE_UNITS = ("oxigraph@.service", "oxigraph-memory@.service")
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


class Listener:
    """A listener on the host's 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port: int = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def _loopback_up() -> None:
    """Bring `lo` up in this (new) namespace, as systemd's PrivateNetwork=yes does."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as any_socket:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(any_socket, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(any_socket, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _ask(port: int, query: str) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/query", data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.read().decode(errors="replace")[:300]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")[:300]


def inside(oxigraph: str, target_port: int, confined: bool) -> None:
    """Run the engine here (in the namespace when `confined`), query it, print what it answered."""
    if confined:
        _loopback_up()
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    engine = subprocess.Popen([oxigraph, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        plain = _ask(port, "ASK { }")
        service = _ask(port, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target_port}/sparql> {{ ?s ?p ?o }} }}")
    finally:
        engine.terminate()
        engine.wait(timeout=10)
    print(json.dumps({"plain": plain, "service": service}))


def _run(oxigraph: str, listener: Listener, confined: bool) -> tuple[int, dict[str, list[object]]]:
    prefix = ["unshare", "--net"] if confined else []
    command = [*prefix, sys.executable, __file__, "--inside", "--oxigraph", oxigraph,
               "--target-port", str(listener.port), *(["--confined"] if confined else [])]
    before = listener.connections
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip()[-500:] or f"exit status {run.returncode}")
    time.sleep(0.2)  # let the listener's thread count a connection made just before the engine stopped
    return listener.connections - before, json.loads(run.stdout.strip().splitlines()[-1])


def _said(answer: list[object]) -> str:
    """An answer in a few words (Oxigraph sends 200 before a failing SERVICE call's error)."""
    return f"HTTP {answer[0]}: {str(answer[1]).strip()[:90]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or
                        str(Path(sys.executable).with_name("oxigraph")))
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--confined", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--target-port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        inside(args.oxigraph, args.target_port, args.confined)
        return 0
    for unit in ENGINE_UNITS:
        text = (UNITS / unit).read_text()
        if "\nPrivateNetwork=yes\n" not in text:
            print(f"FAIL {unit} has no PrivateNetwork=yes: this check emulates that confinement")
            return 1
    if not os.access(args.oxigraph, os.X_OK):
        print(f"SKIP no oxigraph server at {args.oxigraph} (pip install oxigraph)")
        return 2
    if subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False).returncode != 0:
        print("SKIP `unshare --net` is not permitted here (root or user namespaces needed)")
        return 2
    listener = Listener()
    confined, answers = _run(args.oxigraph, listener, confined=True)
    print(f"confined engine (PrivateNetwork=yes): plain query {answers['plain'][0]}; SERVICE to the host's "
          f"127.0.0.1: connections {confined} ({_said(answers['service'])})")
    unconfined, loose = _run(args.oxigraph, listener, confined=False)
    print(f"unconfined engine (control): SERVICE: connections {unconfined} ({_said(loose['service'])})")
    if answers["plain"][0] != 200:
        print("FAIL the confined engine did not answer a plain query")
        return 1
    if confined:
        print("FAIL the confined engine reached the listener")
        return 1
    if not unconfined:
        print("FAIL the unconfined engine did not reach the listener either: this check proves nothing here")
        return 1
    print("OK the confined engine reached nothing (0 connections); the unconfined one did")
    return 0


if __name__ == "__main__":
    sys.exit(main())
