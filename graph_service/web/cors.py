"""Cross-origin reads (CORS, Fetch standard §3.2): any origin may read every answer, without credentials.

A browser's preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here,
before any route; other answers get `Access-Control-Allow-Origin: *` when the request names an origin,
and `Vary: Origin` always (the header is there or not depending on it). The edge (`web/edge.py`)
applies both.
"""

from __future__ import annotations

from starlette.types import Message

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
EXPOSED_HEADERS = ("Retry-After", "Content-Type", "ETag", "X-Request-ID")
MAX_AGE_S = 86_400

SIMPLE_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode("latin-1")),
]
_PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
)


def preflight(method: bytes, headers: bytes | None, private_network: bool) -> tuple[Message, Message]:
    """The answer to a preflight: 200 when the method is allowed (the requested headers are all
    allowed and echoed back), else 400 naming what is not; no private-network access."""
    failures = []
    if method.decode("latin-1") not in ALLOWED_METHODS:
        failures.append("method")
    if private_network:
        failures.append("private-network")
    raw = [
        (b"vary", _PREFLIGHT_VARY.encode()),
        (b"access-control-allow-origin", b"*"),
        (b"access-control-allow-methods", ", ".join(ALLOWED_METHODS).encode()),
        (b"access-control-max-age", str(MAX_AGE_S).encode()),
    ]
    if headers is not None:
        raw.append((b"access-control-allow-headers", headers))
    body = b"Disallowed CORS " + ", ".join(failures).encode() if failures else b"OK"
    raw += [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if failures:
        raw.append((b"cache-control", b"no-store"))  # as every error (web/caching.py)
    start = {"type": "http.response.start", "status": 400 if failures else 200, "headers": raw}
    return start, {"type": "http.response.body", "body": body, "more_body": False}
