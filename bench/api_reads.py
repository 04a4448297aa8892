"""Store queries and latency per JSON API request, against /health in the same run.

    python -m bench.api_reads [--requests 300]

In-process (Starlette's TestClient, the real data): for each route, the number of Oxigraph
queries one request runs (a counting proxy around the store) and the p50 / p90 latency over
`--requests` rounds of one request per route (round-robin), with the ratio to `/health` measured in the same run,
and the time of the first request (family and CPV answers are built on first use, then kept).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.web.app import create_app

ROUTES = (
    "/health",
    "/api/families/office-equipment",
    "/api/cpv/30213100-6",
    "/api/categories/laptop/labels",
    "/api/labels/eu-ecolabel",
    "/api/coverage",
)


class CountingStore:
    """An Oxigraph store that counts the queries it runs."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.queries = 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        """Count, then run."""
        self.queries += 1
        return self.store.query(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with TestClient(create_app(Settings(workers=1, trusted_hosts="testserver"))) as client:
        state = client.app.state.runtime  # type: ignore[attr-defined]
        counting = CountingStore(state.read.store)
        state.read.store = counting
        state.store = counting
        queries: dict[str, int] = {}
        first: dict[str, float] = {}
        for url in ROUTES:
            counting.queries = 0
            start = time.perf_counter()
            assert client.get(url).status_code == 200, url
            first[url] = (time.perf_counter() - start) * 1000  # the answer is built, then kept
            queries[url] = counting.queries
        times: dict[str, list[float]] = {url: [] for url in ROUTES}
        for _ in range(args.requests):  # round-robin, so that every route sees the same machine load
            for url in ROUTES:
                start = time.perf_counter()
                client.get(url)
                times[url].append((time.perf_counter() - start) * 1000)
        rows = [
            (url, queries[url], statistics.median(times[url]), statistics.quantiles(times[url], n=10)[8])
            for url in ROUTES
        ]
    health = rows[0][2]
    print("| route | store queries per request | first request ms | p50 ms | p90 ms | p50 / health |")
    print("|---|---:|---:|---:|---:|---:|")
    for url, count, p50, p90 in rows:
        print(f"| `{url}` | {count} | {first[url]:.2f} | {p50:.2f} | {p90:.2f} | {p50 / health:.2f}x |")


if __name__ == "__main__":
    main()
