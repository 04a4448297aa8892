"""Connections bounded at the transport, below the ASGI application: a request head must arrive in
time, open connections are capped, refusals cost a constant write, and the server's log stays small.

uvicorn (h11) times out only the idle time after a response (`timeout_keep_alive`); a connection
that sends nothing, or half a request head, is kept forever, so idle sockets pile up to the
descriptor limit (slowloris). `guarded_protocol` is uvicorn's h11 protocol with three additions:

- a head deadline: from the connection's start, and from the end of each response, the next
  request head must be complete within `head_timeout_s`, or the connection is closed (a 408 is
  written first when part of a head came);
- a cap: past `max_connections` open connections, a new one gets a fixed 503 and is closed, before
  anything is read or parsed; the refusals are counted and logged once per interval, not each;
- a send deadline: a client that reads nothing of a response for `send_timeout_s` while the
  server has more to send (the transport's buffer stays full) has its connection aborted, so a
  reader that never reads holds a connection (and a spooled answer) for that long, not forever;
- `QuietLog`: a filter that lets a few records of each message through per interval, then counts
  the rest and reports the count, so that abuse cannot fill the disk with uvicorn's or asyncio's
  warnings and tracebacks.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("graph_service.connections")

BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 43\r\n"
    b"Retry-After: 1\r\nConnection: close\r\n\r\nToo many open connections; try again later."
)
HEAD_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\nContent-Length: 40\r\n"
    b"Connection: close\r\n\r\nThe request head did not arrive in time."
)
RESERVED_DESCRIPTORS = 256  # for the worker pipes, spooled answers, data files, the listening socket


class Refusals:
    """Connections refused past the cap: counted, and logged at most once per `every_s`."""

    def __init__(self, every_s: float = 10.0) -> None:
        self.total = 0
        self._unlogged = 0
        self._every_s = every_s
        self._logged_at = -every_s

    def note(self, cap: int) -> None:
        """One more refusal."""
        self.total += 1
        self._unlogged += 1
        now = time.monotonic()
        if now - self._logged_at >= self._every_s:
            log.warning(
                "refused %d connection(s) past the cap of %d open connections (KG_MAX_CONNECTIONS)", self._unlogged, cap
            )
            self._unlogged = 0
            self._logged_at = now


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head deadline and a cap on open connections."""

    head_timeout_s: ClassVar[float] = 10.0
    send_timeout_s: ClassVar[float] = 30.0
    max_connections: ClassVar[int] = 1000
    refusals: ClassVar[Refusals] = Refusals()
    timed_out: ClassVar[list[int]] = [0]  # connections closed for a late head
    stalled: ClassVar[list[int]] = [0]  # connections aborted for a response not read

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._send_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Refuse at once past the cap; else serve, the head's deadline running."""
        if len(self.connections) >= self.max_connections:
            self._refused = True
            transport.write(BUSY)
            transport.close()
            self.refusals.note(self.max_connections)
            return
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection (a refused one was never counted)."""
        if self._refused:
            return
        self._cancel_head_timer()
        self._cancel_send_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Parse as uvicorn does; the deadline ends once a whole head has come."""
        if self._refused:
            return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        """The next head's deadline starts when a response ends."""
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_timer()

    def pause_writing(self) -> None:
        """The client does not read as fast as we send: it has `send_timeout_s` to read again."""
        super().pause_writing()
        if self._send_timer is None:
            self._send_timer = self.loop.call_later(self.send_timeout_s, self._send_timed_out)

    def resume_writing(self) -> None:
        """The client read: no deadline until the buffer fills again."""
        super().resume_writing()
        self._cancel_send_timer()

    def _cancel_send_timer(self) -> None:
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _send_timed_out(self) -> None:
        self._send_timer = None
        if self.transport.is_closing() and not self.transport.get_write_buffer_size():
            return
        self.stalled[0] += 1
        self.transport.abort()  # close() would wait for a buffer that never drains

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # part of a head came: say why it ends
            self.transport.write(HEAD_TIMEOUT)
        self.timed_out[0] += 1
        self.transport.close()


def guarded_protocol(
    head_timeout_s: float, max_connections: int, send_timeout_s: float = 30.0
) -> type[GuardedH11Protocol]:
    """The protocol class to give uvicorn (`Config(http=...)`) for these bounds."""
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "head_timeout_s": head_timeout_s,
            "send_timeout_s": send_timeout_s,
            "stalled": [0],
            "max_connections": max_connections,
            "refusals": Refusals(),
            "timed_out": [0],
        },
    )


def connection_cap(requested: int) -> int:
    """The cap on open connections: as asked, but below the descriptors this process may open
    (their soft limit is raised to the hard one first), so that `accept` never fails for want of one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return requested
    return max(1, min(requested, soft - RESERVED_DESCRIPTORS))


class QuietLog(logging.Filter):
    """At most `burst` records of one message per `every_s` seconds; then one record saying how many
    were dropped. Keeps uvicorn's and asyncio's per-connection warnings from flooding the log."""

    def __init__(self, burst: int = 5, every_s: float = 60.0) -> None:
        super().__init__()
        self.burst = burst
        self.every_s = every_s
        self._windows: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """Let the record through, or count it against its message."""
        key = str(record.msg).split("\n", 1)[0][:200]  # asyncio adds the socket's details below
        now = time.monotonic()
        started, count = self._windows.get(key, (now, 0))
        if now - started >= self.every_s:
            dropped = count - self.burst
            started, count = now, 0
            if dropped > 0:
                record.msg = f"{record.msg} (and {dropped} more like it in the last {self.every_s:.0f} s)"
        if len(self._windows) >= 1000 and key not in self._windows:
            self._windows.clear()
        self._windows[key] = (started, count + 1)
        if count >= self.burst:
            return False
        if count == self.burst - 1:
            record.msg = f"{record.msg} (more like it are counted, not written, for {self.every_s:.0f} s)"
        return True


def quiet_logs(loggers: tuple[str, ...] = ("uvicorn.error", "asyncio")) -> QuietLog:
    """Install one QuietLog on these loggers; returned so that it can be removed."""
    quiet = QuietLog()
    for name in loggers:
        logging.getLogger(name).addFilter(quiet)
    return quiet
