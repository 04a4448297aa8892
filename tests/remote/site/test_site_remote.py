"""The JSON API and publishing tests of the embedded mode, run in remote mode, and both modes
compared on the query page's examples (the named queries): same rows for every one."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.api import test_behaviour, test_guide_answers
from tests.api.test_guide_answers import matrix  # noqa: F401 (fixtures of the imported tests)
from tests.publishing import test_catalog, test_dereference
from tests.publishing.test_catalog import catalog  # noqa: F401

# The JSON API and publishing tests of the embedded mode, collected here too with this folder's
# fixtures (the app over Oxigraph's server): a test added there runs in both modes.
globals().update(
    {
        name: value
        for module in (test_behaviour, test_guide_answers, test_catalog, test_dereference)
        for name, value in vars(module).items()
        if name.startswith("test_") and callable(value)
    }
)

pytestmark = [pytest.mark.remote, pytest.mark.slow]


def table(client: TestClient, query: str) -> list[tuple[str, ...]]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return sorted(tuple(row) for row in csv.reader(io.StringIO(response.text)))


def test_both_modes_give_the_same_rows_for_every_example(client: TestClient, real_client: TestClient) -> None:
    examples = real_client.get("/sparql/examples").json()
    assert len(examples) >= 5
    for example in examples:
        embedded = table(real_client, example["query"])
        assert len(embedded) > 1, example["name"]  # a header and rows
        assert table(client, example["query"]) == embedded, example["name"]


def test_both_modes_send_the_same_bytes_and_tags_for_an_ordered_query(
    client: TestClient, real_client: TestClient
) -> None:
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?s ?label"
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        remote = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        embedded = real_client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert remote.content == embedded.content
        assert remote.headers["etag"] == embedded.headers["etag"]


def test_health_names_the_engine(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["engine"].startswith("http://127.0.0.1:")
    assert body["worker_events"]["answered"] >= 2  # the start-up checks
