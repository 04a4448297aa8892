"""`/mcp`: the MCP server (graph_service/mcp_server.py) over streamable HTTP, as a plain ASGI route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send


class McpEndpoint:
    """The streamable HTTP transport as an ASGI endpoint (stateless: each POST stands alone)."""

    def __init__(self, server: Server[Any, Any]) -> None:
        self.server = server
        self.manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """A session manager and its task group for one run of the app's lifespan (the SDK's manager
        runs once only, and an app may be started again: tests, a server restarted in-process)."""
        self.manager = StreamableHTTPSessionManager(self.server, json_response=True, stateless=True)
        try:
            async with self.manager.run():
                yield
        finally:
            self.manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.manager is None:  # the lifespan has not started it (or has ended)
            response = PlainTextResponse("The MCP endpoint is not running.", status_code=503)
            await response(scope, receive, send)
            return
        await self.manager.handle_request(scope, receive, send)
