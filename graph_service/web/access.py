"""Per request: a request id (the client's `X-Request-ID` when valid, else a new one, sent back), the
metrics of `web/metrics.py`, and one access-log line as JSON (logger `graph_service.access`)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class AccessObserver:
    """ASGI middleware: request id, request metrics and the JSON access log."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes
        self._templates: dict[tuple[str, str], str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"  # HEAD: turned into GET further in
        request_id = _request_id(scope)
        observed: dict[str, str] = {}
        scope[OBSERVED_KEY] = observed
        status = 500
        media_type = ""
        sent = 0

        async def observing(message: Message) -> None:
            nonlocal status, media_type, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                media_type = headers.get("content-type", "").split(";")[0].strip()
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, observing)
        finally:
            seconds = time.perf_counter() - started
            route = self._route(scope, method)
            representation = media_type or "-"
            self.metrics.observe(route, method, status, representation, seconds, observed.get("problem"))
            if access_log.isEnabledFor(logging.INFO):
                problem = observed.get("problem")
                # the request id is from _VALID_ID's characters, the method from KNOWN_METHODS: no
                # escaping; the route and the media type come from a client only through the
                # route table and the negotiation, but are encoded anyway
                access_log.info(
                    f'{{"time":"{_now()}","request_id":"{request_id}","method":"{method}",'
                    f'"route":{_json(route)},"status":{status},"duration_ms":{seconds * 1000:.3f},'
                    f'"representation":{_json(representation)},"bytes":{sent}'
                    + (f',"problem":{_json(problem)}}}' if problem is not None else "}")
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


def _now() -> str:
    """The time as ISO 8601 with milliseconds, UTC; the part up to the second is formatted once a second."""
    now = time.time()
    second = int(now)
    if second != _clock[0]:
        _clock[0], _clock[1] = second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{_clock[1]}.{int((now - second) * 1000):03d}+00:00"


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id" and _VALID_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return uuid.uuid4().hex
