"""Delivery under abuse, on 127.0.0.1: figures printed, nothing asserted (issue 20, items 4-6).

    python -m bench.delivery xlsx     # /health latency while the largest allowed workbook is built
    python -m bench.delivery unread   # a victim's cheap queries while 3 clients leave big answers unread
    python -m bench.delivery early    # 150 big answers closed early: worker restarts (pool counters)
    python -m bench.delivery idle     # 2,000 idle connections: how soon they are closed, others served
    python -m bench.delivery all

Each starts `graph-service serve` on the project's data (2 workers) and stops it; a run takes
seconds to a minute. Latencies are printed as p50 / p99 / max with a baseline from the same run.
"""

from __future__ import annotations

import argparse
import resource
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import httpx

from graph_service.config import Settings
from tests.helpers import Server

CHEAP = "SELECT ?s WHERE { ?s a ?type } LIMIT 3"
# ~8 MB of SPARQL JSON: 10,000 rows with a 700-character value each
BIG = (
    "SELECT * WHERE { VALUES ?a { "
    + " ".join(str(i) for i in range(100))
    + " } VALUES ?b { "
    + " ".join(str(i) for i in range(100))
    + ' } BIND(CONCAT(STR(?a), "'
    + "z" * 700
    + '") AS ?pad) }'
)

# ~1.8 MB: past the 1 MiB above which answers were streamed from the worker (now spooled)
MEDIUM = BIG.replace(" ".join(str(i) for i in range(100)) + " } BIND", " ".join(str(i) for i in range(20)) + " } BIND")


