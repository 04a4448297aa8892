"""The benchmarks' query mixes are built from the named queries and must stay valid SPARQL: a bench that
fails at its first line measures nothing (the named queries' terms once stopped printing as SPARQL)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.second_mix import SECOND_MIX
from bench.workload import WorkItem, load_workload

ROOT = Path(__file__).resolve().parents[2]


def _mixes() -> list[WorkItem]:
    return [*load_workload(ROOT / "queries"), *SECOND_MIX]


def test_the_bench_mix_binds_every_named_query_example() -> None:
    items = load_workload(ROOT / "queries")
    assert len(items) >= len(list((ROOT / "queries").glob("*.rq")))
    assert any("VALUES" in item.query for item in items)


@pytest.mark.parametrize("item", _mixes(), ids=lambda item: item.name)
def test_each_query_of_the_mixes_parses(item: WorkItem) -> None:
    ox.Store().query(item.query)  # raises SyntaxError on a malformed text
