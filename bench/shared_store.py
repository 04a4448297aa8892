"""How query workers should hold the store: a copy each, one on-disk store opened read-only by all, or
one in-memory store loaded before the workers fork. Not a test: it measures and prints.

    python -m bench.shared_store --size 10 [--workers 2]

The data is the project's, `--size` times (bench/scaling_data.py, in a temp dir). For each option, the
time until every worker can answer, each worker's RSS and PSS (/proc/PID/smaps_rollup: shared pages
divided among the processes sharing them) after the same queries, the parent's part, and the median
time of each query. A worker reports from inside, so a forked one is measured like a spawned one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.scaling_data import generate
from graph_service.config import Settings
from graph_service.dataset.loading import project_files
from graph_service.dataset.store import build_store, dump_nquads
from graph_service.sparql import shared_store

QUERIES = {
    "count": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "group": "SELECT ?t (COUNT(?s) AS ?n) { ?s a ?t ; ?p ?o } GROUP BY ?t ORDER BY DESC(?n) LIMIT 10",
    "labels": "SELECT ?s ?l { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(LANG(?l) = 'fr') }"
    " ORDER BY ?l LIMIT 20",
}
WORKER = """
import json, sys, time
t0 = time.perf_counter()
import pyoxigraph as ox
sys.path.insert(0, {root!r})
from bench.shared_store import answer
if {path!r}:
    store = ox.Store.read_only({path!r})
else:
    store = ox.Store(); store.extend(ox.parse(sys.stdin.buffer.read(), format=ox.RdfFormat.N_QUADS))
print(json.dumps({{"load s": time.perf_counter() - t0, **answer(store)}}), flush=True)
"""


def memory(pid: int | str = "self") -> dict[str, int]:
    """RSS and PSS (kB) of a process."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            found[name.lower()] = int(rest.split()[0])
    return found


def answer(store: ox.Store) -> dict[str, object]:
    """Run every query five times; the medians (ms) and this process's memory afterwards."""
    times = {}
    for name, query in QUERIES.items():
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            list(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]
            runs.append((time.perf_counter() - start) * 1000)
        times[name] = statistics.median(runs)
    return {"ms": times, **memory()}


def spawned(workers: int, nquads: bytes, path: str) -> tuple[float, list[dict[str, object]]]:
    """Worker processes started afresh, each loading a copy (path empty) or opening the shared store."""
    started = time.perf_counter()
    root = str(Path(__file__).resolve().parent.parent)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER.format(root=root, path=path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        for _ in range(workers)
    ]
    results = [json.loads(p.communicate(b"" if path else nquads)[0]) for p in procs]
    return time.perf_counter() - started, results


def forked(workers: int, nquads: bytes) -> tuple[float, list[dict[str, object]], dict[str, int]]:
    """One in-memory store loaded by the parent, then workers forked from it (copy-on-write pages)."""
    started = time.perf_counter()
    store = ox.Store()
    store.extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    loaded = time.perf_counter() - started
    pipes = []
    for _ in range(workers):
        read, write = os.pipe()
        if os.fork() == 0:
            os.close(read)
            os.write(write, json.dumps({"load s": loaded, **answer(store)}).encode())
            os._exit(0)
        os.close(write)
        pipes.append(read)
    results = []
    for read in pipes:
        with os.fdopen(read) as handle:
            results.append(json.loads(handle.read()))
    parent = memory()
    for _ in pipes:
        os.wait()
    return time.perf_counter() - started, results, parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-shared-store-") as tmp:
        data = Path(tmp) / "data"
        generate(args.size, data)
        settings = Settings(data_dir=data)
        store, _ = build_store(project_files(settings), settings.base_iri)
        nquads = dump_nquads(store)
        del store
        print(f"{len(nquads) / 1e6:.1f} MB of N-Quads ({args.size}x), {args.workers} workers")
        start = time.perf_counter()
        folder = shared_store.prepare(Path(tmp) / "cache", nquads)
        built = time.perf_counter() - start
        assert folder is not None
        disk = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        rows = [
            ("copy each (before)", *spawned(args.workers, nquads, ""), {}),
            (
                f"on-disk, read-only (+{built:.1f} s to build once, {disk:.0f} MB)",
                *spawned(args.workers, nquads, str(folder)),
                {},
            ),
            ("in memory, forked", *forked(args.workers, nquads)),
        ]
    print(
        "| option | load s (per worker) | RSS per worker MB | PSS per worker MB | parent PSS MB | "
        + " | ".join(f"{q} ms" for q in QUERIES)
        + " |"
    )
    print("|---|---:|---:|---:|---:|" + "---:|" * len(QUERIES))
    for name, _, results, parent in rows:
        ready = statistics.mean(float(r["load s"]) for r in results)  # type: ignore[arg-type]
        rss = statistics.mean(int(r["rss"]) for r in results) / 1024  # type: ignore[call-overload]
        pss = statistics.mean(int(r["pss"]) for r in results) / 1024  # type: ignore[call-overload]
        ms = " | ".join(f"{statistics.mean(r['ms'][q] for r in results):.1f}" for q in QUERIES)  # type: ignore[index]
        print(f"| {name} | {ready:.1f} | {rss:.0f} | {pss:.0f} | {parent.get('pss', 0) / 1024:.0f} | {ms} |")


if __name__ == "__main__":
    main()
