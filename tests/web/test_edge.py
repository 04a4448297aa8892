"""The edge: malformed headers never give 5xx, an untrusted Host never reaches a published URL,
every response sends nosniff and every HTML page its security policies."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph_service.web.edge import PAGE_POLICY
from tests.helpers import real_settings, sample

SELECT = quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
# One URL per route family (and the static files, the docs, a 404).
ROUTES = [
    "/",
    "/sparql",
    f"/sparql?query={SELECT}",
    "/health",
    "/sparql/examples",
    "/id/",
    "/id/label/",
    "/id/label/eu-ecolabel",
    "/id/label/eu-ecolabel.ttl",
    "/id/label/nope",
    "/def/",
    "/def/Label",
    "/shapes/",
    "/describe?iri=" + quote("http://data.europa.eu/cpv/cpv/30213100", safe=""),
    "/catalog",
    "/catalog.html",
    "/void",
    "/.well-known/void",
    "/dumps/",
    "/dumps/graph.ttl",
    "/context.jsonld",
    "/api/labels",
    "/api/labels/eu-ecolabel",
    "/api/labels/nope",
    "/api/coverage",
    "/api/cpv/30213100-6",
    "/api/queries/labels-for-category?category=laptop",
    "/api/paths?from=laptop&to=eu-ecolabel",
    "/api/neighbourhood/laptop?hops=1",
    "/static/query.js",
    "/docs",
    "/openapi.json",
    "/nothing-here",
]
MALFORMED: list[tuple[str, bytes]] = [
    *(
        ("accept", v)
        for v in (
            b";",
            b";;",
            b",",
            b";q=1",
            b"*/*;q=",
            b"text/html;q=nan",
            b"text/html;q=inf",
            b"a/b/c",
            b'"',
            b'text/html;x="',
            b"*/html",
            b"\xe9/\xe9",
            b"\x01",
        )
    ),
    *(("accept-language", v) for v in (b";", b",", b"fr;q=nan", b"fr;q=inf", b";q=1", b"*", b"\xe9", b"fr-;q=.")),
    *(("accept-encoding", v) for v in (b";", b"gzip;q=nan", b"gzip;q=", b",", b"\xe9")),
    *(("if-none-match", v) for v in (b";", b",", b'"', b"W/", b"\xe9")),
    *(
        ("if-modified-since", v)
        for v in (b"x", b"Mon, 99 Dec 2099 99:99:99 GMT", b"Tue, 15 Nov 1994 08:12:31 -0000", b"0", b"\xe9")
    ),
    *(("host", v) for v in (b"", b"a b", b"[", b"x:99999", b"\xe9vil", b"[::1")),
    ("content-type", b";"),
    ("content-length", b"abc"),
    ("range", b"bytes=x"),
    ("cookie", b";;="),
]


@pytest.mark.parametrize(("name", "value"), MALFORMED, ids=lambda x: repr(x))
def test_malformed_headers_never_give_5xx(client: TestClient, name: str, value: bytes) -> None:
    # Every route with every header in the full run; the fast one sends each header to a tenth of them.
    for url in sample(ROUTES, MALFORMED.index((name, value))):
        response = client.get(url, headers={name: value})
        assert response.status_code < 500, (url, name, value, response.text[:300])


@pytest.mark.slow
def test_an_untrusted_host_never_reaches_a_published_url(make_real_client: object) -> None:
    client: TestClient = make_real_client()  # type: ignore[operator]
    evil = {"Host": "evil.example"}
    base = real_settings().configured_base_url
    for url in ("/catalog.ttl", "/void.ttl", "/id/label/eu-ecolabel", "/dumps/", "/sparql"):
        text = client.get(url, headers={**evil, "Accept": "text/turtle, text/html;q=0.5"}).text
        assert "evil.example" not in text, url
    assert base + "/dumps/graph.ttl" in client.get("/catalog.ttl", headers=evil).text
    location = client.get("/.well-known/void", headers=evil, follow_redirects=False).headers["location"]
    assert location == base + "/void"
    moved = client.get(
        "/describe?iri=" + quote("https://w3id.org/achats-numeriques-responsables/id/label/eu-ecolabel"),
        headers=evil,
        follow_redirects=False,
    )
    assert moved.headers["location"] == base + "/id/label/eu-ecolabel"


def test_a_trusted_host_names_the_published_urls(client: TestClient) -> None:
    assert "http://testserver/dumps/graph.ttl" in client.get("/catalog.ttl").text


HTML_PAGES = [
    ("/", {"Accept": "text/html"}),
    ("/sparql", {"Accept": "text/html"}),
    ("/id/", {}),
    ("/id/label/", {}),
    ("/id/label/eu-ecolabel", {}),
    ("/id/label/nope", {}),
    ("/def/", {}),
    ("/shapes/", {}),
    ("/catalog.html", {}),
    ("/void.html", {}),
    ("/dumps/", {}),
    ("/describe?iri=" + quote("http://data.europa.eu/cpv/cpv/30213100", safe=""), {}),
    ("/docs", {}),
    ("/recherche?q=ecran", {}),
    ("/fiche/categorie/laptop", {}),
    ("/fiche/famille/printing", {}),
    ("/fiche/cpv/30213100", {}),
    ("/fiche/categorie/nope", {}),
]


@pytest.mark.parametrize(("url", "headers"), HTML_PAGES, ids=lambda x: str(x))
def test_security_headers_on_every_html_page(client: TestClient, url: str, headers: dict[str, str]) -> None:
    response = client.get(url, headers=headers)
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    scripts = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()
    assert "'self'" in scripts and not any("unsafe" in s or "sha256" in s or "nonce" in s for s in scripts)
    assert response.headers["referrer-policy"]
    assert "<script>" not in response.text and "<style" not in response.text and " style=" not in response.text
    assert " on" not in response.text.replace(" one", "").split("<body", 1)[-1].split(">", 1)[0]


def test_the_page_policy_allows_only_the_service_itself() -> None:
    assert "script-src 'self';" in PAGE_POLICY and "style-src 'self';" in PAGE_POLICY


def test_every_response_sends_nosniff(client: TestClient) -> None:
    for url in ROUTES:
        assert client.get(url).headers.get("x-content-type-options") == "nosniff", url
    assert (
        client.options(
            "/sparql", headers={"Origin": "http://a.example", "Access-Control-Request-Method": "GET"}
        ).headers.get("x-content-type-options")
        == "nosniff"
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the query page's script")
def test_query_page_links_only_http_iris() -> None:
    script = resources.files("graph_service").joinpath("static/links.js").read_text()
    cases = {
        "http://example.org/x": True,
        "HTTPS://example.org": True,
        "javascript:alert(1)": False,
        " javascript:alert(1)": False,
        "JaVaScRiPt:alert(1)": False,
        "data:text/html,x": False,
        "urn:isbn:1": False,
        "http:/x": False,
        "vbscript:x": False,
    }
    probe = (
        script
        + "\nconst c = "
        + json.dumps(cases)
        + ";\n"
        + (
            "for (const [iri, want] of Object.entries(c)) {"
            " if (linkable(iri) !== want) { console.log(iri); process.exit(1); } }"
        )
    )
    assert subprocess.run(["node", "-e", probe], capture_output=True, text=True, timeout=30).returncode == 0


def test_an_unexpected_error_is_a_500_problem_with_the_edge_headers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Starlette's outermost layer answers unexpected errors outside the edge: the edge answers first."""
    from graph_service.web import health

    def broken(_request: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(health, "runtime", broken)
    quiet = TestClient(client.app, raise_server_exceptions=False)  # the app is started already
    response = quiet.get("/health", headers={"Origin": "https://example.org", "X-Request-ID": "bug-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal-error"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"] == "bug-1"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "unexpected error on GET /health" in caplog.text  # still logged, once by the service
    assert quiet.get("/api/labels/eu-ecolabel").status_code == 200  # and it goes on serving
