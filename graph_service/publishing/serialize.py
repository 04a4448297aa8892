"""Serialize a graph in one of the RDF formats, with stable output."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.formats.representations import JSONLD, NTRIPLES, TURTLE, Representation
from graph_service.publishing.context import ALL_PREFIXES, Context, build_context
from graph_service.publishing.jsonld import to_jsonld
from graph_service.publishing.storegraph import GraphLike


def sorted_ntriples(graph: GraphLike) -> bytes:
    """N-Triples, one line per triple, sorted (byte order)."""
    text = ox.serialize(graph.ox_triples(), format=ox.RdfFormat.N_TRIPLES) or b""
    lines = sorted({line for line in text.split(b"\n") if line.strip()})
    return b"".join(line + b"\n" for line in lines)


def serialize(graph: GraphLike, fmt: Representation, context: Context | None = None, ntriples: bytes = b"") -> bytes:
    """`graph` in `fmt` (not HTML); JSON-LD uses `context`, built from the graph if not given. `ntriples`: the
    graph's `sorted_ntriples` when the caller has them already (the dumps: 6 s of CPU a format at 900,000
    triples)."""
    if fmt == JSONLD:
        return to_jsonld(graph, context if context is not None else build_context(graph))
    ntriples = ntriples or sorted_ntriples(graph)
    if fmt == NTRIPLES:
        return ntriples
    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    if fmt != TURTLE:
        return ox.serialize(triples, format=fmt.rdf, prefixes=ALL_PREFIXES) or b""
    used = {p: ns for p, ns in ALL_PREFIXES.items() if ns.encode() in ntriples}
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b""
    lines = body.split(b"\n")
    start = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    head = [f"@prefix {p}: <{ns}> .".encode() for p, ns in sorted(used.items())]
    return b"\n".join([*head, b"", *lines[start:]])
