"""Remote mode's bounds, over a fake engine on 127.0.0.1 (no Oxigraph needed): an answer that never
ends is abandoned at the deadline (the connection is shut, nothing more is read), an answer past
the byte cap is refused without being held, and what the engine says in an error is not passed on."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from graph_service.problems import ProblemError
from graph_service.sparql.admission import Admission
from graph_service.sparql.engine import Limits, QueryEngine, QueryRequest
from graph_service.sparql.remote import RemoteEngine

PATIENCE_S = 20.0  # how long the fake engine may take to see the connection closed (not a timing bound)
HEAD = b'{"head":{"vars":["x"]},"results":{"bindings":['
ROW = b'{"x":{"type":"literal","value":"' + b"a" * 1000 + b'"}},'


class FakeEngine:
    """Answers every request with a 200 SPARQL JSON table that never ends (or with `error`), counting
    the bytes the client took; `closed` is set when the client shuts the connection."""

    def __init__(self, *, pause_s: float = 0.0, error: tuple[int, bytes] | None = None) -> None:
        self.pause_s = pause_s
        self.error = error
        self.sent = 0
        self.closed = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/query"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(PATIENCE_S)
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(65536)
            if self.error is not None and self.error[1]:
                status, body = self.error
                conn.sendall(
                    b"HTTP/1.1 %d Oops\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                    b"Connection: close\r\n\r\n%s" % (status, len(body), body)
                )
                return
            status_line = b"HTTP/1.1 500 Oops" if self.error else b"HTTP/1.1 200 OK"
            try:
                conn.sendall(
                    status_line + b"\r\nContent-Type: application/sparql-results+json\r\n"
                    b"Connection: close\r\n\r\n" + HEAD
                )
                while not self._stop.is_set():
                    self.sent += conn.send(ROW * 16)
                    if self.pause_s:
                        time.sleep(self.pause_s)
            except OSError:  # the client shut the connection (reset, broken pipe) or stopped reading
                self.closed.set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.listener.close()


@pytest.fixture
def fake() -> Iterator[FakeEngine]:
    engine = FakeEngine(pause_s=0.005)
    yield engine
    engine.stop()


def query_engine(url: str, *, timeout_s: float, max_bytes: int) -> QueryEngine:
    remote = RemoteEngine(url, 2, {})
    limits = Limits(timeout_s=timeout_s, max_rows=10**9, max_query_length=10_000, max_answer_bytes=max_bytes)
    return QueryEngine(remote, Admission(4), limits, ["urn:g"], {})


def ask(engine: QueryEngine, query: str = "SELECT ?x { ?s ?p ?x }") -> ProblemError:
    async def run() -> ProblemError:
        try:
            await engine.answer(QueryRequest(query))
        except ProblemError as exc:
            return exc
        finally:
            await engine.pool.close()
        raise AssertionError("the query was answered")

    return asyncio.run(run())


def test_an_endless_answer_is_abandoned_at_the_deadline(fake: FakeEngine) -> None:
    problem = ask(query_engine(fake.url, timeout_s=1, max_bytes=1 << 30))
    assert problem.status == 504 and problem.code == "query-timeout"
    # the connection is shut: the fake engine's sending fails instead of being read for minutes
    assert fake.closed.wait(PATIENCE_S), f"the engine is still being read ({fake.sent} bytes sent)"
    sent = fake.sent
    assert sent < 1 << 30  # far from the 8 GiB the old code would have read on


def test_a_client_that_goes_away_abandons_the_engine(fake: FakeEngine) -> None:
    engine = query_engine(fake.url, timeout_s=60, max_bytes=1 << 30)

    async def run() -> None:
        task = asyncio.create_task(engine.answer(QueryRequest("SELECT ?x { ?s ?p ?x }")))
        while fake.sent == 0:
            await asyncio.sleep(0.01)
        task.cancel()  # what web/sparql.py does when the client disconnects
        with pytest.raises(asyncio.CancelledError):
            await task
        await engine.pool.close()

    asyncio.run(run())
    assert fake.closed.wait(PATIENCE_S), f"the engine is still being read ({fake.sent} bytes sent)"


def test_an_answer_past_the_cap_is_refused_without_being_read_to_its_end() -> None:
    fake = FakeEngine()  # as fast as it can
    try:
        problem = ask(query_engine(fake.url, timeout_s=60, max_bytes=1 << 20))
        assert problem.status == 400 and problem.code == "answer-too-large"
        assert fake.closed.wait(PATIENCE_S), f"the engine is still being read ({fake.sent} bytes sent)"
    finally:
        fake.stop()


@pytest.mark.parametrize(
    ("status", "answered", "code"),
    [
        (400, 400, "syntax-error"),
        (500, 500, "evaluation-failed"),
        (502, 503, "engine-unavailable"),
        (503, 503, "engine-unavailable"),
    ],
)
def test_the_engines_error_text_is_not_passed_on(status: int, answered: int, code: str) -> None:
    """An engine error may quote what the engine reached (SERVICE, a proxy): never shown."""
    body = b"Connection refused: could not reach http://10.1.2.3:6379/ (tcp connect error, os error 111)"
    fake = FakeEngine(error=(status, body))
    try:
        problem = ask(query_engine(fake.url, timeout_s=10, max_bytes=1 << 20))
    finally:
        fake.stop()
    assert problem.code == code and problem.status == answered
    for leaked in ("10.1.2.3", "6379", "refused", "os error"):
        assert leaked not in problem.detail


def test_an_endless_error_reply_is_not_read_to_its_end() -> None:
    fake = FakeEngine(error=(500, b""))  # a 500 whose body never ends
    try:
        problem = ask(query_engine(fake.url, timeout_s=60, max_bytes=1 << 20))
        assert problem.status == 500 and problem.code == "evaluation-failed"
        assert fake.closed.wait(PATIENCE_S), f"the engine is still being read ({fake.sent} bytes sent)"
    finally:
        fake.stop()
