"""What the workers' seccomp filter costs: the same queries on a worker with and without it.

    python -m bench.seccomp [--rounds 15] [--per-round 20]

One worker each (no network namespace, so the filter is the only difference), both holding the
project's data; rounds alternate between the two (so drift on a shared machine hits both), each round
running every query of the workload (`bench/workload.py`) `--per-round` times straight on the pool (no
HTTP, no guard, no cache). Prints the median time per query for each and their ratio, and the time
to start a worker (load and probe included). Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bench.workload import load_workload
from graph_service.config import Settings
from graph_service.dataset.loading import discover_files, ontology_files
from graph_service.dataset.store import build_store, dump_nquads
from graph_service.sparql.pool import WorkerPool


def _header(query: str) -> dict[str, object]:
    return {"query": query, "results_format": "JSON", "graph_format": "TURTLE", "max_rows": 100_000, "union": True}


async def _round(pool: WorkerPool, queries: list[str], repeat: int) -> list[float]:
    times: list[float] = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            reply = await pool.run(_header(query), deadline_s=60)
            if reply.stream is not None:
                async for _chunk in reply.stream:
                    pass
            times.append(time.perf_counter() - started)
            if not reply.header.get("ok"):
                raise RuntimeError(f"{reply.header}\n{query}")
    return times


async def main(rounds: int, per_round: int) -> None:
    settings = Settings()
    store, _ = build_store([*ontology_files(settings), *discover_files([settings.data_dir])], settings.base_iri)
    data = dump_nquads(store)
    queries = [item.query for item in load_workload(settings.queries_dir)]
    pools: dict[str, WorkerPool] = {}
    starts: dict[str, float] = {}
    for name, seccomp in (("no filter", False), ("seccomp", True)):
        started = time.perf_counter()
        pools[name] = WorkerPool(1, data, {}, seccomp=seccomp)
        await pools[name].start()
        starts[name] = time.perf_counter() - started
        assert pools[name].egress["seccomp"] is seccomp, pools[name].egress
    times: dict[str, list[float]] = {name: [] for name in pools}
    try:
        for name in pools:  # warm-up
            await _round(pools[name], queries, 1)
        for number in range(rounds):
            order = list(pools) if number % 2 == 0 else list(reversed(pools))
            for name in order:
                times[name] += await _round(pools[name], queries, per_round)
    finally:
        for pool in pools.values():
            await pool.close()
    base = statistics.median(times["no filter"])
    print(f"{len(queries)} queries x {per_round} x {rounds} rounds per worker")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:10} median {median * 1e3:7.3f} ms/query  x{median / base:.3f}  (start {starts[name]:.2f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--per-round", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.rounds, options.per_round))
