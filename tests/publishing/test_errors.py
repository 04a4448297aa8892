"""Every error a client can hit is application/problem+json with a message that helps."""

from __future__ import annotations

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def test_missing_parameter_is_a_problem(client: TestClient) -> None:
    response = client.get("/describe")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "iri" in response.json()["detail"]


def test_unacceptable_format_is_a_problem(client: TestClient) -> None:
    response = client.get("/id/label/eu-ecolabel", headers={"Accept": "application/x-foo"})
    assert response.status_code == 406
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "text/turtle" in response.json()["detail"]


def test_unknown_resource_for_an_rdf_client_is_a_problem_with_suggestions(client: TestClient) -> None:
    response = client.get("/id/label/eu-ecolabl", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)
    assert any(s["iri"].endswith("/id/label/eu-ecolabel") for s in response.json()["suggestions"])


def test_wrong_method_names_the_route(client: TestClient) -> None:
    response = client.delete("/api/labels")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "/api/labels" in response.json()["detail"]
    assert "/sparql" not in response.json()["detail"]
