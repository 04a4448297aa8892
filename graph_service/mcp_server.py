"""The MCP server: read-only tools and resources for assistants, over stdio (here) or HTTP (web/assistants.py).

One tool per named query (queries/*.rq; its `#+ param` header is the tool's input schema), run
through the SPARQL engine of /sparql (same guard, deadline, row and byte caps, admission), and tools
for label coverage, a category's sheet and search. Every result carries its sources, the data version
and the SPARQL it ran (null where the answer comes from the read model, as the JSON API's does).
The ontology, the shapes and the example queries are resources. No tool writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.lowlevel.helper_types import ReadResourceContents
from pydantic import AnyUrl

import graph_service
from graph_service.domain.ask import coverage_rows
from graph_service.domain.queries import check_values, make_resolver
from graph_service.formats.representations import SPARQL_JSON
from graph_service.named.binding import BindingError, bind
from graph_service.named.header import QuerySpec
from graph_service.named.published import bound_text
from graph_service.problems import ProblemError
from graph_service.runtime import Runtime
from graph_service.sparql.engine import QueryRequest, Wanted

TABLES_ONLY = Wanted(SPARQL_JSON, None, "the MCP tools' format (SPARQL JSON)")  # named queries answer tables

NAME = "achats-numeriques-responsables"
GUIDE = "https://www.numerique.gouv.fr/publications/guide-achats-numeriques-responsables/"
INTEGER = {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}
DECIMAL = {"decimal", "double", "float"}
PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "maxLength": 2000},
    "string": {"type": "string", "maxLength": 2000},
    "lang-string": {"type": "string", "maxLength": 2000},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}
READ_ONLY = types.ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True,
                                  openWorldHint=False)  # fmt: skip
LANG = {"type": "string", "enum": ["fr", "en"], "default": "fr", "description": "Language of the names"}


def tool_name(spec: QuerySpec) -> str:
    """A named query's tool: its name in snake case (`labels_for_category`)."""
    return spec.name.replace("-", "_")


def query_tool(spec: QuerySpec) -> types.Tool:
    """A named query as a tool; its parameters (typed, with their help and class) as the input schema."""
    properties: dict[str, Any] = {}
    for param in spec.params:
        schema = dict(PARAM_SCHEMAS.get(param.type, {"type": "string"}))
        if param.name == "lang":
            schema = {"type": "string", "enum": ["fr", "en"]}
        schema["description"] = param.help + (f" (a {param.cls}: short id or IRI)" if param.cls else "")
        if param.default is not None:
            schema["default"] = param.default
        properties[param.name] = schema
    required = [p.name for p in spec.params if p.required]
    description = spec.descriptions.get("en") or spec.titles["en"]
    if spec.examples:
        description += f" Example arguments: {json.dumps(spec.examples[0], ensure_ascii=False)}."
    return types.Tool(
        name=tool_name(spec), title=spec.titles["en"], description=description,
        inputSchema={"type": "object", "properties": properties, "required": required,
                     "additionalProperties": False},
        annotations=READ_ONLY,
    )  # fmt: skip


FIXED_TOOLS = [
    types.Tool(
        name="label_coverage",
        title="Label coverage by purchase category",
        description="Which labels the guide cites for which purchase categories (direct or through a broader "
        "category), with the guide pages that say so. Optionally for one label or one category.",
        inputSchema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "label": {"type": "string", "maxLength": 200, "description": "A label's short id (e.g. eu-ecolabel)"},
                "category": {"type": "string", "maxLength": 200, "description": "A category's short id (e.g. laptop)"},
                "lang": LANG,
            },
        },
        annotations=READ_ONLY,
    ),
    types.Tool(
        name="category_sheet",
        title="Procurement sheet of a purchase category",
        description="Everything a buyer needs for one purchase category on a date: labels, legal shares and "
        "obligations in force, clauses by role, CPV codes, with the guide pages they come from.",
        inputSchema={
            "type": "object",
            "additionalProperties": False,
            "required": ["category"],
            "properties": {
                "category": {"type": "string", "maxLength": 200, "description": "Short id or IRI (e.g. laptop)"},
                "date": {"type": "string", "format": "date", "description": "The date (default: today)"},
                "lang": LANG,
            },
        },
        annotations=READ_ONLY,
    ),
    types.Tool(
        name="search",
        title="Search the graph's names",
        description="Find categories, families, labels, criteria, legal texts and CPV codes by name, alt name "
        "or code; returns their short ids for the other tools.",
        inputSchema={
            "type": "object",
            "additionalProperties": False,
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "minLength": 1, "maxLength": 200},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                "lang": LANG,
            },
        },
        annotations=READ_ONLY,
    ),
]


