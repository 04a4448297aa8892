"""/metrics is Prometheus text that prometheus_client's parser reads; access logs are JSON lines
with a request id that is sent back."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families


def scrape(client: TestClient) -> dict[str, list[tuple[dict[str, str], float]]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def value(samples: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str) -> float:
    return sum(v for got, v in samples.get(name, []) if all(got.get(k) == x for k, x in labels.items()))


def test_metrics_count_requests_by_route_template_status_and_representation(client: TestClient) -> None:
    before = scrape(client)
    for label in ("eu-ecolabel", "blue-angel", "nope"):
        client.get(f"/api/labels/{label}")
    client.get("/id/label/eu-ecolabel", headers={"Accept": "text/turtle"})
    after = scrape(client)
    route = "/api/labels/{id:path}"
    ok = dict(route=route, method="GET", status="200", representation="application/json")
    assert (
        value(after, "graph_service_http_requests_total", **ok)
        - value(before, "graph_service_http_requests_total", **ok)
        == 2
    )
    missing = dict(route=route, status="404", representation="application/problem+json")
    assert (
        value(after, "graph_service_http_requests_total", **missing)
        - value(before, "graph_service_http_requests_total", **missing)
        == 1
    )
    assert not any("eu-ecolabel" in labels.get("route", "") for labels, _ in after["graph_service_http_requests_total"])
    assert (
        value(after, "graph_service_http_request_duration_seconds_count", route=route)
        - value(before, "graph_service_http_request_duration_seconds_count", route=route)
        == 3
    )
    assert value(after, "graph_service_http_request_duration_seconds_bucket", route=route, le="+Inf") >= 3


def test_metrics_report_queue_refusals_workers_and_cache(client: TestClient) -> None:
    query = quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    before = scrape(client)
    for _ in range(3):  # kept from the second request, answered from the cache the third time
        client.get(f"/sparql?query={query}")
    client.get(f"/sparql?query={quote('SELEC nothing')}")
    client.get(f"/sparql?query={quote('SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }')}")
    after = scrape(client)
    for name in (
        "graph_service_queue_length",
        "graph_service_queries_in_flight",
        "graph_service_workers_alive",
        "graph_service_worker_restarts_total",
        "graph_service_answer_cache_hit_ratio",
        "graph_service_engine_errors_total",
        "graph_service_queries_refused_total",
    ):
        assert name in after, name
    assert value(after, "graph_service_queue_length") == 0
    assert value(after, "graph_service_workers_alive") == 1
    assert (
        value(after, "graph_service_answer_cache_hits_total") - value(before, "graph_service_answer_cache_hits_total")
        >= 1
    )
    assert 0 < value(after, "graph_service_answer_cache_hit_ratio") <= 1
    assert (
        value(after, "graph_service_queries_refused_total", reason="syntax-error")
        - value(before, "graph_service_queries_refused_total", reason="syntax-error")
        == 1
    )
    refused = {labels["reason"] for labels, _ in after["graph_service_queries_refused_total"]}
    assert "syntax-error" in refused and len(refused) >= 2
    assert value(after, "graph_service_worker_events_total", event="started") >= 1
    assert value(after, "graph_service_engine_errors_total", reason="worker-lost") == 0


def test_access_log_is_one_json_line_per_request_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="graph_service.access"):
        given = client.get("/api/labels/eu-ecolabel", headers={"X-Request-ID": "abc-123"})
        made = client.get("/api/labels/nope", headers={"X-Request-ID": "bad id with spaces"})
    assert given.headers["x-request-id"] == "abc-123"
    generated = made.headers["x-request-id"]
    assert generated != "bad id with spaces" and len(generated) == 32
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graph_service.access"]
    assert len(lines) == 2
    first, second = lines
    assert first["request_id"] == "abc-123" and second["request_id"] == generated
    assert first["route"] == "/api/labels/{id:path}" and first["method"] == "GET" and first["status"] == 200
    assert first["representation"] == "application/json" and first["bytes"] == len(given.content)
    assert second["status"] == 404 and second["problem"] == "not-found"
    assert {"time", "duration_ms"} <= first.keys()


def test_metrics_labels_take_no_value_from_the_client(client: TestClient) -> None:
    """Made-up methods and random paths add no label value: a client cannot grow the series without bound."""
    for i in range(3):
        client.request(f"BREW{i}", f"/made-up-{i}/x")
        client.request(f"PROPFIND{i}", "/api/labels/eu-ecolabel")
        client.get(f"/random-{i}/{i}")
    after = scrape(client)
    samples = after["graph_service_http_requests_total"]
    methods = {labels["method"] for labels, _ in samples}
    assert methods <= {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "OTHER"}
    assert value(after, "graph_service_http_requests_total", method="OTHER") >= 6
    assert not any("made-up" in labels["route"] or "random" in labels["route"] for labels, _ in samples)
