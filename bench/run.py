"""HTTP benchmark: our service vs rdflib-endpoint vs a FastAPI hello-world, in one run.

    python -m bench.run [--duration 10] [--queries queries] [--data-dir data]

Each server is pinned to CPU 0 and the load driver (wrk) to CPU 1 (taskset). The workload is
bench/workload.py (the named queries with their examples bound), sent round-robin as GET requests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.workload import WorkItem, load_workload
from graph_service.config import Settings
from graph_service.dataset.loading import discover_files, ontology_files

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER_CPU, DRIVER_CPU = "0", "1"


@dataclass
class Figures:
    """One wrk run."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    """A free TCP port."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(
    command: list[str], port: int, path: str, env: dict[str, str] | None = None, cwd: str | None = None
) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server pinned to SERVER_CPU (in `cwd` if given); return it and its time to first answer."""
    started = time.perf_counter()
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *command],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited with {process.returncode}")
        try:
            ready = httpx.get(f"http://127.0.0.1:{port}{path}", params={"query": "ASK {}"}, timeout=1)
            if ready.status_code == 200:
                return process, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.02)
    raise TimeoutError(command)


def lua_script(items: list[WorkItem], path: str, unique: bool = False) -> str:
    """A wrk script cycling through the workload; `unique` appends a counter comment to each
    query so that no two requests are the same (this defeats our answer cache)."""
    entries = ",\n".join(f'  {{"{path}?query={quote(item.query, safe="")}", "{item.accept}"}}' for item in items)
    return (
        f"local requests = {{\n{entries}\n}}\nlocal i = 0\n"
        'init = function(args) tag = args[1] or "" end\n'  # per run: no run repeats an earlier text
        "request = function()\n  i = i % #requests + 1\n"
        "  n = (n or 0) + 1\n"
        + ('  local p = requests[i][1] .. "%0A%23" .. tag .. "-" .. n\n' if unique else "  local p = requests[i][1]\n")
        + '  return wrk.format("GET", p, {["Accept"] = requests[i][2]})\nend\n'
    )


def wrk(port: int, connections: int, duration: int, script: Path) -> Figures:
    """Run wrk pinned to DRIVER_CPU and parse its figures."""
    out = subprocess.run(
        [
            "taskset",
            "-c",
            DRIVER_CPU,
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
            "--",
            uuid.uuid4().hex[:12],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    errors += sum(int(g) for g in socket_errors.groups()) if socket_errors else 0
    return Figures(rps, p50, p99, errors)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def check_answers(port: int, path: str, items: list[WorkItem]) -> int:
    """Send each request once; fail on any non-200. Returns the total response size."""
    size = 0
    for item in items:
        response = httpx.get(f"http://127.0.0.1:{port}{path}", params={"query": item.query},
                             headers={"Accept": item.accept}, timeout=60)  # fmt: skip
        if response.status_code != 200:
            raise RuntimeError(f"{item.name} on port {port}: {response.status_code} {response.text[:300]}")
        size += len(response.content)
    return size


def main() -> int:
    """Run the three servers at concurrency 1 and 16 and print the table and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--queries", type=Path, default=ROOT / "queries")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    settings = Settings()
    items = load_workload(args.queries)
    files = [*ontology_files(settings), *discover_files([settings.data_dir])]
    bin_dir = Path(PYTHON).parent
    ours = [str(bin_dir / "graph-service"), "serve", "--port", "{port}"]
    servers = {
        "graph-service": (ours, "/sparql", {}),
        "graph-service/nc": (ours, "/sparql", {}),
        "rdflib-endpoint": (
            [str(bin_dir / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", "{port}", *map(str, files)],
            "/",
            {},
        ),
        "fastapi-hello": (
            [
                PYTHON,
                "-m",
                "uvicorn",
                "bench.hello:app",
                "--port",
                "{port}",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            "/sparql",
            {},
        ),
    }
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (command, path, env) in servers.items():
            script = Path(tmp) / f"{name.replace('/', '-')}.lua"
            script.write_text(lua_script(items, path, unique=name.endswith("/nc")))
            port = free_port()
            argv = [c.replace("{port}", str(port)) for c in command]
            process, ready_s = start(argv, port, path, env)
            try:
                entry: dict[str, object] = {"ready_s": round(ready_s, 2)}
                if name != "fastapi-hello":
                    entry["bytes_per_round"] = check_answers(port, path, items)
                if name.startswith("graph-service"):
                    health = httpx.get(f"http://127.0.0.1:{port}/health").json()
                    entry["startup_s"] = health["startup_seconds"]
                    entry["triples"] = health["triples"]
                for connections in (1, 16):
                    wrk(port, connections, 2, script)  # warm-up
                    entry[f"c{connections}"] = wrk(port, connections, args.duration, script).__dict__
                results[name] = entry
            finally:
                process.terminate()
                process.wait(timeout=30)
    report(results, len(items))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def report(results: dict[str, dict[str, object]], n_queries: int) -> None:
    """Print the side-by-side table and the ratios against the baselines of this run."""
    print(f"\nworkload: {n_queries} requests round-robin; server on CPU {SERVER_CPU}, wrk on CPU {DRIVER_CPU}")
    print(f"{'server':<17}{'ready s':>8}{'c=1 req/s':>11}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'c=16 req/s':>12}{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}")  # fmt: skip
    for name, entry in results.items():
        c1, c16 = entry["c1"], entry["c16"]
        assert isinstance(c1, dict) and isinstance(c16, dict)
        print(f"{name:<17}{entry['ready_s']:>8}{c1['rps']:>11.0f}{c1['p50_ms']:>8.2f}{c1['p99_ms']:>8.2f}"
              f"{c16['rps']:>12.0f}{c16['p50_ms']:>8.2f}{c16['p99_ms']:>8.2f}"
              f"{c1['errors'] + c16['errors']:>8}")  # fmt: skip
    print("graph-service/nc: every request unique (a counter comment), so none is answered from cache")
    for ours_name in ("graph-service", "graph-service/nc"):
        for base in ("rdflib-endpoint", "fastapi-hello"):
            for c in ("c1", "c16"):
                mine, theirs = results[ours_name][c], results[base][c]
                assert isinstance(mine, dict) and isinstance(theirs, dict)
                ratio = mine["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
                print(f"{ours_name} / {base} at {c}: {ratio:.2f}x throughput")
    ours = results["graph-service"]
    print(
        f"graph-service start-up (load + SHACL + store + workers): {ours.get('startup_s')} s; "
        f"first answer after {ours['ready_s']} s"
    )


if __name__ == "__main__":
    sys.exit(main())
