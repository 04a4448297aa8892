"""The scaling bench (issue 25): cost against the size of the data, at 1x, 10x, 100x.

    python -m bench.scaling --sizes 1,10,100 [--requests 100] [--remote]

For each size, the data is the project's plus certificates of product models (`--kind
certificates`, the default) or copies of it under distinct IRIs (`--kind copies`, the stress mode),
from bench/scaling_data.py, written to a temp dir with an empty cache folder of its own. Then:
- `validate`: `graph-service validate` wall time (and its CPU time);
- `start`: `graph-service serve` to the first 200 of /health, with validation (empty cache), then
  again with the same data (the verdict and the workers' store taken from the cache); wall time and
  the CPU seconds the server and its workers had used by then;
- RSS: the server's, each worker's, and the peak of their sum during the first start (MB); the sum
  of PSS after the requests (shared pages counted once);
- p50 / p99 (ms) of /health, a named query, the coverage API and a sheet, one client, after one
  warm-up request each (answers the service keeps after the first are measured as served).
- with `--remote`: the same data on Oxigraph's server (`oxigraph load` of the files' N-Quads, then
  `serve-read-only`) and `serve` with KG_ENGINE_URL on the same cache (a same-data start): its start,
  the service process's RSS after the requests (its pages read the prepared on-disk store, it holds
  no copy of the data) and the engine's.
Each column's growth from one size to the next is printed beside the growth of the triples:
no faster than linear means growth <= the triples' growth. Not a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.run import free_port
from bench.scaling_data import KINDS, generate
from graph_service.config import Settings
from graph_service.dataset.loading import project_files
from graph_service.dataset.store import build_store, dump_nquads
from graph_service.dataset.validation import ValidationReport
from graph_service.dataset.verdicts import data_key, record
from tests.remote.engine import OxigraphServer, oxigraph_cli

GRAPH_SERVICE = str(Path(sys.executable).parent / "graph-service")
ROUTES = {
    "health": "/health",
    "named query": "/api/queries/labels-for-category?category=laptop",
    "coverage": "/api/coverage",
    "sheet": "/fiche/categorie/laptop",
    "label page": "/id/label/eu-ecolabel",
    "law page": "/id/legal/ccp-r2111-16",
}
START_LIMIT_S = 1800


def tree(pid: int) -> list[int]:
    """The process and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return found


