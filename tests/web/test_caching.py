"""HTTP caching: every successful GET has a strong ETag and Cache-Control, If-None-Match gives 304,
errors are not stored, and two replicas of the same data send the same tags."""

from __future__ import annotations

import datetime as dt
import json
import logging
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph_service.domain import profile
from graph_service.web import html
from graph_service.web.app import create_app
from graph_service.web.caching import strong_etag
from tests.helpers import real_settings

SELECT = quote("SELECT ?s WHERE { ?s a ?type } ORDER BY ?s LIMIT 3")
# One URL per route family, with the Accept that selects a representation.
FAMILIES = [
    (f"/sparql?query={SELECT}", "application/sparql-results+json"),
    (f"/sparql?query={SELECT}", "text/csv"),
    ("/sparql", "text/turtle"),
    ("/", "text/html"),
    ("/api/labels", "application/json"),
    ("/api/labels/eu-ecolabel", "application/json"),
    ("/id/label/eu-ecolabel", "text/html"),
    ("/id/label/eu-ecolabel", "text/turtle"),
    ("/id/label/eu-ecolabel.jsonld", "*/*"),
    ("/catalog", "text/turtle"),
    ("/catalog.html", "*/*"),
    ("/void", "application/ld+json"),
    ("/dumps/", "*/*"),
    ("/dumps/graph.ttl", "*/*"),
    ("/context.jsonld", "*/*"),
    ("/static/query.js", "*/*"),
]
MAX_AGE = real_settings().cache_max_age


@pytest.mark.parametrize(("url", "accept"), FAMILIES)
def test_every_family_has_a_strong_etag_and_answers_304(client: TestClient, url: str, accept: str) -> None:
    first = client.get(url, headers={"Accept": accept})
    assert first.status_code == 200, first.text[:200]
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == f"public, max-age={MAX_AGE}"
    again = client.get(url, headers={"Accept": accept})
    assert again.headers["etag"] == etag and again.content == first.content
    for match in (etag, f"W/{etag}", "*", f'"nope", {etag}', f"junk, W/{etag}"):
        revalidated = client.get(url, headers={"Accept": accept, "If-None-Match": match})
        assert revalidated.status_code == 304, match
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == etag
        assert revalidated.headers["cache-control"] == first.headers["cache-control"]
        assert revalidated.headers.get("vary") == first.headers.get("vary")
    for other in ('"nope"', "W/", etag.strip('"'), f"*, {etag}x"):
        assert client.get(url, headers={"Accept": accept, "If-None-Match": other}).status_code == 200, other
    head = client.head(url, headers={"Accept": accept, "If-None-Match": etag})
    assert head.status_code == 304 and head.headers["etag"] == etag


def test_the_tag_follows_the_representation(client: TestClient) -> None:
    url = f"/sparql?query={SELECT}"
    tags = {
        client.get(url, headers={"Accept": a}).headers["etag"]
        for a in ("text/csv", "text/tab-separated-values", "application/sparql-results+json")
    }
    assert len(tags) == 3
    fr = client.get("/api/labels/eu-ecolabel", headers={"Accept-Language": "fr"})
    en = client.get("/api/labels/eu-ecolabel", headers={"Accept-Language": "en"})
    assert fr.headers["content-language"] != en.headers["content-language"]
    assert fr.headers["etag"] != en.headers["etag"]
    assert "Accept-Language" in fr.headers["vary"] and "Accept" in fr.headers["vary"]
    assert (
        client.get(
            "/api/labels/eu-ecolabel", headers={"Accept-Language": "en", "If-None-Match": fr.headers["etag"]}
        ).status_code
        == 200
    )
    plain = client.get("/dumps/graph.ttl", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/dumps/graph.ttl", headers={"Accept-Encoding": "gzip"})
    assert plain.headers["etag"] != zipped.headers["etag"]


def test_the_tag_is_the_digest_of_version_and_representation(client: TestClient) -> None:
    response = client.get("/api/labels", headers={"Accept": "application/json"})
    version = client.get("/health").json()["data_version"]
    assert response.headers["etag"] == strong_etag(
        version, response.content, response.headers["content-type"], response.headers.get("content-language", "")
    )


@pytest.mark.parametrize("url", ["/api/labels/nope", "/nothing-here", "/sparql?query=SELEC", "/id/label/nope"])
def test_errors_have_no_tag_and_are_not_stored(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"If-None-Match": "*"})
    assert response.status_code >= 400
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"


def test_health_is_never_cached(client: TestClient) -> None:
    response = client.get("/health")
    assert response.headers["cache-control"] == "no-store" and "etag" not in response.headers


