"""The baseline: a bare FastAPI route over pyoxigraph (no guard, no deadline, no worker process).

    KG_BENCH_PORT=… uvicorn bench.bare:app

It loads the same files into the same store as the service and answers `GET /sparql?query=` in
the event loop: SPARQL JSON for tables, Turtle for graphs.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import FastAPI
from fastapi.responses import Response

from graph_service.config import Settings
from graph_service.dataset.loading import discover_files, ontology_files
from graph_service.dataset.store import build_store

_settings = Settings()
_store, _ = build_store([*ontology_files(_settings), *discover_files([_settings.data_dir])], _settings.base_iri)

app = FastAPI()


@app.get("/sparql")
async def sparql(query: str) -> Response:
    """Evaluate and serialize in-process."""
    result = _store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return Response(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"", media_type="text/turtle")
    body = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
    return Response(body, media_type="application/sparql-results+json")
