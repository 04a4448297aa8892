"""HTTP caching at the edge: a strong ETag, Cache-Control, and 304 for a matching If-None-Match.

A successful GET gets `ETag` = a digest of the data version and of the representation sent (its
bytes, media type, language and encoding), so two replicas serving the same data send the same tag
for the same bytes, and `Cache-Control: public, max-age=KG_CACHE_MAX_AGE`. The tag is computed from
the body rather than from the request: answers holding blank nodes, whose labels each engine load
draws at random, would otherwise share a strong tag with different bytes. A route that knows its tag
(the dumps: the file's SHA-256) gives it with `given_etag`; a body streamed in several parts (SPARQL
answers over 1 MiB) is not held to be hashed and goes without a tag. Errors get `no-store`.

Revalidation does not run the route again: the tag sent for a request (its path, query string and
the values of the headers the answer varies on) is remembered from the second time that request is
answered (a request made once costs no memory; see `bounded.py`), bounded, and a later
`If-None-Match` naming it is answered 304 at once. The data does not change while served, so the
representation a tag names stays the one that request selects; an answer computed for today (a sheet
or CPV profile without `date`) is the exception: `for_today` keeps its tag from being remembered, as
`not_remembered` does for a SPARQL answer that may differ each time (NOW(), RAND(), UUID()...).
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.bounded import SeenBefore
from graph_service.formats.negotiation import entity_tags
from graph_service.web.deps import RUNTIME_KEY
from graph_service.web.request import LANGUAGE_KEY, VARY_KEY

GIVEN_ETAG_KEY = "graph_service.given-etag"
TODAY_KEY = "graph_service.for-today"
NO_STORE = "no-store"


def given_etag(request: Request) -> None:
    """Mark that the route sets the response's ETag itself (the middleware keeps it)."""
    request.scope[GIVEN_ETAG_KEY] = True


def for_today(request: Request) -> None:
    """Mark an answer computed for today's date: its tag is sent but not remembered (tomorrow's differs)."""
    request.scope[TODAY_KEY] = True


def not_remembered(request: Request) -> None:
    """Mark an answer that may differ the next time (a query calling NOW() or RAND()): its tag is sent
    but not remembered, so a later If-None-Match runs the query again."""
    request.scope[TODAY_KEY] = True


def strong_etag(version: str, body: bytes, content_type: str, language: str = "", encoding: str = "") -> str:
    """The strong entity tag of a representation of this data version."""
    digest = hashlib.sha256(f"{version}\0{content_type}\0{language}\0{encoding}\0".encode())
    digest.update(body)
    return f'"{digest.hexdigest()[:40]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison of If-None-Match with our tag (RFC 9110 §13.1.2); a malformed header never matches."""
    if if_none_match is None:
        return False
    tags = entity_tags(if_none_match)
    return tags is not None and ("*" in tags or etag.removeprefix("W/").strip('"') in tags)


