"""Trailing slashes under /api: `/api/labels/` is `/api/labels`, by a 308 that keeps method and body.

The router's opposite rule (a slash added when only the path with one matches, as
`/api/neighbourhood` against `/api/neighbourhood/{id:path}`) would send such a path back and
forth forever: under /api, that redirect is answered 404 instead."""

from __future__ import annotations

from starlette.datastructures import URL, Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.problems import not_found
from graph_service.web.errors import problem_response

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
        if not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        slash_added = False

        async def no_slash_added(message: Message) -> None:
            nonlocal slash_added
            if message["type"] == "http.response.start" and message["status"] in (301, 302, 307, 308):
                slash_added = URL(Headers(raw=message["headers"]).get("location", "")).path == path + "/"
            if not slash_added:
                await send(message)

        await self.app(scope, receive, no_slash_added)
        if slash_added:
            await problem_response(not_found(f"no resource at {path}; see /docs"))(scope, receive, send)


def _without_trailing_slashes(raw: bytes) -> bytes:
    """The raw path without its trailing `/` nor `%2F` (which the decoded path also ends with)."""
    while True:
        stripped = raw.rstrip(b"/")
        if stripped.lower().endswith(b"%2f"):
            stripped = stripped[:-3]
        if stripped == raw:
            return raw
        raw = stripped
