"""The served dataset: each file in its own named graph of an in-memory Oxigraph store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".n3": ox.RdfFormat.N3}


class DatasetError(Exception):
    """A file that cannot go into the store as its own graph."""


def graph_iri(base_iri: str, path: Path) -> str:
    """The named graph holding one file's triples."""
    return f"{base_iri}graph/{path.stem}"


def build_store(files: Sequence[Path], base_iri: str) -> tuple[ox.Store, dict[str, Path]]:
    """Load each file into its own named graph (parsed by Oxigraph, no network); graph IRI -> file."""
    store = ox.Store()
    graphs: dict[str, Path] = {}
    for path in files:
        iri = graph_iri(base_iri, path)
        if iri in graphs:
            raise DatasetError(f"{path} and {graphs[iri]} would share the graph <{iri}>; rename one")
        fmt = FORMATS.get(path.suffix)
        if fmt is None:
            raise DatasetError(f"{path}: unknown RDF file type {path.suffix!r}")
        try:
            store.load(path=path, format=fmt, to_graph=ox.NamedNode(iri))
        except SyntaxError as exc:
            raise DatasetError(f"{path}: {exc}") from exc
        graphs[iri] = path
    return store, graphs


ENGINE_FILE = "graph.nq"  # what `graph-service export` writes for a SPARQL engine to load


def dump_nquads(store: ox.Store) -> bytes:
    """The whole store as N-Quads, to hand to the query workers."""
    return store.dump(format=ox.RdfFormat.N_QUADS) or b""


def count(store: ox.Store, query: str) -> int:
    """The integer ?n of a one-row COUNT query over the union of all graphs."""
    for solution in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        value = solution["n"]
        return int(value.value) if isinstance(value, ox.Literal) else 0
    return 0