def _cell(binding: dict[str, str] | None) -> Any:
    """A JSON scalar from a SPARQL JSON results binding (numbers and booleans native)."""
    if binding is None:
        return None
    value, kind = binding["value"], binding.get("datatype", "").rsplit("#", 1)[-1]
    try:
        if kind in INTEGER:
            return int(value)
        if kind in DECIMAL:
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value in ("true", "1")
    return value


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Assistant:
    """The tools and resources over one runtime (read-only; queries go through its engine)."""

    def __init__(self, runtime: Callable[[], Runtime]) -> None:
        self._runtime = runtime

    @property
    def runtime(self) -> Runtime:
        """The runtime (data, engine) of the service."""
        return self._runtime()

    def tools(self) -> list[types.Tool]:
        """Every tool: one per named query, then the fixed ones."""
        return [query_tool(spec) for spec in self.runtime.queries] + FIXED_TOOLS

    def _envelope(self, sparql: str | None, sources: list[str], **rest: Any) -> dict[str, Any]:
        return {**rest, "sources": sources, "data_version": self.runtime.version, "sparql": sparql}

    async def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """Run a tool; ValueError (shown to the assistant as the tool's error) on a refusal."""
        runtime = self.runtime
        spec = next((s for s in runtime.queries if tool_name(s) == name), None)
        if spec is not None:
            return await self.run_query(spec, arguments)
        lang = str(arguments.get("lang", "fr"))
        if name == "search":
            hits = runtime.finder.search(str(arguments["text"]), lang, int(arguments.get("limit", 10)))
            found = [{"kind": h.kind, "id": h.id, "iri": h.iri, "name": h.name, "code": h.code} for h in hits]
            return self._envelope(None, [GUIDE], hits=found)
        if name == "category_sheet":
            on = dt.date.fromisoformat(str(arguments["date"])) if "date" in arguments else dt.date.today()
            try:
                sheet = runtime.sheets.category(str(arguments["category"]), on, lang)
            except LookupError as exc:
                raise ValueError(f"{exc}; use the search tool to find a category's id") from None
            return self._envelope(None, sheet.sources or [GUIDE], sheet=_jsonable(sheet))
        if name == "label_coverage":
            return self.coverage(arguments.get("label"), arguments.get("category"), lang)
        raise ValueError(f"no tool {name!r}")

    def coverage(self, label: Any, category: Any, lang: str) -> dict[str, Any]:
        """The coverage statements (the same as /api/coverage), for one label or category."""
        try:
            rows, sources = coverage_rows(self.runtime.read, self.runtime.index,
                                          None if label is None else str(label),
                                          None if category is None else str(category), lang)  # fmt: skip
        except LookupError as exc:
            raise ValueError(f"{exc}; use the search tool to find its id") from None
        return self._envelope(None, sources, rows=rows)

    async def run_query(self, spec: QuerySpec, arguments: dict[str, Any]) -> dict[str, Any]:
        """Bind the arguments, run the bound text through the engine of /sparql, rows as JSON scalars."""
        runtime = self.runtime
        raw = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in arguments.items()}
        try:
            check_values(spec, raw)
            bindings = bind(spec, raw, make_resolver(runtime.index))
        except BindingError as exc:
            raise ValueError(str(exc)) from None
        text = bound_text(spec, bindings)
        try:
            answer = await runtime.engine.answer(QueryRequest(text, wanted=TABLES_ONLY))
        except ProblemError as exc:
            raise ValueError(f"{exc.title}: {exc.detail}") from None
        body = answer.body
        if answer.stream is not None:
            body = b"".join([chunk async for chunk in answer.stream])
        results = json.loads(body)
        if "boolean" in results:
            columns, rows = ["boolean"], [{"boolean": results["boolean"]}]
        else:
            columns = list(results["head"]["vars"])
            rows = [{c: _cell(b.get(c)) for c in columns} for b in results["results"]["bindings"]]
        cap = spec.max_rows or runtime.settings.max_rows
        sources = sorted({str(v) for row in rows for c, v in row.items() if c.startswith("source") and v})
        return self._envelope(text, sources or [GUIDE], query=spec.name, columns=columns, rows=rows[:cap],
                              truncated=len(rows) > cap)  # fmt: skip

    def resources(self) -> list[types.Resource]:
        """The ontology, the shapes and each example query."""
        out = [
            types.Resource(uri=AnyUrl("graph://ontology"), name="ontology", title="Ontology (OWL, Turtle)",
                           mimeType="text/turtle"),
            types.Resource(uri=AnyUrl("graph://shapes"), name="shapes", title="SHACL shapes (Turtle)",
                           mimeType="text/turtle"),
        ]  # fmt: skip
        for spec in self.runtime.queries:
            out.append(types.Resource(uri=AnyUrl(f"graph://queries/{spec.name}"), name=spec.name,
                                      title=spec.titles["en"], mimeType="application/sparql-query",
                                      description=spec.descriptions.get("en")))  # fmt: skip
        return out

    def read(self, uri: str) -> ReadResourceContents:
        """A resource's text; ValueError for an unknown one."""
        settings = self.runtime.settings
        if uri == "graph://ontology":
            files = sorted(p for p in settings.ontology_dir.glob("*.ttl") if p != settings.shapes_file)
            return ReadResourceContents("\n".join(p.read_text(encoding="utf-8") for p in files), "text/turtle")
        if uri == "graph://shapes":
            return ReadResourceContents(settings.shapes_file.read_text(encoding="utf-8"), "text/turtle")
        name = uri.removeprefix("graph://queries/")
        spec = self.runtime.queries.get(name)
        if spec is None or name == uri:
            raise ValueError(f"no resource {uri}")
        return ReadResourceContents(spec.text, "application/sparql-query")


