"""Build an Oxigraph store from the loaded files: one named graph per file, queried as a union."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph_service.loading import RDF_SUFFIXES

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "n3": ox.RdfFormat.N3}


def graph_iri(base_iri: str, path: Path) -> str:
    """The named graph holding one file's triples."""
    return f"{base_iri}graph/{path.stem}"


def build_store(files: tuple[Path, ...] | list[Path], base_iri: str) -> ox.Store:
    """An in-memory store with each file in its own named graph (parsed by Oxigraph, no network)."""
    store = ox.Store()
    for path in files:
        store.bulk_load(
            path=str(path),
            format=FORMATS[RDF_SUFFIXES[path.suffix]],
            to_graph=ox.NamedNode(graph_iri(base_iri, path)),
        )
    return store


Term = ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple


def select_rows(store: ox.Store, query: str, **kwargs: object) -> list[dict[str, Term]]:
    """Run a SELECT over the union of the graphs and return rows keyed by variable name."""
    result = store.query(query, use_default_graph_as_union=True, **kwargs)  # type: ignore[arg-type]
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("select_rows expects a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]
