"""Process-wide switches that keep rdflib from reaching the network (kept in one place)."""

from __future__ import annotations

import rdflib.plugins.sparql


def disable_rdflib_graph_loading() -> None:
    """Stop rdflib's SPARQL engine from fetching FROM <url> or reading file: IRIs."""
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
