"""Per request: a request id (the client's `X-Request-ID` when valid, else a new one, sent back), the
metrics of `web/metrics.py`, and one access-log line as JSON: on standard output when serving
(written once per event-loop turn), else to the logger `graph_service.access`. The edge
(`web/edge.py`) calls it."""

from __future__ import annotations

import asyncio
import atexit
import functools
import itertools
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from graph_service.web.metrics import Metrics

OBSERVED_KEY = "graph_service.observed"  # a dict shared by the copies of the scope (HEAD is run as GET)
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(rb"[A-Za-z0-9._:+=/@-]{1,128}")
# The methods counted by name; any other is "OTHER", so a client cannot add label values at will
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"})
access_log = logging.getLogger("graph_service.access")


def record_problem(scope: Scope, code: str) -> None:
    """Note the problem code a request was refused with (for the refusal metrics and the log)."""
    observed = scope.get(OBSERVED_KEY)
    if observed is not None:
        observed["problem"] = code


class Access:
    """What the edge (`web/edge.py`) records of each answered request: metrics and one log line."""

    def __init__(self, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.metrics = metrics
        self.routes = routes
        self._templates: dict[tuple[str, str], str] = {}

    def record(
        self,
        scope: Scope,
        method: str,
        request_id: str,
        status: int,
        media_type: str,
        sent: int,
        seconds: float,
        problem: str | None,
    ) -> None:
        """Count the request and log it (method: a KNOWN_METHODS name or OTHER)."""
        route = self._route(scope, method)
        representation = media_type or "-"
        self.metrics.observe(route, method, status, representation, seconds, problem)
        if _sink is not None:  # formatted when written, with the other lines of this turn
            _sink.add((time.time(), request_id, method, route, status, seconds, representation, sent, problem))
        elif access_log.isEnabledFor(logging.INFO):
            access_log.info(
                _line(time.time(), request_id, method, route, status, seconds, representation, sent, problem)
            )

    def _route(self, scope: Scope, method: str) -> str:
        """The template of the route that answered (`/api/labels/{id:path}`), not the raw path."""
        answered = scope.get("route")  # set by FastAPI's router on the scope it was given
        if answered is not None and hasattr(answered, "path_regex"):
            return _with_prefix(scope["path"], answered)
        key = (method, scope["path"])
        template = self._templates.get(key)
        if template is None:
            template = "<unmatched>"
            for route in self.routes:
                match, _ = route.matches(scope)
                if match is Match.FULL and hasattr(route, "path"):
                    template = str(route.path)
                    break
            if len(self._templates) >= 1024:
                self._templates.clear()
            self._templates[key] = template
        return template


def _with_prefix(path: str, route: Any) -> str:
    """The route's path under the prefix it was included with (`/api` + `/labels/{id:path}`)."""
    cut = 0
    while cut != -1:
        if route.path_regex.match(path[cut:]):
            return path[:cut] + str(route.path)
        cut = path.find("/", cut + 1)
    return str(route.path)


_json = json.JSONEncoder(ensure_ascii=False).encode
_clock: list[Any] = [-1, ""]  # the second last formatted, and its text


def _timestamp(now: float) -> str:
    """`now` as ISO 8601 with milliseconds, UTC; the part up to the second is formatted once a second."""
    second = int(now)
    if second != _clock[0]:
        _clock[0], _clock[1] = second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{_clock[1]}.{int((now - second) * 1000):03d}+00:00"


@functools.lru_cache(maxsize=1024)
def _encoded(text: str) -> str:
    """A route template or a media type as a JSON string (few distinct values: remembered)."""
    return _json(text)


def request_id(given: bytes | None) -> str:
    """The client's `X-Request-ID` when valid, else a new one: 32 hex digits, a random prefix drawn at
    start-up and a counter (unique in this process, and across replicas but by a 2^-64 chance)."""
    if given is not None and _VALID_ID.fullmatch(given):
        return given.decode("ascii")
    return f"{_ID_PREFIX}{next(_ids):016x}"


def valid_request_id(given: bytes) -> bool:
    """Whether a client's `X-Request-ID` may be used and sent back as it is."""
    return _VALID_ID.fullmatch(given) is not None


_ID_PREFIX = secrets.token_hex(8)
_ids = itertools.count()


def _draw_prefix() -> None:
    """A forked process draws its own prefix (its counter goes on from its parent's)."""
    global _ID_PREFIX
    _ID_PREFIX = secrets.token_hex(8)


os.register_at_fork(after_in_child=_draw_prefix)


def _line(
    now: float,
    request_id: str,
    method: str,
    route: str,
    status: int,
    seconds: float,
    representation: str,
    sent: int,
    problem: str | None,
) -> str:
    """One access-log line. The request id is from _VALID_ID's characters, the method from
    KNOWN_METHODS: no escaping; the route and the media type come from a client only through the
    route table and the negotiation, but are encoded anyway."""
    return (
        f'{{"time":"{_timestamp(now)}","request_id":"{request_id}","method":"{method}",'
        f'"route":{_encoded(route)},"status":{status},"duration_ms":{seconds * 1000:.3f},'
        f'"representation":{_encoded(representation)},"bytes":{sent}'
        + (f',"problem":{_json(problem)}}}' if problem is not None else "}")
    )


_Fields = tuple[float, str, str, str, int, float, str, int, str | None]


class _Lines:
    """Access-log lines for a stream, formatted and written once per event-loop turn, all at once."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending: list[_Fields] = []
        atexit.register(self.flush)

    def add(self, fields: _Fields) -> None:
        if not self.pending:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no event loop: at once
                self.stream.write(_line(*fields) + "\n")
                self.stream.flush()
                return
        self.pending.append(fields)

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            self.stream.write("".join(_line(*fields) + "\n" for fields in pending))
            self.stream.flush()


_sink: _Lines | None = None


def write_lines_to(stream: TextIO | None) -> None:
    """Send the access log to `stream` (one JSON line per request, written once per event-loop turn),
    or, with None, to the logger `graph_service.access` (the default: e.g. pytest's caplog sees it)."""
    global _sink
    if _sink is not None:
        _sink.flush()
    _sink = None if stream is None else _Lines(stream)
