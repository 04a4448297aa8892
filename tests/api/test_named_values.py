"""Named-query parameters: invalid IRIs and resources of the wrong class get 422, never 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ROUTE = "/api/queries/labels-for-category"


@pytest.mark.parametrize("value", ["http://[", "http://x%zz", "http://x:ab/", "cat:nonexistent", "tco-certified"])
def test_bad_category_values_are_422(client: TestClient, value: str) -> None:
    response = client.get(ROUTE, params={"category": value})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "category" in response.json()["detail"]


@pytest.mark.parametrize(
    "value", ["laptop", "cat:laptop", "https://w3id.org/achats-numeriques-responsables/id/category/laptop"]
)
def test_a_category_by_id_prefixed_name_or_iri(client: TestClient, value: str) -> None:
    response = client.get(ROUTE, params={"category": value})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert {row["label"].rsplit("/", 1)[1] for row in rows} == {"eu-ecolabel", "tco-certified", "epeat", "80-plus"}