def memory_kb(pid: int, field: str) -> int:
    """Rss or Pss of a process (kB), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes so far, with their children that ended (the validating
    child process and its jobs); a loaded machine stretches wall time, not this."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


class Server:
    """`graph-service serve` on the given data and cache; samples the RSS of its processes while it starts."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "KG_PORT": str(self.port), "KG_ACCESS_LOG": "false"}
        self.peak_kb = 0
        self.start_cpu_s = 0.0
        self._sampling = True

    def start(self) -> float:
        started = time.perf_counter()
        # its log goes to a file: a pipe nobody reads blocks a server that writes a long refusal
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(
            [GRAPH_SERVICE, "serve"], env=self.env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        sampler = threading.Thread(target=self._sample, daemon=True)
        sampler.start()
        deadline = time.monotonic() + START_LIMIT_S
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(f"serve exited: {self.log.read().decode()[-2000:]}")
                try:
                    if httpx.get(self.url("/health"), timeout=2).status_code == 200:
                        self.start_cpu_s = cpu_seconds(tree(self.process.pid))
                        return time.perf_counter() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            raise TimeoutError("serve did not answer /health")
        finally:
            self._sampling = False
            sampler.join()

    def _sample(self) -> None:
        while self._sampling:
            self.peak_kb = max(self.peak_kb, sum(memory_kb(p, "Rss") for p in tree(self.process.pid)))
            time.sleep(0.2)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def memory(self) -> dict[str, float]:
        """MB: the server's RSS, each worker's (mean), the sum of RSS and of PSS."""
        pids = tree(self.process.pid)
        workers = [memory_kb(p, "Rss") for p in pids[1:] if memory_kb(p, "Rss")]
        return {
            "server RSS": memory_kb(pids[0], "Rss") / 1024,
            "worker RSS": statistics.mean(workers) / 1024 if workers else 0.0,
            "all RSS": (memory_kb(pids[0], "Rss") + sum(workers)) / 1024,
            "all PSS": sum(memory_kb(p, "Pss") for p in pids) / 1024,
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class DataEngine(OxigraphServer):
    """Oxigraph's server over the data files (one named graph per file, as `graph-service export` writes
    them, but without its validation, which takes minutes at 100x)."""

    def __init__(self, data: Path, folder: Path) -> None:
        self.prefix, self.timeout_s, self.folder = (), 30, folder
        folder.mkdir(parents=True, exist_ok=True)
        settings = Settings(data_dir=data)
        store, _graphs = build_store(project_files(settings), settings.base_iri)
        self.quads = folder / "graph.nq"
        self.quads.write_bytes(dump_nquads(store))
        del store
        self.location = folder / "db"
        subprocess.run(
            [oxigraph_cli(), "load", "--location", str(self.location), "--file", str(self.quads)],
            check=True,
            capture_output=True,
        )
        self.port, self.process = 0, None
        self.start()


def remote(env: dict[str, str], data: Path, folder: Path, requests: int) -> dict[str, float]:
    """The remote-mode columns: a same-data start over Oxigraph's server, the service's RSS, the engine's."""
    engine = DataEngine(data, folder)
    try:
        server = Server({**env, "KG_ENGINE_URL": engine.url})
        row = {"remote start s (same data)": server.start(), "remote start CPU s (same data)": server.start_cpu_s}
        try:
            figures = latencies(server, min(requests, 5))  # the coverage API takes seconds at 100x
            row.update({f"remote {k}": v for k, v in figures.items() if "sheet" in k})
            row["remote service RSS"] = server.memory()["server RSS"]
            assert engine.process is not None
            row["remote engine RSS"] = memory_kb(engine.process.pid, "Rss") / 1024
        finally:
            server.stop()
    finally:
        engine.remove()
    return row


def latencies(server: Server, requests: int) -> dict[str, float]:
    """p50 and p99 (ms) per route, round-robin, after one warm-up request each."""
    times: dict[str, list[float]] = {name: [] for name in ROUTES}
    with httpx.Client(timeout=120) as client:
        for path in ROUTES.values():
            response = client.get(server.url(path))
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
        for _ in range(requests):
            for name, path in ROUTES.items():
                start = time.perf_counter()
                client.get(server.url(path))
                times[name].append((time.perf_counter() - start) * 1000)
    figures = {}
    for name, values in times.items():
        cuts = statistics.quantiles(values, n=100)
        figures[f"{name} p50"], figures[f"{name} p99"] = statistics.median(values), cuts[98]
    return figures


def validate(env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of `graph-service validate` (which always validates)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([GRAPH_SERVICE, "validate"], env={**os.environ, **env}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"the generated data does not conform:\n{done.stdout[-3000:]}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def trust(data: Path, cache: Path) -> None:
    """Record a conforming SHACL verdict for the generated files, as `graph-service validate` would after
    validating them, so that `serve` skips SHACL (--trust-data: the generator's output is known to conform,
    tests/graph/test_scaling_data.py; saves the long validation of large sizes when pages are measured)."""
    settings = Settings(data_dir=data, cache_dir=cache)
    record(cache, data_key(project_files(settings), settings.shapes_file), ValidationReport(True, ()))


def measure(
    size: int,
    requests: int,
    skip_validate: bool = False,
    kind: str = "certificates",
    restart: bool = True,
    trusted: bool = False,
    with_remote: bool = False,
) -> dict[str, float]:
    """Every column at one size."""
    with tempfile.TemporaryDirectory(prefix=f"kg-scaling-{size}x-") as tmp:
        data, cache = Path(tmp) / "data", Path(tmp) / "cache"
        generate(size, data, kind=kind)
        env = {"KG_DATA_DIR": str(data), "KG_CACHE_DIR": str(cache)}
        row: dict[str, float] = {"size": size}
        if not skip_validate:  # the validating start below validates too
            row["validate s"], row["validate CPU s"] = validate({**env, "KG_CACHE_DIR": str(Path(tmp) / "none")})
        if trusted:
            trust(data, cache)
        how = "verdict kept" if trusted else "validating"
        server = Server(env)
        row[f"start s ({how})"] = server.start()
        row[f"start CPU s ({how})"] = server.start_cpu_s
        try:
            row["triples"] = httpx.get(server.url("/health")).json()["triples"]
            row["peak RSS at start"] = server.peak_kb / 1024
            row.update(latencies(server, requests))
            row.update(server.memory())
        finally:
            server.stop()
        if restart:
            again = Server(env)
            row["start s (same data)"] = again.start()
            row["start CPU s (same data)"] = again.start_cpu_s
            again.stop()
        if with_remote:
            row.update(remote(env, data, Path(tmp) / "engine", requests))
    return row


COLUMNS = [
    "triples",
    "validate s",
    "validate CPU s",
    "start s (validating)",
    "start CPU s (validating)",
    "start s (verdict kept)",
    "start CPU s (verdict kept)",
    "start s (same data)",
    "start CPU s (same data)",
    "server RSS",
    "worker RSS",
    "all RSS",
    "all PSS",
    "peak RSS at start",
    *(f"{name} {q}" for name in ROUTES for q in ("p50", "p99")),
    "remote start s (same data)",
    "remote start CPU s (same data)",
    "remote service RSS",
    "remote engine RSS",
    "remote sheet p50",
    "remote sheet p99",
]


def report(rows: list[dict[str, float]]) -> None:
    """One line per column: its value at each size, then its growth between sizes (x) beside the
    triples' growth; a growth above the triples' is marked `!` (faster than linear)."""
    sizes = [f"{int(r['size'])}x" for r in rows]
    growth = [f"{a}→{b}" for a, b in itertools.pairwise(sizes)]
    print("| column | " + " | ".join(sizes) + " | " + " | ".join(f"growth {g}" for g in growth) + " |")
    print("|---|" + "---:|" * (len(sizes) + len(growth)))
    for column in COLUMNS:
        values = [r.get(column, float("nan")) for r in rows]
        cells = [f"{v:,.0f}" if column == "triples" else f"{v:,.2f}" for v in values]
        ratios = []
        for before, after, r0, r1 in zip(values, values[1:], rows, rows[1:], strict=False):
            ratio = after / before if before else float("nan")
            linear = r1["triples"] / r0["triples"]
            ratios.append(f"{ratio:.2f}x{' !' if ratio > linear * 1.1 and column != 'triples' else ''}")
        print(f"| {column} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated multiples of the project's data")
    parser.add_argument("--requests", type=int, default=100, help="requests per route (after one warm-up)")
    parser.add_argument("--skip-validate", action="store_true", help="no separate `validate` run (to save time)")
    parser.add_argument("--trust-data", action="store_true", help="record a conforming verdict: serve skips SHACL")
    parser.add_argument("--skip-restart", action="store_true", help="no second start on the same data")
    parser.add_argument("--kind", choices=KINDS, default="certificates", help="what the generator adds")
    parser.add_argument("--remote", action="store_true", help="also serve over Oxigraph's server (KG_ENGINE_URL)")
    parser.add_argument("--json", type=Path, help="also append each size's row to this file (JSON lines)")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(
            size, args.requests, args.skip_validate, args.kind, not args.skip_restart, args.trust_data, args.remote
        )
        print(json.dumps(row), flush=True)
        if args.json:
            with args.json.open("a") as handle:
                handle.write(json.dumps(row) + "\n")
        rows.append(row)
    report(rows)


if __name__ == "__main__":
    main()