class HttpCaching:
    """ASGI middleware: ETag, Cache-Control and 304 on GET (HEAD is turned into GET further out)."""

    def __init__(self, app: ASGIApp, *, max_age: int) -> None:
        self.app = app
        self.cache_control = f"public, max-age={max_age}"
        self.validators = Validators()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] != "GET":
            await self.app(scope, receive, _errors_not_stored(send))
            return
        if_none_match = next((v for n, v in scope["headers"] if n == b"if-none-match"), None)
        if if_none_match is not None and await self.validators.revalidate(scope, if_none_match, send):
            return
        start: Message | None = None
        parts: list[bytes] = []

        async def cached(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                status = message["status"]
                if status == 200 and scope.get(GIVEN_ETAG_KEY):  # the route gave its tag (given_etag)
                    etag = _given(message, self.cache_control)
                    if etag is not None:
                        self.validators.remember(scope, message)
                        if _not_modified(if_none_match, etag):
                            message = _as_not_modified(message)
                            start = {}  # what follows is dropped
                        await send(message)
                        return
                headers = MutableHeaders(scope=message)
                if status >= 400:
                    headers["Cache-Control"] = NO_STORE
                    if "etag" in headers:
                        del headers["etag"]
                    await send(message)
                elif status != 200 or NO_STORE in headers.get("cache-control", ""):
                    headers.setdefault("Cache-Control", self.cache_control)  # redirects, 304s
                    await send(message)
                else:
                    start = message
                return
            if start is None:  # passing through
                await send(message)
                return
            if not start:  # a 304 was sent: drop the body, but end the response (ASGI)
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if message.get("more_body", False) and not parts:  # streamed: sent as it comes, no tag
                headers = MutableHeaders(scope=start)
                headers.setdefault("Cache-Control", self.cache_control)
                if "etag" in headers:
                    del headers["etag"]
                await send(start)
                start = None
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send_tagged(scope, start, b"".join(parts), if_none_match, send)

        await self.app(scope, receive, cached)

    async def _send_tagged(
        self, scope: Scope, start: Message, body: bytes, if_none_match: bytes | None, send: Send
    ) -> None:
        headers = MutableHeaders(scope=start)
        version = getattr(getattr(scope["app"].state, RUNTIME_KEY, None), "version", "")
        etag = strong_etag(
            str(version),
            body,
            headers.get("content-type", ""),
            headers.get("content-language", "") or str(scope.get(LANGUAGE_KEY, "")),
            headers.get("content-encoding", ""),
        )
        headers["ETag"] = etag
        headers.setdefault("Cache-Control", self.cache_control)
        if "last-modified" in headers and not scope.get(GIVEN_ETAG_KEY):
            del headers["last-modified"]  # a file's modification time differs between replicas
        self.validators.remember(scope, start)
        if _not_modified(if_none_match, etag):
            await send(_as_not_modified(start))
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _not_modified(if_none_match: bytes | None, etag: str) -> bool:
    return if_none_match is not None and matches(if_none_match.decode("latin-1"), etag)


def _given(start: Message, cache_control: str) -> str | None:
    """The ETag a route gave its 200, Cache-Control added unless given; None if it gave no tag or
    said `no-store` (the general path then takes it)."""
    etag = None
    has_cache_control = False
    for name, value in start["headers"]:
        lowered = name.lower()
        if lowered == b"etag":
            etag = value.decode("latin-1")
        elif lowered == b"cache-control":
            if NO_STORE.encode() in value:
                return None
            has_cache_control = True
    if etag is not None and not has_cache_control:
        start["headers"] = [*start["headers"], (b"cache-control", cache_control.encode("latin-1"))]
    return etag


def _as_not_modified(start: Message) -> Message:
    """The 304 for a 200: same validators, Cache-Control and Vary, no body metadata."""
    headers = MutableHeaders(raw=list(start["headers"]))
    for name in ("content-length", "content-type", "content-encoding", "content-disposition"):
        if name in headers:
            del headers[name]
    return {"type": "http.response.start", "status": 304, "headers": headers.raw}


def _errors_not_stored(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] >= 400:
            MutableHeaders(scope=message)["Cache-Control"] = NO_STORE
        await send(message)

    return wrapped


class Validators:
    """The tags sent, by selecting request: (path, query string, values of the Vary headers)."""

    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        self._varies: dict[bytes, tuple[str, ...]] = {}  # resource -> the request headers it varies on
        self._tags: dict[bytes, tuple[str, list[tuple[bytes, bytes]], list[str], Any, Any]] = {}
        self._seen = SeenBefore()

    def remember(self, scope: Scope, start: Message) -> None:
        """Note the tag of a 200 about to be sent, with what a 304 for it must carry (not today's answers)."""
        if scope.get(TODAY_KEY):
            return
        if not self._seen.check_and_add((scope["path"], scope["query_string"])):
            return  # a request seen once is not worth the memory (nor the work below)
        headers = Headers(raw=start["headers"])
        consulted = list(scope.get(VARY_KEY) or ())
        names = {n.strip().lower() for n in headers.get("vary", "").split(",") if n.strip()}
        names.update(n.lower() for n in consulted)
        resource = _digest(scope["path"].encode(), scope["query_string"])
        varies = tuple(sorted(names))
        key = _digest(resource, *_values(scope, varies))
        known = self._tags.get(key)
        if known is not None and known[0] == headers["etag"] and self._varies.get(resource) == varies:
            return  # remembered already (a repeated request): nothing to rebuild
        if len(self._tags) >= self.max_entries:  # bounded: start again rather than grow
            self._tags.clear()
            self._varies.clear()
        self._varies[resource] = varies
        replay = _as_not_modified(start)["headers"]
        self._tags[key] = (headers["etag"], list(replay), consulted, scope.get(LANGUAGE_KEY), scope.get("route"))

    async def revalidate(self, scope: Scope, if_none_match: bytes, send: Send) -> bool:
        """Send 304 if If-None-Match names the tag this request was last answered with."""
        resource = _digest(scope["path"].encode(), scope["query_string"])
        names = self._varies.get(resource)
        if names is None:
            return False
        entry = self._tags.get(_digest(resource, *_values(scope, names)))
        if entry is None or not matches(if_none_match.decode("latin-1"), entry[0]):
            return False
        _, replay, consulted, language, route = entry
        recorded = scope.get(VARY_KEY)
        if recorded is not None:
            recorded.extend(h for h in consulted if h not in recorded)
        if language is not None:
            scope[LANGUAGE_KEY] = language
        if route is not None:
            scope["route"] = route
        await send({"type": "http.response.start", "status": 304, "headers": list(replay)})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return True


def _values(scope: Scope, names: tuple[str, ...]) -> list[bytes]:
    wanted = {n.encode("latin-1") for n in names}
    found: dict[bytes, list[bytes]] = {}
    for name, value in scope["headers"]:
        if name in wanted:
            found.setdefault(name, []).append(value)
    return [b",".join(found.get(n.encode("latin-1"), [b"\x00"])) for n in names]


def _digest(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(4, "big"))
        digest.update(part)
    return digest.digest()