def build_server(runtime: Callable[[], Runtime]) -> Server[Any, Any]:
    """The MCP server over a runtime (given lazily: the web app's is built by its lifespan)."""
    assistant = Assistant(runtime)
    server: Server[Any, Any] = Server(
        NAME,
        version=graph_service.__version__,
        instructions=(
            "Read-only access to the knowledge graph of the French State's guide to responsible digital "
            "procurement. Find ids with `search`, then use a named-query tool, `label_coverage` or "
            "`category_sheet`. Every result names its sources, the data version and the SPARQL it ran."
        ),
    )

    @server.list_tools()  # type: ignore[no-untyped-call,untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return assistant.tools()

    @server.call_tool()  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return await assistant.call(name, arguments)

    @server.list_resources()  # type: ignore[no-untyped-call,untyped-decorator]
    async def list_resources() -> list[types.Resource]:
        return assistant.resources()

    @server.read_resource()  # type: ignore[no-untyped-call,untyped-decorator]
    async def read_resource(uri: AnyUrl) -> list[ReadResourceContents]:
        return [assistant.read(str(uri))]

    return server


async def serve_stdio(runtime: Runtime) -> None:
    """Serve one client on stdin/stdout until it closes."""
    from mcp.server.stdio import stdio_server

    server = build_server(lambda: runtime)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
