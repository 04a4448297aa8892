"""The read model keeps no copy of the graph: a JSON API request runs (almost) no SPARQL query; it reads
the store by pattern."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_service.domain.profile import CpvProfiler
from graph_service.runtime import Runtime

MAX_QUERIES = 5


class CountingStore:
    """The store, counting the queries run through it."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.queries = 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.queries += 1
        return self.store.query(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.mark.parametrize(
    "url",
    [
        "/api/families/office-equipment",
        "/api/cpv/30213100-6",
        "/api/cpv/30213199",
        "/api/categories/laptop/labels",
        "/api/labels/eu-ecolabel",
        "/api/labels",
        "/api/coverage?include_narrower=true",
        "/api/criteria",
        "/api/laws/loi-2020-105",
    ],
)
def test_a_request_runs_at_most_a_few_store_queries(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    counting = CountingStore(runtime.read.store)
    monkeypatch.setattr(runtime.read, "store", counting)
    monkeypatch.setattr(runtime, "store", counting)
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert counting.queries <= MAX_QUERIES


def test_family_and_cpv_answers_are_built_once_and_the_cpv_ones_bounded(runtime: Runtime) -> None:
    family = runtime.index.resolve("office-equipment")
    assert family is not None
    first = runtime.families.detail(family.iri, "fr")
    assert runtime.families.detail(family.iri, "fr") is first
    assert runtime.families.detail(family.iri, "en") is not first
    profiler = CpvProfiler(runtime.read, cache_size=3)
    on = dt.date(2024, 1, 1)
    answer = profiler.profile("30213100-6", on, "en")
    assert profiler.profile("30213100-6", on, "en") is answer
    for code in ("30213100", "30200000", "30000000", "32000000"):
        profiler.profile(code, on, "en")
    assert len(profiler._answers) == 3
    assert profiler.profile("30213100-6", on, "en") == answer  # rebuilt alike once evicted


def test_cpv_profile_carries_its_review_date_and_a_caveat_past_it(client: TestClient) -> None:
    today = client.get("/api/cpv/30213100-6", params={"date": "2026-12-07"}).json()
    assert today["reviewed"] == "2026-12-07" and today["beyond_review"] is False and today["caveat"] is None
    later = client.get("/api/cpv/30213100-6", params={"date": "2027-01-01"}).json()
    assert later["beyond_review"] is True and "2026" in later["caveat"]
    assert later["archived_sources"] and all(
        link.startswith("https://github.com/DISIC/MiNumEco/blob/") for link in later["archived_sources"].values()
    )
    assert "ilo-fundamental-conventions-ten" in {f["id"] for f in later["superseded"]}


def test_any_resource_answers_which_version_it_was_read_from_and_when_reviewed(client: TestClient) -> None:
    answer = client.get("/api/queries/sources-of-resource", params={"resource": "supply-chain-social-traceability"})
    rows = answer.json()["rows"]
    assert rows and all(r["version"].startswith("https://github.com/DISIC/MiNumEco/blob/") for r in rows)
    assert all(r["swh"].startswith("swh:1:cnt:") and r["reviewed"] == "2026-12-07" for r in rows)
    assert {r["supersededBy"] for r in rows} == {
        "https://w3id.org/achats-numeriques-responsables/id/update/ilo-fundamental-conventions-ten"
    }
    anchored = [r for r in rows if "#" in r["source"]]
    assert anchored and all(r["page"] == r["source"].split("#")[0] for r in anchored)
