"""`/mcp`: the MCP server (graph_service/mcp_server.py) over streamable HTTP, as a plain ASGI route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.types import Receive, Scope, Send


class McpEndpoint:
    """The streamable HTTP transport as an ASGI endpoint (stateless: each POST stands alone)."""

    def __init__(self, server: Server[Any, Any]) -> None:
        self.manager = StreamableHTTPSessionManager(server, json_response=True, stateless=True)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The session manager's task group, for the app's lifespan."""
        async with self.manager.run():
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.manager.handle_request(scope, receive, send)
