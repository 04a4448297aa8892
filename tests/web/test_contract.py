"""One Accept matrix against every route family: the same value gets the same answer everywhere.

For each family the offers are declared once (from the representation registry); every response
must be what `negotiate()` picks among them (200 with that Content-Type and `Vary: Accept`), or the
one 406 problem listing exactly those offers. A few choices are also pinned literally, so that a
change of the negotiation itself fails here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph_service.formats.negotiation import negotiate
from graph_service.formats.representations import (
    CSV,
    DOCUMENTS,
    GRAPHS,
    HTML,
    JSON,
    JSONLD,
    PAGES,
    RESULTS,
    SVG,
    TURTLE,
    XLSX,
    Representation,
    media_types,
)
from tests.helpers import sample

SELECT = quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
CONSTRUCT = quote("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")

ACCEPT_MATRIX: list[str | None] = [
    None,
    "",
    "*/*",
    "text/*",
    "application/*",
    "image/*",
    "text/html",
    "application/xhtml+xml",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/turtle",
    "application/turtle",
    "application/x-turtle",
    "application/n-triples",
    "text/plain",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/ld+json",
    "application/x-json+ld",
    "application/json",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "image/svg+xml",
    "image/png",
    "text/turtle;q=0.5, application/ld+json",
    "text/html;q=0.5, text/turtle",
    "text/csv;q=0, */*",
    "*/*;q=0",
    "application/json;q=0.1, text/csv;q=0.2",
    ";",
    ";;",
    ",",
    "a/b/c",
    "text/html;q=nan",
    "text/turtle;q=2",
    "*/html",
    '"',
    "x",
]


@dataclass(frozen=True)
class Family:
    """A route family: one URL, its offers, and how it picks among them."""

    name: str
    url: str
    offers: tuple[Representation, ...]
    pick: Callable[[str | None], Representation | None]


def plain(offers: tuple[Representation, ...]) -> Callable[[str | None], Representation | None]:
    return lambda accept: negotiate(accept, offers)


def page_or(offers: tuple[Representation, ...]) -> Callable[[str | None], Representation | None]:
    """The SPARQL routes: the query page when text/html is named as high as any data format."""
    everything = (HTML, *RESULTS, *GRAPHS)

    def pick(accept: str | None) -> Representation | None:
        if negotiate(accept, everything, named_only=(HTML,)) is HTML:
            return HTML
        return negotiate(accept, offers, named_only=(HTML,))

    return pick


FAMILIES = [
    Family("sparql-select", f"/sparql?query={SELECT}", RESULTS, page_or(RESULTS)),
    Family("sparql-construct", f"/sparql?query={CONSTRUCT}", GRAPHS, page_or(GRAPHS)),
    Family("sparql-description", "/sparql", (HTML, *GRAPHS), page_or((HTML, *GRAPHS))),
    Family("home", "/", (HTML, *GRAPHS), page_or((HTML, *GRAPHS))),
    Family("id", "/id/label/eu-ecolabel", PAGES, plain(PAGES)),
    Family("def", "/def/Label", PAGES, plain(PAGES)),
    Family("shapes", "/shapes/", PAGES, plain(PAGES)),
    Family(
        "describe", "/describe?iri=" + quote("http://data.europa.eu/cpv/cpv/30213100", safe=""), PAGES, plain(PAGES)
    ),
    Family("catalog", "/catalog", DOCUMENTS, plain(DOCUMENTS)),
    Family("void", "/void", DOCUMENTS, plain(DOCUMENTS)),
    Family("dumps-index", "/dumps/", (HTML,), plain((HTML,))),
    Family("id-index", "/id/", (HTML,), plain((HTML,))),
    Family("api", "/api/labels/tco-certified", (JSON,), plain((JSON,))),
    Family("api-list", "/api/labels", (JSON, CSV, XLSX), plain((JSON, CSV, XLSX))),
    Family("api-csv", "/api/coverage", (JSON, CSV, XLSX), plain((JSON, CSV, XLSX))),
    Family("api-svg", "/api/neighbourhood/laptop?hops=1", (JSON, SVG), plain((JSON, SVG))),
]


def vary(response: object) -> list[str]:
    header = response.headers.get("vary", "")  # type: ignore[attr-defined]
    return [v.strip().lower() for v in header.split(",")]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_accept_value_gets_the_one_behaviour(client: TestClient, family: Family) -> None:
    # The whole matrix in the full run; in the fast one a tenth per family, the families together all of it.
    for accept in sample(ACCEPT_MATRIX, FAMILIES.index(family) * 3):
        headers = {} if accept is None else {"Accept": accept}
        response = client.get(family.url, headers=headers)
        expected = family.pick(accept)
        where = f"{family.url} with Accept {accept!r}"
        assert "accept" in vary(response), where
        if expected is None:
            assert response.status_code == 406, where
            assert response.headers["content-type"] == "application/problem+json", where
            body = response.json()
            assert (body["code"], body["title"]) == ("not-acceptable", "Not acceptable"), where
            assert body["formats"] == media_types(family.offers), where
        else:
            assert response.status_code == 200, (where, response.text[:300])
            assert response.headers["content-type"] == expected.content_type, where


@pytest.mark.parametrize(
    ("url", "accept", "media_type"),
    [
        ("/sparql?query=" + CONSTRUCT, "application/turtle", "text/turtle"),
        ("/id/label/eu-ecolabel", "application/turtle", "text/turtle"),
        ("/catalog", "application/turtle", "text/turtle"),
        ("/sparql?query=" + CONSTRUCT, "application/x-json+ld", "application/ld+json"),
        ("/id/label/eu-ecolabel", "application/x-json+ld", "application/ld+json"),
        ("/id/label/eu-ecolabel", "*/*", "text/html"),
        ("/catalog", "*/*", "text/turtle"),
        ("/sparql", "*/*", "text/turtle"),
        ("/sparql", "text/*", "text/turtle"),
        ("/api/labels", "*/*", "application/json"),
        ("/api/coverage", "text/*", "text/csv"),
        ("/sparql?query=" + SELECT, ";", "application/sparql-results+json"),
        ("/id/label/eu-ecolabel", ";", "text/html"),
        ("/catalog", ";", "text/turtle"),
    ],
)
def test_pinned_choices(client: TestClient, url: str, accept: str, media_type: str) -> None:
    response = client.get(url, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("url", ["/id/label/eu-ecolabel.ttl", "/catalog.ttl", "/dumps/graph.ttl"])
def test_a_suffix_decides_alone(client: TestClient, url: str) -> None:
    for accept in ("image/png", "text/html", ";", "application/ld+json"):
        response = client.get(url, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == TURTLE.content_type
        assert "accept" not in vary(response)


def test_jsonld_is_sent_the_same_everywhere(client: TestClient) -> None:
    accept = {"Accept": JSONLD.media_type}
    types = {
        client.get(url, headers=accept).headers["content-type"]
        for url in ("/id/label/eu-ecolabel", "/catalog", "/sparql?query=" + CONSTRUCT, "/sparql")
    }
    assert types | {client.get("/dumps/graph.jsonld").headers["content-type"]} == {JSONLD.content_type}
