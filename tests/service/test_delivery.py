"""Delivery bounded like compute, over real sockets: a big answer nobody reads, or one closed early,
costs no worker (the answer is spooled, the worker freed when it is handed over)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from tests.helpers import PATIENCE_S, Server, base_settings

CHEAP = "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }"
# ~3.5 MB of SPARQL JSON, from no data: 5,000 rows with a 600-character value each
BIG = (
    "SELECT * WHERE { VALUES ?a { "
    + " ".join(map(str, range(50)))
    + " } VALUES ?b { "
    + " ".join(map(str, range(100)))
    + ' } BIND(CONCAT(STR(?a), "'
    + "z" * 600
    + '") AS ?pad) }'
)


@pytest.fixture(scope="module")
def one_worker() -> Iterator[Server]:
    """A real server with one query worker; a short deadline, so an answer held by the worker past
    it would show as a refused second query."""
    running = Server(base_settings(workers=1, query_timeout_s=5, max_rows=10_000, head_timeout_s=1.0))
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def ask(port: int, query: str) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.settimeout(PATIENCE_S)
    sock.sendall(
        f"GET /sparql?{urlencode({'query': query})} HTTP/1.1\r\nHost: testserver\r\n"
        "Accept: application/sparql-results+json\r\n\r\n".encode()
    )
    return sock


def health(server: Server) -> dict[str, object]:
    answer: dict[str, object] = httpx.get(server.url + "/health", timeout=PATIENCE_S).json()
    return answer


def test_a_big_answer_never_read_does_not_keep_the_only_worker(one_worker: Server) -> None:
    unread = [ask(one_worker.port, f"{BIG} # unread-{i}") for i in range(2)]
    try:
        for sock in unread:
            assert sock.recv(16).startswith(b"HTTP/1.1 200")  # answered, then never read further
        for index in range(3):
            response = httpx.get(
                one_worker.url + "/sparql",
                params={"query": f"{CHEAP} # {index}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=PATIENCE_S,
            )
            assert response.status_code == 200
    finally:
        for sock in unread:
            sock.close()


def test_answers_closed_early_cost_no_worker(one_worker: Server) -> None:
    before = health(one_worker)["workers_replaced"]
    for index in range(20):
        with ask(one_worker.port, f"{BIG} # early-{index}") as sock:
            assert sock.recv(65536)
    after = health(one_worker)
    assert after["workers_replaced"] == before
    assert (
        httpx.get(
            one_worker.url + "/sparql", params={"query": CHEAP}, headers={"Accept": "application/sparql-results+json"}
        ).status_code
        == 200
    )


def test_the_served_application_closes_a_connection_that_sends_nothing(one_worker: Server) -> None:
    """KG_HEAD_TIMEOUT_S reaches `graph-service serve` (the protocol itself: tests/web/test_connections.py)."""
    with socket.create_connection(("127.0.0.1", one_worker.port), timeout=PATIENCE_S) as idle:
        assert idle.recv(1) == b""  # closed by the server, never answered
