"""The OpenAPI document is one generated clients can trust, and the API keeps the conventions it states."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_service.formats.representations import ANSWERS, XLSX
from graph_service.named.catalog import result_columns
from graph_service.runtime import Runtime


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_every_refusal_is_documented_as_problem_json(spec: dict[str, Any]) -> None:
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            if status[0] in "45" and not (path == "/health" and status == "503"):
                assert list(response["content"]) == ["application/problem+json"], (path, method, status)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }


def test_every_api_operation_documents_its_refusals_and_redirect(spec: dict[str, Any]) -> None:
    for path, _method, op in operations(spec):
        if path.startswith("/api/"):
            assert {"308", "406", "422"} <= set(op["responses"]), path
            if "{" in path:
                assert "404" in op["responses"], path


def test_one_operation_per_named_query_with_typed_parameters(spec: dict[str, Any], runtime: Runtime) -> None:
    for query in runtime.queries:
        op = spec["paths"][f"/api/queries/{query.name}"]["get"]
        assert op["summary"] == query.titles["en"]
        params = {p["name"]: p for p in op["parameters"]}
        for declared in query.params:
            assert declared.name in params, (query.name, declared.name)
            assert params[declared.name]["required"] is declared.required or declared.name == "lang"
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        row = schema["properties"]["rows"]["items"]
        assert row["required"] == result_columns(query)
        assert set(op["responses"]) >= {"200", "404", "406", "422"}
    labels = spec["paths"]["/api/queries/labels-for-category"]["get"]
    category = next(p for p in labels["parameters"] if p["name"] == "category")
    assert category["required"] is True and category["example"] == "laptop"
    assert "/api/queries/{name}" in spec["paths"]  # kept as an alias


def test_sparql_and_health_are_documented(spec: dict[str, Any]) -> None:
    get = spec["paths"]["/sparql"]["get"]
    media = set(get["responses"]["200"]["content"])
    assert {r.media_type for r in ANSWERS} | {XLSX.media_type, "text/html"} <= media
    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= {p["name"] for p in get["parameters"]}
    assert {"400", "406", "413", "429", "503", "504"} <= set(get["responses"])
    post = spec["paths"]["/sparql"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/x-www-form-urlencoded", "application/sparql-query"}
    assert "415" in post["responses"]
    health = spec["paths"]["/health"]["get"]["responses"]
    assert health["200"]["content"]["application/json"]["schema"]["properties"]["status"]["enum"] == ["ok", "degraded"]


@pytest.mark.parametrize(
    ("url", "given", "closest"),
    [
        ("/api/labels?categry=laptop", "categry", "category"),
        ("/api/coverage?include_narower=true", "include_narower", "include_narrower"),
        ("/api/queries/labels-for-category?category=laptop&langg=fr", "langg", "lang"),
        ("/api/queries/labels-for-category?categroy=laptop", "categroy", "category"),
        ("/api/paths?from=laptop&too=eu-ecolabel", "too", "to"),
    ],
)
def test_unknown_parameters_are_422_naming_the_closest(client: TestClient, url: str, given: str, closest: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["closest"] == closest
    assert f"did you mean {closest!r}" in body["detail"] and given in body["detail"]


def test_trailing_slashes_are_redirected_not_404(client: TestClient) -> None:
    for url, target in (("/api/labels/", "/api/labels"), ("/api/labels/?kind=type-1-ecolabel",
                        "/api/labels?kind=type-1-ecolabel"), ("/api/coverage/", "/api/coverage"),
                        ("/api/labels/eu-ecolabel/", "/api/labels/eu-ecolabel")):  # fmt: skip
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 308, url
        assert response.headers["location"] == target
    followed = client.get("/api/labels/")
    assert followed.status_code == 200 and len(followed.json()) > 10


def test_an_encoded_trailing_slash_is_redirected_once_not_in_a_loop(client: TestClient) -> None:
    """`%2F` decodes to a trailing slash: the 308 must drop it too, else it points to itself forever."""
    for url, target in (
        ("/api/labels/eu-ecolabel%2F", "/api/labels/eu-ecolabel"),
        ("/api/labels/eu-ecolabel%2f/%2F?lang=fr", "/api/labels/eu-ecolabel?lang=fr"),
    ):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 308, url
        assert response.headers["location"] == target
        assert client.get(target, follow_redirects=False).status_code == 200


def test_no_slash_is_added_under_api_so_no_redirect_loop(client: TestClient) -> None:
    """`/api/neighbourhood/{id:path}`: the router would add the slash to `/api/neighbourhood` while the
    trailing-slash rule takes it away, forever; under /api the path without an id is a 404."""
    for url in ("/api/neighbourhood", "/api/neighbourhood/", "/api/neighbourhood?hops=1"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"] == "application/problem+json"


def test_405_lists_every_method_of_the_path(client: TestClient) -> None:
    response = client.put("/sparql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_every_operation_has_a_short_stable_operation_id(spec: dict[str, Any], runtime: Runtime) -> None:
    """Generated clients and portals name their methods after these: short snake_case, unique, and those of
    the named queries are the queries' own names (`labels_for_category`), not FastAPI's path-long defaults."""
    ids = [op["operationId"] for _path, _method, op in operations(spec)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,40}", i) for i in ids), ids
    assert spec["paths"]["/api/queries/labels-for-category"]["get"]["operationId"] == "labels_for_category"
    for query in runtime.queries:
        assert spec["paths"][f"/api/queries/{query.name}"]["get"]["operationId"] == query.name.replace("-", "_")
    assert {"category_labels", "get_category", "cpv_profile", "sparql_query", "sparql_query_post", "health"} <= set(ids)
