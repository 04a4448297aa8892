"""Headers every response gets at the edge: Vary and Content-Language from the negotiation, nosniff, and on HTML pages a
Content-Security-Policy (no inline script or style, no framing) and a Referrer-Policy."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.web.request import LANGUAGE_KEY, VARY_KEY

# Pages load their script and stylesheet from /static; results go to /sparql on the same origin.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
REFERRER_POLICY = "strict-origin-when-cross-origin"


class EdgeHeaders:
    """ASGI middleware: Vary (the headers the route's negotiation read), nosniff, page policies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        consulted: list[str] = []
        scope[VARY_KEY] = consulted

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                vary = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
                vary += [h for h in consulted if h.lower() not in {v.lower() for v in vary}]
                if vary:
                    headers["Vary"] = ", ".join(vary)
                headers["X-Content-Type-Options"] = "nosniff"
                if LANGUAGE_KEY in scope and "content-language" not in headers:
                    headers["Content-Language"] = scope[LANGUAGE_KEY]
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
            await send(message)

        await self.app(scope, receive, with_headers)
