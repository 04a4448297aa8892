"""Counts of what the graph holds, per class."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS


def class_counts(graph: Graph) -> list[tuple[str, int]]:
    """Number of instances of each class used in the data (ontology declarations left out)."""
    counts: dict[URIRef, int] = {}
    for _s, _p, cls in graph.triples((None, RDF.type, None)):
        if isinstance(cls, URIRef) and cls not in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology):
            counts[cls] = counts.get(cls, 0) + 1
    rows = [(_name(graph, cls), n) for cls, n in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _name(graph: Graph, cls: URIRef) -> str:
    qname = graph.namespace_manager.normalizeUri(cls)
    label = graph.value(cls, RDFS.label) or graph.value(cls, SKOS.prefLabel)
    for candidate in graph.objects(cls, RDFS.label):
        if isinstance(candidate, Literal) and candidate.language == "en":
            label = candidate
    return f"{qname} ({label})" if label else qname


def render_summary(graph: Graph) -> str:
    """A short table of the graph's size and its classes."""
    lines = [f"{len(graph)} triples", "instances per class:"]
    lines += [f"  {n:5d}  {name}" for name, n in class_counts(graph)]
    return "\n".join(lines)
