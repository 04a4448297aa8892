"""In-process engine comparison on the workload: rdflib's SPARQL engine vs Oxigraph's.

    python -m bench.engines [--repeat 5]

Both answer each workload query over the same files (rdflib: one merged graph; Oxigraph: one
named graph per file, union default graph) and serialize to SPARQL JSON (Turtle for graphs).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from bench.workload import WorkItem, load_workload
from graph_service.config import Settings
from graph_service.dataset.loading import discover_files, load_files, ontology_files
from graph_service.dataset.store import build_store

ROOT = Path(__file__).resolve().parent.parent


def time_ms(run: object, repeat: int) -> tuple[float, float]:
    """Median and minimum time in ms of evaluation plus serialization."""
    assert callable(run)
    totals = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        totals.append((time.perf_counter() - started) * 1000)
    return statistics.median(totals), min(totals)


def main() -> int:
    """Print per-query times and the totals of both engines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    files = [*ontology_files(settings), *discover_files([settings.data_dir])]
    graph = load_files(files).graph
    store, _ = build_store(files, settings.base_iri)
    items = load_workload(ROOT / "queries")

    def with_rdflib(item: WorkItem) -> object:
        def run() -> bytes:
            result = graph.query(item.query)
            fmt = "turtle" if item.returns in ("construct", "describe") else "json"
            return result.serialize(format=fmt) or b""

        return run

    def with_oxigraph(item: WorkItem) -> object:
        def run() -> bytes:
            result = store.query(item.query, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryTriples):
                return ox.serialize(result, format=ox.RdfFormat.TURTLE) or b""
            return result.serialize(format=ox.QueryResultsFormat.JSON) or b""

        return run

    print(f"{len(graph)} triples, {len(items)} queries, median of {args.repeat} runs\n")
    print(f"{'query':<34}{'rdflib ms':>11}{'oxigraph ms':>13}{'ratio':>8}")
    total_r = total_o = 0.0
    for item in items:
        r, _ = time_ms(with_rdflib(item), args.repeat)
        o, _ = time_ms(with_oxigraph(item), args.repeat)
        total_r, total_o = total_r + r, total_o + o
        print(f"{item.name:<34}{r:>11.2f}{o:>13.2f}{r / o:>8.0f}x")
    print(f"{'whole workload':<34}{total_r:>11.2f}{total_o:>13.2f}{total_r / total_o:>8.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
