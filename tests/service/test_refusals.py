"""Each refusal of the service, as problem+json with a status and an actionable detail."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from graph_service.runtime import StartupRefusedError
from graph_service.web.app import create_app
from tests.helpers import FIXTURES, base_settings

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status and body["code"] == code
    assert isinstance(body["detail"], str) and len(body["detail"]) > 20
    return body


class CountingListener:
    """A local TCP server that only counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.accepted


@pytest.fixture
def listener() -> Iterator[CountingListener]:
    running = CountingListener()
    yield running
    running.close()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_no_outbound_connection_ever(client: TestClient, listener: CountingListener, query: str) -> None:
    text = query.replace("{port}", str(listener.port))
    response = client.get("/sparql", params={"query": text})
    assert response.status_code == 400
    assert response.json()["code"] in ("service-refused", "unknown-graph")
    assert listener.close() == 0


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("get", {"params": {"update": "CLEAR ALL"}}),
        ("get", {"params": {"query": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"}}),
        ("post", {"data": {"update": "DROP ALL"}}),
        ("post", {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}),
        ("post", {"content": "DELETE WHERE { ?s ?p ?o }", "headers": {"Content-Type": "application/sparql-query"}}),
    ],
)
def test_updates_are_refused(client: TestClient, method: str, kwargs: dict[str, object]) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    problem(response, 400, "update-refused")
    assert client.post("/update", data={"update": "CLEAR ALL"}).status_code == 404


def test_unknown_from_graph(client: TestClient) -> None:
    query = "SELECT * FROM <https://example.org/not-here> WHERE { ?s ?p ?o }"
    body = problem(client.get("/sparql", params={"query": query}), 400, "unknown-graph")
    assert body["graphs"] == sorted(client.app.state.runtime.graphs)  # type: ignore[attr-defined]


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_unknown_dataset_parameter(client: TestClient, param: str) -> None:
    response = client.get("/sparql", params={"query": SELECT, param: "https://example.org/g"})
    problem(response, 400, "unknown-graph")
    form = client.post("/sparql", data={"query": SELECT, param: "https://example.org/g"})
    problem(form, 400, "unknown-graph")


def test_too_long(client: TestClient) -> None:
    limit = client.app.state.runtime.settings.max_query_length  # type: ignore[attr-defined]
    query = SELECT + " #" + "x" * limit
    problem(client.get("/sparql", params={"query": query}), 413, "query-too-long")
    big = client.post(
        "/sparql", content="#" * (limit * 13 + 70_000), headers={"Content-Type": "application/sparql-query"}
    )
    problem(big, 413, "query-too-long")


def test_too_many_rows(client: TestClient) -> None:
    cap = client.app.state.runtime.settings.max_rows  # type: ignore[attr-defined]
    many = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {cap + 1}"
    body = problem(client.get("/sparql", params={"query": many}), 400, "too-many-rows")
    assert f"LIMIT {cap}" in str(body["detail"])
    exact = client.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {cap}"})
    assert exact.status_code == 200
    triples = f"CONSTRUCT WHERE {{ ?s ?p ?o }} LIMIT {cap + 1}"
    problem(client.get("/sparql", params={"query": triples}), 400, "too-many-rows")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "text/turtle"),
        (SELECT, "image/png"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv"),
        ("ASK { ?s ?p ?o }", "application/ld+json;q=1, application/sparql-results+json;q=0"),
    ],
)
def test_not_acceptable(client: TestClient, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    body = problem(response, 406, "not-acceptable")
    assert body["formats"]


def test_service_description_not_acceptable(client: TestClient) -> None:
    problem(client.get("/sparql", headers={"Accept": "image/png"}), 406, "not-acceptable")


def test_syntax_error_gives_message_and_position(client: TestClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o\n}\nLIMIT ten"
    body = problem(client.get("/sparql", params={"query": query}), 400, "syntax-error")
    assert (body["line"], body["column"]) == (5, 7)
    assert "error at 5:7: expected" in str(body["detail"])
    assert "line 5, column 7" in str(body["detail"])


def test_bad_requests(client: TestClient) -> None:
    problem(client.get("/sparql", params={"query": ""}), 400, "empty-query")
    problem(client.get("/sparql", params=[("query", SELECT), ("query", SELECT)]), 400, "several-queries")
    problem(
        client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"}), 415, "unsupported-media-type"
    )


def test_concurrency_bound_gives_429_with_retry_after(make_client: object) -> None:
    client: TestClient = make_client(workers=1, query_queue=0)  # type: ignore[operator]
    admission = client.app.state.runtime.engine.admission  # type: ignore[attr-defined]
    assert admission.try_acquire()  # hold the only slot, as a running query would
    try:
        response = client.get("/sparql", params={"query": SELECT})
        problem(response, 429, "too-many-queries")
        assert int(response.headers["retry-after"]) >= 1
        assert client.get("/health").status_code == 200
    finally:
        admission.release()
    assert client.get("/sparql", params={"query": SELECT}).status_code == 200


def test_invalid_data_refuses_to_start() -> None:
    settings = base_settings(ontology_dir=FIXTURES / "ontology", data_dir=FIXTURES / "invalid")
    with pytest.raises(StartupRefusedError) as refused, TestClient(create_app(settings)):
        pass
    assert "A label needs a name" in refused.value.report
    assert "nameless" in refused.value.report


TRIPLE_TERM_CONSTRUCT = (
    "CONSTRUCT { ?s ?p <<( ?s ?p ?o )>> } WHERE { BIND(<http://x.test/s> AS ?s) "
    "BIND(<http://x.test/p> AS ?p) BIND(1 AS ?o) }"
)


def test_answer_the_format_cannot_hold_gets_406_not_500(client: TestClient) -> None:
    # JSON-LD cannot hold RDF 1.2 triple terms: the serializer fails inside the worker
    response = client.get("/sparql", params={"query": TRIPLE_TERM_CONSTRUCT}, headers={"Accept": "application/ld+json"})
    body = problem(response, 406, "not-acceptable")
    assert "JSON-LD" in str(body["detail"]) and "text/turtle" in str(body["detail"])
    after = client.get("/sparql", params={"query": TRIPLE_TERM_CONSTRUCT}, headers={"Accept": "application/n-triples"})
    assert after.status_code == 200 and "<<(" in after.text


def test_a_format_parameter_the_query_form_cannot_take_is_named_as_sent(client: TestClient) -> None:
    """`?format=csv` on a CONSTRUCT is a 406 that quotes `format=csv`, not an Accept header the
    client never sent (the format is decided once, from Accept or `format`, and passed on as such)."""
    response = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"}, headers={"Accept": "*/*"}
    )
    body = problem(response, 406, "not-acceptable")
    assert "format='csv'" in str(body["detail"]) and "text/csv" not in str(body["detail"]).split("offered")[0]
