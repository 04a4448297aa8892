"""The web application: `create_app(settings)` builds it; the lifespan loads and validates the data."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

import graph_service
from graph_service.config import Settings
from graph_service.mcp_server import build_server
from graph_service.runtime import StartupRefusedError, start_runtime
from graph_service.web import (
    docs,
    dossier,
    graphs,
    health,
    metrics,
    page,
    pictures,
    public_pages,
    question,
    sheets,
    sparql,
    static,
)
from graph_service.web import linked_data as publishing_routes
from graph_service.web.access import Access, write_lines_to
from graph_service.web.api.router import api_router
from graph_service.web.assistants import McpEndpoint
from graph_service.web.caching import HttpCaching
from graph_service.web.costly import PAGES_KEY, PageAdmission
from graph_service.web.deps import RUNTIME_KEY
from graph_service.web.edge import Edge
from graph_service.web.errors import document_problems, install_error_handlers
from graph_service.web.head import HeadAsGet
from graph_service.web.metrics import Metrics
from graph_service.web.slashes import TrailingSlashRedirect

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("graph_service")


def operation_id(route: APIRoute) -> str:
    """An operation's id: its handler's name (unique: tests/api/test_openapi.py checks)."""
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application; nothing is loaded until its lifespan starts."""
    settings = settings or Settings()
    assistants = McpEndpoint(build_server(lambda: getattr(app.state, RUNTIME_KEY)))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            runtime = await start_runtime(settings)
        except StartupRefusedError as exc:
            app.state.startup_error = exc.report
            print(f"graph-service: refusing to start.\n{exc.report}", file=sys.stderr, flush=True)
            raise
        setattr(app.state, RUNTIME_KEY, runtime)
        log.info("ready: %d triples, data version %s, %.2f s", runtime.triples, runtime.version, runtime.startup_s)
        try:
            async with assistants.running():
                yield
        finally:
            await runtime.close()

    app = FastAPI(
        title="Responsible digital procurement: SPARQL service",
        version=graph_service.__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # short, stable operationIds for generated clients and portals: the handler's name
        # (`category_labels`), a named query's own name (`labels_for_category`), not FastAPI's path-long ones
        generate_unique_id_function=operation_id,
    )
    app.state.startup_error = None
    setattr(app.state, PAGES_KEY, PageAdmission(settings.page_workers, settings.page_queue))
    app.add_middleware(HttpCaching, max_age=settings.cache_max_age)
    app.add_middleware(HeadAsGet)
    app.add_middleware(TrailingSlashRedirect)
    app.state.metrics = Metrics(app.state)
    app.add_middleware(Edge, access=Access(app.state.metrics, app.router.routes))  # outermost
    install_error_handlers(app)
    document_problems(app)
    app.router.routes.append(sparql.ROUTE)  # first after /openapi.json: tried first
    # MCP over streamable HTTP (graph_service/mcp_server.py): an ASGI endpoint, like /sparql
    app.router.routes.append(Route("/mcp", assistants, methods=["GET", "POST", "DELETE"], include_in_schema=False))
    app.include_router(docs.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(page.router)
    app.include_router(pictures.router)
    app.include_router(sheets.router)
    app.include_router(public_pages.router)
    app.include_router(dossier.router)
    app.include_router(publishing_routes.router)
    app.include_router(graphs.router)
    app.include_router(question.router)
    app.include_router(api_router(settings))
    app.include_router(static.router)
    return app


class _HideRefusalTraceback(logging.Filter):
    """Drop uvicorn's traceback of a refused start-up: the report was already printed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "StartupRefusedError" not in record.getMessage()


def run_server(settings: Settings, fd: int | None = None) -> int:
    """Serve until interrupted (on the listening socket `fd` if given); 1 if the data is refused at start-up."""
    import uvicorn

    from graph_service.web.connections import quiet_logs

    app = create_app(settings)
    _configure_service_log()
    _configure_access_log(settings.access_log)
    config = server_config(app, settings, fd)
    server = uvicorn.Server(config)
    refusal_filter = _HideRefusalTraceback()
    logging.getLogger("uvicorn.error").addFilter(refusal_filter)
    quiet = quiet_logs()
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits with its own code when start-up fails
        if app.state.startup_error is None:
            raise
        del exc
    finally:
        logging.getLogger("uvicorn.error").removeFilter(refusal_filter)
        for name in ("uvicorn.error", "asyncio"):
            logging.getLogger(name).removeFilter(quiet)
        write_lines_to(None)  # the access-log lines of the last turn, if its loop closed first
    if app.state.startup_error is not None or not server.started:
        return 1
    return 0


def server_config(app: FastAPI, settings: Settings, fd: int | None = None) -> uvicorn.Config:
    """uvicorn's configuration (on the listening socket `fd` if given): connections bounded at the
    transport (`connections.py`)."""
    import uvicorn

    from graph_service.web.connections import connection_cap, guarded_protocol

    protocol = guarded_protocol(
        settings.head_timeout_s, connection_cap(settings.max_connections), settings.send_timeout_s
    )
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        fd=fd,
        access_log=False,
        log_level="info",
        lifespan="on",
        http=protocol,
        timeout_keep_alive=settings.keep_alive_s,
    )


def _configure_service_log() -> None:
    """The service's own messages at INFO and above on standard error (the start-up facts, such as the
    egress layers the workers proved); the access log keeps its own stream."""
    logger = logging.getLogger("graph_service")
    if not any(getattr(h, "_graph_service", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        handler._graph_service = True  # type: ignore[attr-defined]  # added once per process
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _configure_access_log(enabled: bool) -> None:
    """One JSON line per request on standard output (KG_ACCESS_LOG), nothing else there."""
    write_lines_to(sys.stdout if enabled else None)
    if not enabled:
        logging.getLogger("graph_service.access").setLevel(logging.WARNING)
