"""The MCP server, through the official SDK's own client: over streamable HTTP at /mcp, and over stdio."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from graph_service.runtime import Runtime


def over_http(client: TestClient, scenario: Any) -> Any:
    """Run `scenario(session)` against the app's /mcp, in the loop that runs the app's lifespan."""

    async def run() -> Any:
        transport = httpx.ASGITransport(app=client.app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
            streamable_http_client("http://testserver/mcp", http_client=http) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await scenario(session)

    assert client.portal is not None
    return client.portal.call(run)


def runtime_of(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def test_one_read_only_tool_per_named_query_typed_by_its_header(real_client: TestClient) -> None:
    async def scenario(session: ClientSession) -> Any:
        return (await session.list_tools()).tools

    tools = {t.name: t for t in over_http(real_client, scenario)}
    for spec in runtime_of(real_client).queries:
        tool = tools[spec.name.replace("-", "_")]
        assert set(tool.inputSchema["properties"]) == {p.name for p in spec.params}
        assert tool.inputSchema["required"] == [p.name for p in spec.params if p.required]
    assert {"label_coverage", "category_sheet", "search"} <= set(tools)
    assert tools["labels_for_category"].inputSchema["required"] == ["category"]
    assert all(t.annotations and t.annotations.readOnlyHint and not t.annotations.destructiveHint
               for t in tools.values())  # fmt: skip


def test_a_named_query_runs_through_the_engine_with_sources_version_and_sparql(real_client: TestClient) -> None:
    async def scenario(session: ClientSession) -> Any:
        return await session.call_tool("labels_for_category", {"category": "laptop", "lang": "fr"})

    result = over_http(real_client, scenario)
    assert not result.isError
    data = result.structuredContent
    assert data["rows"] and data["columns"][0] == "category"
    assert data["data_version"] == runtime_of(real_client).version
    assert "VALUES" in data["sparql"] and "laptop" in data["sparql"]
    assert data["sources"] and all(s.startswith("http") for s in data["sources"])
    assert json.loads(result.content[0].text) == data  # the same, as text for assistants without structure
    before = runtime_of(real_client).engine.cache.misses + runtime_of(real_client).engine.cache.hits
    over_http(real_client, scenario)
    assert runtime_of(real_client).engine.cache.misses + runtime_of(real_client).engine.cache.hits > before


def test_the_endpoints_limits_hold_for_the_tools(real_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The named-query tools go through the engine of /sparql: its length cap refuses them as it refuses
    /sparql (and its row cap, deadline and admission apply the same way)."""
    engine = runtime_of(real_client).engine
    monkeypatch.setattr(engine, "limits", dataclasses.replace(engine.limits, max_query_length=50))

    async def scenario(session: ClientSession) -> Any:
        return await session.call_tool("categories_for_label", {"label": "nordic-swan", "lang": "en"})

    result = over_http(real_client, scenario)
    assert result.isError and "Query too long" in result.content[0].text
    refused = real_client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1" + " " * 50})
    assert refused.status_code == 413


def test_a_bad_argument_is_the_tools_error_not_an_invention(real_client: TestClient) -> None:
    async def scenario(session: ClientSession) -> Any:
        return (
            await session.call_tool("labels_for_category", {"category": "no-such-thing"}),
            await session.call_tool("labels_for_category", {}),
            await session.call_tool("category_sheet", {"category": "no-such-thing"}),
        )

    for result in over_http(real_client, scenario):
        assert result.isError
        assert not result.structuredContent


@pytest.mark.parametrize(
    ("tool", "arguments", "key"),
    [
        ("search", {"text": "ordinateur portable"}, "hits"),
        ("category_sheet", {"category": "laptop", "date": "2026-01-01"}, "sheet"),
        ("label_coverage", {"category": "laptop"}, "rows"),
    ],
)
def test_the_fixed_tools_answer_with_their_sources(real_client: TestClient, tool: str, arguments: dict[str, Any],
                                                   key: str) -> None:  # fmt: skip
    async def scenario(session: ClientSession) -> Any:
        return await session.call_tool(tool, arguments)

    result = over_http(real_client, scenario)
    assert not result.isError, result.content
    data = result.structuredContent
    assert data[key] and data["sources"] and data["data_version"] == runtime_of(real_client).version
    assert "sparql" in data


def test_ontology_shapes_and_examples_are_resources(real_client: TestClient) -> None:
    async def scenario(session: ClientSession) -> Any:
        listed = (await session.list_resources()).resources
        shapes = await session.read_resource("graph://shapes")  # type: ignore[arg-type]
        query = await session.read_resource("graph://queries/labels-for-category")  # type: ignore[arg-type]
        return listed, shapes, query

    listed, shapes, query = over_http(real_client, scenario)
    uris = {str(r.uri) for r in listed}
    assert {"graph://ontology", "graph://shapes", "graph://queries/labels-for-category"} <= uris
    assert "sh:NodeShape" in shapes.contents[0].text
    assert "#+ param: ?category" in query.contents[0].text


@pytest.mark.slow  # a new process loads and validates the real data (10 s of CPU): `make test` runs it
def test_stdio_serves_the_same_tools() -> None:
    """`graph-service mcp`, started as an assistant starts it, answers a tool call on stdin/stdout."""
    import anyio

    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "import sys; from graph_service.cli import main; sys.exit(main(['mcp']))"],
    )

    async def run() -> Any:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            answer = await session.call_tool("type_1_ecolabels", {})
            return tools, answer

    tools, answer = anyio.run(run)
    assert "labels_for_category" in {t.name for t in tools}
    assert not answer.isError and answer.structuredContent["rows"]


def test_the_http_endpoint_survives_a_second_lifespan_of_the_same_app() -> None:
    """The SDK's session manager runs once per instance: the app makes one per lifespan, so an app
    started twice (schemathesis, a server restarted in-process) still answers on /mcp."""
    from graph_service.web.app import create_app
    from tests.helpers import base_settings

    # Its own app (the shared real_app() must stay started), on the service tests' small data set: the
    # session manager is the same whatever the data, and two starts of the real data cost half a minute.
    app = create_app(base_settings(workers=1))
    for _ in range(2):
        with TestClient(app) as client:
            listed = client.post(
                "/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                headers={"Accept": "application/json, text/event-stream"},
            )
            assert listed.status_code == 200, listed.text
            assert listed.json()["result"]["tools"]
