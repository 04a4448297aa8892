"""`/metrics` in the Prometheus text format: requests, latency, queue, refusals, workers, cache, engine errors.

One registry per application. The request counters are fed by the access middleware
(`web/access.py`); the rest is read from the running service at each scrape, so it is never stale.
Query workers are separate processes, but everything counted here lives in the server process (the
pool counts its workers' events there): one scrape per replica sees that replica whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from graph_service.web.deps import RUNTIME_KEY

router = APIRouter()

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Failures of the engine rather than refusals of a query (5xx other than "no worker free")
ENGINE_FAILURES = frozenset(
    {"worker-lost", "evaluation-failed", "engine-unavailable", "engine-error", "internal-error"}
)


class Metrics:
    """The application's registry and the request-side instruments."""

    def __init__(self, app_state: Any) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "graph_service_http_requests",
            "HTTP requests answered, by route template, method, status and media type sent",
            ("route", "method", "status", "representation"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "graph_service_http_request_duration_seconds",
            "Time from request to the last byte sent, by route",
            ("route",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.refused = Counter(
            "graph_service_queries_refused",
            "SPARQL queries refused, by reason (the problem code)",
            ("reason",),
            registry=self.registry,
        )
        self.engine_errors = Counter(
            "graph_service_engine_errors",
            "SPARQL queries the engine failed on, by reason",
            ("reason",),
            registry=self.registry,
        )
        for reason in ENGINE_FAILURES:  # present at 0 from the start, so a rate can be taken at once
            self.engine_errors.labels(reason)
        self.registry.register(_ServiceCollector(app_state))
        # The labelled children by label values: `labels()` takes a lock and rebuilds the key each time
        self._children: dict[tuple[str, str, int, str], tuple[Counter, Histogram]] = {}

    def observe(
        self, route: str, method: str, status: int, representation: str, seconds: float, problem: str | None
    ) -> None:
        """Count one answered request."""
        key = (route, method, status, representation)
        children = self._children.get(key)
        if children is None:  # label values are bounded (route templates, known methods), so is this
            children = (self.requests.labels(route, method, str(status), representation), self.latency.labels(route))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        if problem is not None and route == "/sparql":
            (self.engine_errors if problem in ENGINE_FAILURES else self.refused).labels(problem).inc()


class _ServiceCollector(Collector):
    """Values read from the running service at scrape time: queue, workers, cache."""

    def __init__(self, app_state: Any) -> None:
        self.app_state = app_state

    def collect(self) -> Iterator[Any]:
        service = getattr(self.app_state, RUNTIME_KEY, None)
        if service is None or service.query_engine is None:
            return
        engine = service.engine
        yield GaugeMetricFamily(
            "graph_service_queries_in_flight", "Queries held: running or waiting", value=engine.admission.in_flight
        )
        yield GaugeMetricFamily(
            "graph_service_queue_length", "Queries waiting for a worker or connection", value=engine.pool.waiting
        )
        yield GaugeMetricFamily(
            "graph_service_queue_limit", "Queries held at most before 429", value=engine.admission.limit
        )
        yield GaugeMetricFamily(
            "graph_service_workers_alive", "Query workers (or engine connections) ready", value=engine.pool.alive
        )
        yield CounterMetricFamily(
            "graph_service_worker_restarts", "Query workers started after the first ones", value=engine.pool.replaced
        )
        events = CounterMetricFamily(
            "graph_service_worker_events", "What happened to the query workers", labels=("event",)
        )
        for event, count in asdict(engine.pool.stats).items():
            events.add_metric((event,), count)
        yield events
        cache = engine.cache
        yield CounterMetricFamily(
            "graph_service_answer_cache_hits", "SPARQL answers served from the cache", value=cache.hits
        )
        yield CounterMetricFamily(
            "graph_service_answer_cache_misses", "SPARQL answers not found in the cache", value=cache.misses
        )
        looked_up = cache.hits + cache.misses
        yield GaugeMetricFamily(
            "graph_service_answer_cache_hit_ratio",
            "Hits over look-ups since start",
            value=cache.hits / looked_up if looked_up else 0.0,
        )
        yield GaugeMetricFamily("graph_service_answer_cache_bytes", "Bytes of the answers held", value=cache.size)
        yield _info(service.version)


def _info(version: str) -> GaugeMetricFamily:
    family = GaugeMetricFamily("graph_service_data_version_info", "The data version served", labels=("version",))
    family.add_metric((version,), 1)
    return family


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The Prometheus text exposition of this replica."""
    registry: CollectorRegistry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