def test_post_answers_carry_no_tag(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": "ASK {}"}, headers={"If-None-Match": "*"})
    assert response.status_code == 200 and "etag" not in response.headers


@pytest.mark.slow
def test_max_age_is_a_setting() -> None:
    with TestClient(create_app(real_settings().model_copy(update={"cache_max_age": 17}))) as other:
        assert other.get("/api/labels").headers["cache-control"] == "public, max-age=17"


@pytest.mark.slow
def test_two_replicas_send_identical_tags(client: TestClient) -> None:
    """Stateless replicas: a second app on the same files gives every family the same bytes and tags."""
    with TestClient(create_app(real_settings())) as replica:
        for url, accept in FAMILIES:
            ours = client.get(url, headers={"Accept": accept})
            theirs = replica.get(url, headers={"Accept": accept})
            assert theirs.headers["etag"] == ours.headers["etag"], url
            revalidated = replica.get(url, headers={"Accept": accept, "If-None-Match": ours.headers["etag"]})
            assert revalidated.status_code == 304


def test_a_streamed_answer_has_no_tag_but_may_be_cached(client: TestClient) -> None:
    everything = quote("SELECT * WHERE { ?s ?p ?o } LIMIT 10000")  # within the row cap (the schema graph grew it)
    response = client.get(f"/sparql?query={everything}", headers={"Accept": "application/sparql-results+xml"})
    assert response.status_code == 200 and len(response.content) > 1 << 20  # streamed from the worker
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == f"public, max-age={MAX_AGE}"


def test_a_trusted_host_that_names_the_urls_is_in_vary(client: TestClient) -> None:
    assert "Host" in client.get("/catalog", headers={"Accept": "text/turtle"}).headers["vary"]


def test_revalidation_answers_without_the_route_and_keeps_route_and_vary(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    first = client.get("/api/labels/eu-ecolabel", headers={"Accept-Language": "en"})
    with caplog.at_level(logging.INFO, logger="graph_service.access"):
        again = client.get(
            "/api/labels/eu-ecolabel", headers={"Accept-Language": "en", "If-None-Match": first.headers["etag"]}
        )
    assert again.status_code == 304
    assert again.headers["vary"] == first.headers["vary"]
    assert again.headers["content-language"] == "en"
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graph_service.access"]
    assert logged[-1]["route"] == "/api/labels/{id:path}" and logged[-1]["status"] == 304


class _Day(dt.date):
    """A date whose today() the test sets."""

    current = dt.date(2020, 6, 1)

    @classmethod
    def today(cls) -> _Day:
        return cls(cls.current.year, cls.current.month, cls.current.day)


@pytest.mark.parametrize("url", ["/fiche/categorie/laptop", "/api/cpv/30213100-6"])
def test_an_answer_for_today_is_not_revalidated_the_next_day(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """Without `date`, the answer is today's: the tag sent yesterday must not get a 304 from what was remembered."""
    monkeypatch.setattr(html, "dt", SimpleNamespace(date=_Day))  # the pages read ?date= in web/html.py
    monkeypatch.setattr(profile, "dt", SimpleNamespace(date=_Day))
    monkeypatch.setattr(_Day, "current", dt.date(2020, 6, 1))
    yesterday = client.get(url, headers={"Accept-Language": "fr"})
    assert yesterday.status_code == 200
    monkeypatch.setattr(_Day, "current", dt.date(2022, 6, 1))
    today = client.get(url, headers={"Accept-Language": "fr", "If-None-Match": yesterday.headers["etag"]})
    assert today.status_code == 200
    assert today.headers["etag"] != yesterday.headers["etag"]
    assert client.get(url, headers={"Accept-Language": "fr", "If-None-Match": today.headers["etag"]}).status_code == 304


def test_a_tag_is_remembered_from_the_second_answer_so_one_off_requests_cost_no_memory(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    validators = next(m for m in _middleware(client.app) if hasattr(m, "validators")).validators
    held = len(validators._tags)
    for n in range(50):  # fifty distinct texts, each sent once
        assert client.get(f"/sparql?query={quote(f'ASK {{}} #{n}')}").status_code == 200
    assert len(validators._tags) <= held + 5  # the filter may take a few first requests for second ones
    url = f"/sparql?query={quote('ASK { ?s ?p ?o } #twice')}"
    first = client.get(url)
    client.get(url)  # the second answer: its tag is remembered
    runs: list[object] = []
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    original = engine.answer

    async def counted(request: object) -> object:
        runs.append(request)
        return await original(request)

    monkeypatch.setattr(engine, "answer", counted)
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and runs == []  # answered from the remembered tag, not by the route


def _middleware(app: object) -> list[object]:
    """The middleware instances of a started application, outermost first."""
    found: list[object] = []
    current = getattr(app, "middleware_stack", None)
    while current is not None:
        found.append(current)
        current = getattr(current, "app", None)
    return found


def test_a_sparql_answer_is_tagged_as_the_edge_would_tag_it(client: TestClient) -> None:
    """The route tags SPARQL answers itself (once per cached answer): same formula as every other GET."""
    version = client.app.state.runtime.version  # type: ignore[attr-defined]
    for accept in ("text/csv", "application/sparql-results+json"):
        for _ in range(3):  # the first answer, the one stored, the one from the cache
            response = client.get(f"/sparql?query={SELECT}", headers={"Accept": accept})
            assert response.headers["etag"] == strong_etag(version, response.content, response.headers["content-type"])


def test_a_304_for_a_route_s_own_tag_completes_the_response() -> None:
    """ASGI: a response ends with a body message without `more_body`. The 304 sent for the tag a route
    gave must end too, or a server (uvicorn) logs an error and drops the connection."""
    import asyncio

    from graph_service.web.caching import GIVEN_ETAG_KEY, HttpCaching

    async def route(scope: dict[str, object], receive: object, send: object) -> None:
        scope[GIVEN_ETAG_KEY] = True
        headers = [(b"content-type", b"text/plain"), (b"etag", b'"t"'), (b"content-length", b"4")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"body", "more_body": False})  # type: ignore[operator]

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "query_string": b"",
        "headers": [(b"if-none-match", b'"t"')],
    }
    asyncio.run(HttpCaching(route, max_age=60)(scope, receive, send))  # type: ignore[arg-type]
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 304 and sent[1].get("body", b"") == b"" and not sent[1].get("more_body", False)
