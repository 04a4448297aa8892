"""The JSON API gives the guide's answers (expected values transcribed in tests/graph/guide_facts.py)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.graph.guide_facts import CATEGORIES, DECREE_2021_254_FROM, LABEL_TABLE

CELLS = [(label, cat, flags[i] == "x") for label, flags in LABEL_TABLE.items() for i, cat in enumerate(CATEGORIES)]
IDS = [f"{label}-{cat}" for label, cat, _ in CELLS]
TABLE_SOURCE = "labels/produits/#tableau-ecolabels"


@pytest.fixture(scope="module")
def matrix(client: TestClient) -> dict[str, object]:
    response = client.get("/api/coverage")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(("label", "category", "ticked"), CELLS, ids=IDS)
def test_coverage_matrix_cell(matrix: dict[str, object], label: str, category: str, ticked: bool) -> None:
    rows = {row["id"]: row for row in matrix["labels"]}  # type: ignore[attr-defined]
    assert category in {c["id"] for c in matrix["categories"]}  # type: ignore[attr-defined]
    cell = rows[label]["cells"][category]
    assert cell["covered"] is ticked
    if ticked:
        assert any(TABLE_SOURCE in s for s in cell["sources"])


@pytest.mark.parametrize(("label", "category", "ticked"), CELLS, ids=IDS)
def test_category_labels_cell(client: TestClient, label: str, category: str, ticked: bool) -> None:
    body = client.get(f"/api/categories/{category}/labels").json()
    direct = {item["id"]: item for item in body["labels"] if item["how"] == "direct"}
    assert (label in direct) is ticked
    if ticked:
        assert direct[label]["via"]["id"] == category
        assert any(TABLE_SOURCE in s for s in direct[label]["sources"])


def test_coverage_as_csv_has_the_table(client: TestClient) -> None:
    response = client.get("/api/coverage", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = {r["label"]: r for r in csv.DictReader(io.StringIO(response.text))}
    for label, flags in LABEL_TABLE.items():
        assert "".join("x" if rows[label][c] == "x" else "." for c in CATEGORIES) == flags


def test_laptop_inherits_the_labels_of_computers(client: TestClient) -> None:
    body = client.get("/api/categories/laptop/labels").json()
    computers = {label for label, flags in LABEL_TABLE.items() if flags[CATEGORIES.index("computers")] == "x"}
    inherited = {i["id"] for i in body["labels"] if i["how"] == "inherited" and i["via"]["id"] == "computers"}
    assert inherited == computers
    assert all(i["sources"] for i in body["labels"])
    category = client.get("/api/categories/laptop").json()
    assert "computers" in {b["id"] for b in category["broader"]}


def test_cpv_profile_of_a_laptop(client: TestClient) -> None:
    response = client.get("/api/cpv/30213100-6", params={"date": "2024-06-01"})
    assert response.status_code == 200
    body = response.json()
    assert "laptop" in {c["id"] for c in body["categories"]}
    assert {f["id"] for f in body["families"]} == {"office-equipment"}
    share = next(s for s in body["shares"] if "decret-2021-254" in {b["id"] for b in s["legal_basis"]})
    assert share["reused_or_recycled_percent"] == 20
    assert share["applies_from"] == DECREE_2021_254_FROM
    order = [label["id"] for label in body["labels"]]
    assert set(order[:2]) == {"eu-ecolabel", "tco-certified"}
    assert all(label["type_1"] for label in body["labels"][:2])
    assert order.index("epeat") < order.index("80-plus")
    assert set(order) == {"eu-ecolabel", "tco-certified", "epeat", "80-plus"}
    assert body["criteria"] and body["sources"]


def test_cpv_profile_before_the_decree_has_no_share_in_force(client: TestClient) -> None:
    body = client.get("/api/cpv/30213100-6", params={"date": "2020-12-31"}).json()
    assert body["shares"] == []
    assert {s["applies_from"] for s in body["shares_not_in_force"]} == {DECREE_2021_254_FROM}


def test_cpv_profile_walks_up_to_an_ancestor(client: TestClient) -> None:
    body = client.get("/api/cpv/30213400").json()  # CPUs for PCs, not in the graph: 30213000 (computers)
    assert body["cpv"] is None
    assert body["walked"][:5] == ["30213400", "30213000", "30210000", "30200000", "30000000"]
    assert body["matched"]["code"] == "30213000-5"
    assert {s["id"] for s in body["shares"]} == {"decret-2021-254-office-computing"}
    assert {f["id"] for f in body["families"]} == {"office-equipment"}
    assert body["warnings"]


@pytest.mark.parametrize("code", ["3021310", "30213100-66", "abc", "30213100_6", "302131000"])
def test_malformed_cpv_code_is_422(client: TestClient, code: str) -> None:
    response = client.get(f"/api/cpv/{code}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "8 digits" in response.json()["detail"]


def test_unknown_cpv_code_is_404_with_help(client: TestClient) -> None:
    response = client.get("/api/cpv/45000000-7")
    assert response.status_code == 404
    assert "30213100-6" in response.json()["detail"]


def test_a_path_links_tco_certified_to_the_social_criterion_it_attests(client: TestClient) -> None:
    criteria = client.get("/api/criteria", params={"dimension": "social"}).json()
    attested = {c["id"] for c in client.get("/api/labels/tco-certified").json()["attests"]}
    social = attested & {c["id"] for c in criteria}
    assert social, "the integrator adds anr:attests links from TCO Certified to a social criterion"
    target = sorted(social)[0]
    body = client.get("/api/paths", params={"from": "tco-certified", "to": target, "max_hops": 2}).json()
    first = body["paths"][0]
    assert first["hops"] == 1
    assert first["steps"][0]["predicate"]["labels"] == {"fr": "atteste", "en": "attests"}
    assert first["explanation"].startswith("TCO Certified attests")
    fr = client.get("/api/paths", params={"from": "tco-certified", "to": target, "lang": "fr"}).json()
    assert "atteste" in fr["paths"][0]["explanation"]


def test_family_has_criteria_laws_and_labels(client: TestClient) -> None:
    body = client.get("/api/families/office-equipment").json()
    assert {"computers", "laptop"} <= {c["id"] for c in body["categories"]}
    assert "decret-2021-254" in {t["id"] for t in body["legal_texts"]}
    assert "tco-certified" in {label["id"] for label in body["labels"]}
    weighted = [c for c in body["criteria"] if c["minimum_weighting_percent"] == 10]
    assert any("award-criterion" in {r["id"] for r in c["roles"]} for c in weighted)


def test_law_lists_its_citing_obligations(client: TestClient) -> None:
    body = client.get("/api/laws/decret-2021-254").json()
    assert body["kind"] == "text"
    assert "decret-2021-254-office-computing" in {c["id"] for c in body["cited_by"]}
