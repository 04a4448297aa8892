"""Trailing slashes under /api: `/api/labels/` is `/api/labels`, by a 308 that keeps method and body."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX = "/api/"


class TrailingSlashRedirect:
    """Answer 308 with `Location` = the path without its trailing slashes (the query string kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(PREFIX) and path.endswith("/") and path.rstrip("/") + "/" != PREFIX:
            location = _without_trailing_slashes(scope.get("raw_path") or path.encode())
            if scope.get("query_string"):
                location += b"?" + scope["query_string"]
            await send({"type": "http.response.start", "status": 308,
                        "headers": [(b"location", location), (b"content-length", b"0")]})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


def _without_trailing_slashes(raw: bytes) -> bytes:
    """The raw path without its trailing `/` nor `%2F` (which the decoded path also ends with)."""
    while True:
        stripped = raw.rstrip(b"/")
        if stripped.lower().endswith(b"%2f"):
            stripped = stripped[:-3]
        if stripped == raw:
            return raw
        raw = stripped
