"""Connections bounded at the transport (`web/connections.py`), with real sockets on 127.0.0.1: a head
that never comes or comes half is closed, past the cap new connections get 503 while the open ones
are served, and the log stays a few lines under abuse. No timing asserts: each test waits for an
outcome (a close, a count), the patience only bounding a failure."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn

from graph_service.web.app import create_app, server_config
from graph_service.web.connections import GuardedH11Protocol, QuietLog, guarded_protocol
from tests.helpers import PATIENCE_S, real_settings, wait_for

REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


async def hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The smallest ASGI application: `ok` to every request."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/big":  # 16 MB, more than any socket buffers
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"16777216")]})
        for _ in range(64):
            await send({"type": "http.response.body", "body": b"z" * 262_144, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@contextmanager
def serving(
    head_timeout_s: float, max_connections: int, send_timeout_s: float = 60
) -> Iterator[tuple[int, uvicorn.Server]]:
    """uvicorn with the guarded protocol on a socket the test binds (no free-port race), in a thread."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    protocol = guarded_protocol(head_timeout_s, max_connections, send_timeout_s)
    config = uvicorn.Config(hello, http=protocol, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, "the server up")
        yield port, server
    finally:
        server.should_exit = True
        thread.join(PATIENCE_S)
        listener.close()


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=PATIENCE_S)
    return sock


def read_to_close(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (a timeout here means it never closed)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def read_response(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"ok"):
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    return data


def test_a_connection_that_sends_nothing_is_closed_after_the_head_timeout() -> None:
    with serving(head_timeout_s=0.2, max_connections=100) as (port, server):
        with connect(port) as sock:
            assert read_to_close(sock) == b""  # closed without a word
        wait_for(lambda: not server.server_state.connections, "the connection forgotten")


def test_a_half_sent_head_is_closed_with_a_408() -> None:
    with serving(head_timeout_s=0.2, max_connections=100) as (port, _), connect(port) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert read_to_close(sock).startswith(b"HTTP/1.1 408 ")


def test_the_head_deadline_runs_again_after_each_response() -> None:
    with serving(head_timeout_s=0.3, max_connections=100) as (port, _), connect(port) as sock:
        sock.sendall(REQUEST)
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        sock.sendall(b"GET / HTTP/1.1\r\n")  # the next head, half sent, on the kept-alive connection
        assert read_to_close(sock).startswith(b"HTTP/1.1 408 ")


def test_past_the_cap_new_connections_get_503_while_open_ones_are_served() -> None:
    with serving(head_timeout_s=60, max_connections=3) as (port, server):
        held = [connect(port) for _ in range(3)]
        try:
            wait_for(lambda: len(server.server_state.connections) == 3, "three connections open")
            for _ in range(5):
                with connect(port) as refused:
                    assert read_to_close(refused).startswith(b"HTTP/1.1 503 ")
            for sock in held:  # each open connection is still served
                sock.sendall(REQUEST)
                assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        finally:
            for sock in held:
                sock.close()


def test_a_client_that_never_reads_its_response_is_cut_after_the_send_timeout() -> None:
    with serving(head_timeout_s=60, max_connections=10, send_timeout_s=0.2) as (port, server):
        protocol = server.config.http_protocol_class
        assert issubclass(protocol, GuardedH11Protocol)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", port))
        with sock:
            sock.sendall(b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # and never read
            wait_for(lambda: protocol.stalled[0] == 1, "the stalled connection aborted")
            wait_for(lambda: not server.server_state.connections, "the connection forgotten")
            with connect(port) as other:  # the server goes on serving
                other.sendall(REQUEST)
                assert read_response(other).startswith(b"HTTP/1.1 200 ")


def test_a_slow_reader_that_keeps_reading_gets_the_whole_response() -> None:
    with serving(head_timeout_s=60, max_connections=10, send_timeout_s=5) as (port, server), connect(port) as sock:
        sock.sendall(b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = 0
        while received < 16_777_216:
            chunk = sock.recv(1 << 20)
            assert chunk
            received += len(chunk)
        protocol = server.config.http_protocol_class
        assert issubclass(protocol, GuardedH11Protocol) and protocol.stalled[0] == 0


def test_refusals_and_timeouts_keep_the_log_small(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO), serving(head_timeout_s=60, max_connections=2) as (port, server):
        protocol = server.config.http_protocol_class
        assert issubclass(protocol, GuardedH11Protocol)
        held = [connect(port) for _ in range(2)]
        wait_for(lambda: len(server.server_state.connections) == 2, "two connections open")
        for _ in range(300):
            with connect(port) as refused:
                read_to_close(refused)
        for sock in held:
            sock.close()
        wait_for(lambda: not server.server_state.connections, "the held connections gone")
        protocol.head_timeout_s = 0.05  # the connections made from now on
        for index in range(40):
            with connect(port) as idle:
                if index % 2:
                    idle.sendall(b"GET / HTTP/1.1\r\n")
                read_to_close(idle)
        assert protocol.refusals.total == 300 and protocol.timed_out[0] == 40
    lines = [r for r in caplog.records if r.name.startswith(("graph_service", "uvicorn", "asyncio"))]
    assert len(lines) <= 3, [r.getMessage() for r in lines]


def test_a_message_repeated_is_written_a_few_times_then_counted() -> None:
    quiet = QuietLog(burst=5, every_s=3600)
    records = [logging.LogRecord("uvicorn.error", logging.WARNING, "h11", 1, "Invalid HTTP request received.",
                                 None, None) for _ in range(10_000)]  # fmt: skip
    assert sum(quiet.filter(r) for r in records) == 5
    other = logging.LogRecord("uvicorn.error", logging.WARNING, "h11", 1, "Something else", None, None)
    assert quiet.filter(other)
    accept_errors = [logging.LogRecord("asyncio", logging.ERROR, "base_events", 1,
                                       f"socket.accept() out of system resource\nsocket: <fd={fd}>", None, None)
                     for fd in range(1000)]  # fmt: skip
    assert sum(quiet.filter(r) for r in accept_errors) == 5


def test_the_server_gets_the_bounds_from_the_settings() -> None:
    settings = real_settings().model_copy(
        update={"head_timeout_s": 7.5, "max_connections": 123, "keep_alive_s": 4, "send_timeout_s": 9.5}
    )
    config = server_config(create_app(settings), settings)
    protocol = config.http
    assert isinstance(protocol, type) and issubclass(protocol, GuardedH11Protocol)
    assert protocol.head_timeout_s == 7.5 and protocol.max_connections == 123 and protocol.send_timeout_s == 9.5
    assert config.timeout_keep_alive == 4
