"""The sheet's « Pour l'avis de marché (eForms) » section and GET /api/categories/{id}/eforms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def section(html: str) -> str:
    found = re.search(r'<section class="eforms".*?</section>', html, flags=re.S)
    assert found, "no eForms section"
    return found.group(0)


def test_laptop_sheet_shows_the_codes_and_the_unverified_eu_criteria(client: TestClient) -> None:
    html = client.get("/fiche/categorie/laptop?date=2026-12-07", headers={"Accept": "text/html"}).text
    part = section(html)
    assert "Pour l'avis de marché (eForms)" in part or "Pour l&#39;avis de marché (eForms)" in part
    for code in ("env-imp", "soc-obj", "circ-econ", "clim-mitig", "pollu-prev", "eu", "national"):
        assert f"<code>{code}</code>" in part, code
    assert "<code>TS18</code>" in part and "<code>TS4</code>" in part
    assert "non vérifié" in part
    assert "CC BY 4.0" in part and "SDK eForms 1.15.1" in part


def test_family_sheet_has_no_eforms_section(client: TestClient) -> None:
    html = client.get("/fiche/famille/printing?date=2026-12-07", headers={"Accept": "text/html"}).text
    assert '<section class="eforms"' not in html


def test_api_gives_the_values_of_a_category(client: TestClient) -> None:
    response = client.get("/api/categories/multifunction-printer/eforms?date=2026-12-07&lang=en")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["strategic_procurement"]["bt"] == "BT-06"
    assert {c["code"] for c in body["gpp_criteria"]["codes"]} == {"national"}
    assert {c["code"] for c in body["green_procurement"]["codes"]} == {"circ-econ", "clim-mitig", "pollu-prev"}
    assert body["eu_gpp"] == []


def test_api_refuses_a_family_and_a_bad_date(client: TestClient) -> None:
    assert client.get("/api/categories/printing/eforms").status_code == 404
    bad = client.get("/api/categories/laptop/eforms?date=2026-13-45")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
