"""The edge: the one middleware every request and answer cross first and last.

In one pass over each, it gives the answer the headers every response gets (the request id; Vary
and Content-Language from the negotiation; nosniff; on HTML pages a Content-Security-Policy with no
inline script or style and no framing, and a Referrer-Policy; CORS, `web/cors.py`) and records the
request (metrics and the access log, `web/access.py`). One layer rather than one per concern: each
layer wraps `send` again and parses the headers again, and on a SPARQL answer computed for the
request those layers cost more than the guard.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.web import cors
from graph_service.web.access import (
    KNOWN_METHODS,
    OBSERVED_KEY,
    Access,
    record_problem,
    request_id,
    valid_request_id,
)
from graph_service.web.errors import internal_error, problem_response
from graph_service.web.request import LANGUAGE_KEY, VARY_KEY

# Pages load their script and stylesheet from /static; results go to /sparql on the same origin.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
REFERRER_POLICY = "strict-origin-when-cross-origin"


class Edge:
    """ASGI middleware: the edge headers, CORS, the request id, metrics and the access log."""

    def __init__(self, app: ASGIApp, *, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"  # HEAD: turned into GET further in
        given_id = origin = cors_method = cors_headers = None
        private_network = False
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"x-request-id" and (given_id is None or not valid_request_id(given_id)):
                given_id = value  # of several, the first valid one
            elif name.startswith(b"access-control-request-"):
                if name == b"access-control-request-method":
                    cors_method = value
                elif name == b"access-control-request-headers":
                    cors_headers = value
                elif name == b"access-control-request-private-network":
                    private_network = True
        is_preflight = origin is not None and cors_method is not None and scope["method"] == "OPTIONS"
        rid = request_id(given_id)
        observed: dict[str, str] = {}
        scope[OBSERVED_KEY] = observed
        consulted: list[str] = []
        scope[VARY_KEY] = consulted
        status = 0  # no answer begun
        media_type = ""
        sent = 0

        async def edge(message: Message) -> None:
            nonlocal status, media_type, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                media_type = _add_headers(message, scope, rid, consulted, origin is not None and not is_preflight)
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            if is_preflight:
                assert cors_method is not None
                for message in cors.preflight(cors_method, cors_headers, private_network):
                    await edge(message)
                return
            await self.app(scope, receive, edge)
        except Exception:
            # Starlette's outermost layer answers unexpected errors (and logs them, `web/errors.py`),
            # outside this one: answered here first, the 500 carries the edge headers too
            if status == 0:
                record_problem(scope, "internal-error")
                await problem_response(internal_error())(scope, receive, edge)
            raise
        finally:
            self.access.record(
                scope,
                method,
                rid,
                status or 500,
                media_type,
                sent,
                time.perf_counter() - started,
                observed.get("problem"),
            )


def _add_headers(start: Message, scope: Scope, rid: str, consulted: list[str], cross_origin: bool) -> str:
    """Add the edge headers to a response start, in one pass over its raw headers; its media type."""
    raw: list[tuple[bytes, bytes]] = []
    vary: list[str] = []
    content_type = b""
    has_language = has_policy = has_referrer = False
    for name, value in start.get("headers", ()):
        lowered = name.lower()
        if lowered == b"vary":
            vary += [v.strip() for v in value.decode("latin-1").split(",") if v.strip()]
            continue
        if lowered == b"content-type":
            content_type = value
        elif lowered == b"content-language":
            has_language = True
        elif lowered == b"content-security-policy":
            has_policy = True
        elif lowered == b"referrer-policy":
            has_referrer = True
        raw.append((lowered, value))
    known = {v.lower() for v in vary}
    vary += [h for h in (*consulted, "Origin") if h.lower() not in known]
    raw += [
        (b"vary", ", ".join(vary).encode("latin-1")),
        (b"x-content-type-options", b"nosniff"),
        (b"x-request-id", rid.encode("latin-1")),
    ]
    if LANGUAGE_KEY in scope and not has_language:
        raw.append((b"content-language", str(scope[LANGUAGE_KEY]).encode("latin-1")))
    if content_type.startswith(b"text/html"):
        if not has_policy:
            raw.append((b"content-security-policy", _PAGE_POLICY))
        if not has_referrer:
            raw.append((b"referrer-policy", _REFERRER_POLICY))
    if cross_origin:
        raw += cors.SIMPLE_HEADERS
    start["headers"] = raw
    return content_type.decode("latin-1").split(";")[0].strip()


_PAGE_POLICY = PAGE_POLICY.encode("latin-1")
_REFERRER_POLICY = REFERRER_POLICY.encode("latin-1")