def grid(rows: int, columns: int) -> str:
    """`rows` x `columns` cells (rows a multiple of 100), without data."""
    tens = " ".join(str(i) for i in range(rows // 100))
    binds = " ".join(f'BIND(CONCAT("http://example.org/", STR(?a + {c})) AS ?c{c})' for c in range(columns - 2))
    hundred = " ".join(str(i) for i in range(100))
    return f"SELECT * WHERE {{ VALUES ?a {{ {tens} }} VALUES ?b {{ {hundred} }} {binds} }}"


@contextmanager
def server(**overrides: object) -> Iterator[Server]:
    settings = Settings(
        workers=2, access_log=False, trusted_hosts="127.0.0.1", contact_email="bench@example.org", **overrides
    )  # type: ignore[arg-type]
    running = Server(settings)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def figures(name: str, values_s: list[float]) -> str:
    if not values_s:
        return f"{name}: no samples"
    ms = sorted(v * 1000 for v in values_s)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"{name}: n={len(ms)} p50={statistics.median(ms):.1f} ms p99={p99:.1f} ms max={ms[-1]:.1f} ms"


def poll(url: str, until: Callable[[], bool], pause_s: float = 0.02) -> list[float]:
    """GET `url` again and again (one keep-alive client) until `until()`; each latency."""
    times = []
    with httpx.Client(timeout=60) as client:
        while not until():
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
            time.sleep(pause_s)
    return times


def bench_xlsx() -> None:
    with server() as running:
        health = running.url + "/health"
        stop_at = time.monotonic() + 3
        print(figures("/health, idle server (baseline)", poll(health, lambda: time.monotonic() > stop_at)))
        settings = running.settings
        rows = settings.max_rows
        columns = settings.max_sheet_cells // rows
        query = grid(rows, columns)
        done = threading.Event()
        outcome: list[str] = []

        def build() -> None:
            start = time.perf_counter()
            with httpx.Client(timeout=300) as client:
                for _ in range(2):
                    response = client.get(running.url + "/sparql", params={"query": query, "format": "xlsx"})
                    outcome.append(f"{response.status_code} {len(response.content)} bytes")
            outcome.append(f"{time.perf_counter() - start:.1f} s for 2 builds")
            done.set()

        thread = threading.Thread(target=build)
        thread.start()
        during = poll(health, done.is_set)
        thread.join()
        print(f"workbook of {rows} x {columns} = {rows * columns} cells (the cap): {', '.join(outcome)}")
        print(figures("/health while it is built", during), "(target p99 < 300 ms)")


def hold_unread(port: int, query: str) -> socket.socket:
    """Ask for a big answer and never read it."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(
        f"GET /sparql?{urlencode({'query': query})} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Accept: application/sparql-results+json\r\n\r\n".encode()
    )
    return sock


def victim(url: str, count: int, tag: str) -> list[float]:
    times = []
    with httpx.Client(timeout=60) as client:
        for index in range(count):
            start = time.perf_counter()
            response = client.get(
                url + "/sparql",
                params={"query": f"{CHEAP} # {tag}-{index}"},
                headers={"Accept": "application/sparql-results+json"},
            )
            times.append(time.perf_counter() - start)
            if response.status_code != 200:
                print("victim got", response.status_code)
    return times


def bench_unread() -> None:
    with server() as running:
        print(figures("victim's cheap queries, nobody else (baseline)", victim(running.url, 30, "base")))
        holders = []
        for index in range(3):
            holders.append(hold_unread(running.port, f"{BIG} # holder-{index}-{time.time()}"))
        time.sleep(1.0)  # their answers computed and handed over
        print(
            figures("victim's cheap queries, 3 big answers unread", victim(running.url, 30, "held")),
            "(target p50 < 200 ms)",
        )
        print("pool:", httpx.get(running.url + "/health").json().get("worker_events"))
        for sock in holders:
            sock.close()


def bench_early() -> None:
    with server() as running:
        before = httpx.get(running.url + "/health").json()
        start = time.perf_counter()

        def close_early(first: int) -> None:
            for index in range(first, 150, 3):
                with socket.create_connection(("127.0.0.1", running.port)) as sock:
                    query = urlencode({"query": f"{MEDIUM} # early-{start}-{index}"})
                    sock.sendall(
                        f"GET /sparql?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Accept: application/sparql-results+json\r\n\r\n".encode()
                    )
                    sock.recv(65536)  # the first bytes, then close

        threads = [threading.Thread(target=close_early, args=(first,)) for first in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        after = httpx.get(running.url + "/health").json()
        replaced = after["workers_replaced"] - before["workers_replaced"]
        print(
            f"150 answers of ~1.8 MB closed early (3 clients) in {elapsed:.1f} s: {replaced} workers "
            f"replaced (target <= 10 in 30 s); events {after['worker_events']}"
        )


def bench_idle(count: int = 2000) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with server(max_connections=count + 1000, head_timeout_s=10.0) as running:
        print(figures("/health, idle server (baseline)", victim_health(running.url, 20)))
        socks = [socket.create_connection(("127.0.0.1", running.port)) for _ in range(count)]
        opened = time.perf_counter()
        print(figures(f"/health with {count} idle connections open", victim_health(running.url, 50)))
        for sock in socks:
            sock.settimeout(60)
        closed = 0
        for sock in socks:
            try:
                if sock.recv(1) == b"":
                    closed += 1
            except OSError:
                closed += 1
            sock.close()
        print(
            f"{closed} of {count} idle connections closed by the server "
            f"{time.perf_counter() - opened:.1f} s after they were all open (head timeout 10 s; target 30 s)"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def victim_health(url: str, count: int) -> list[float]:
    """/health on a new connection each time (a plain socket: what the server costs, not the client)."""
    host, port = url.removeprefix("http://").split(":")
    times = []
    for _ in range(count):
        start = time.perf_counter()
        with socket.create_connection((host, int(port)), timeout=60) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            while sock.recv(65536):
                pass
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=("xlsx", "unread", "early", "idle", "all"))
    scenario = parser.parse_args().scenario
    for name, run in (("xlsx", bench_xlsx), ("unread", bench_unread), ("early", bench_early), ("idle", bench_idle)):
        if scenario in (name, "all"):
            print(f"== {name}")
            run()


if __name__ == "__main__":
    main()
