"""The description of one resource: its triples, blank-node closure, incoming links and names."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph_service.namespaces import NAME_PROPERTIES
from graph_service.publishing.storegraph import GraphLike, new_graph


def is_mentioned(graph: GraphLike, node: Node) -> bool:
    """Whether `node` appears in the graph as subject or object."""
    return (node, None, None) in graph or (None, None, node) in graph


def closure(graph: GraphLike, node: Node, out: Graph) -> None:
    """Add the triples of `node`, following blank-node objects (concise bounded description)."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in graph.predicate_objects(current):
            out.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def describe(graph: GraphLike, iri: URIRef, names: GraphLike | None = None) -> Graph:
    """Outgoing triples (with blank-node closure), incoming triples, and names of the neighbours."""
    out = new_graph()
    closure(graph, iri, out)
    for s, p in graph.subject_predicates(iri):
        out.add((s, p, iri))
        if isinstance(s, BNode):
            closure(graph, s, out)
    add_names(names if names is not None else graph, _neighbours(out, iri), out)
    return out


def describe_many(graph: GraphLike, subjects: Iterable[Node]) -> Graph:
    """The blank-node closure of several subjects (a whole ontology, a shapes document)."""
    out = new_graph()
    for subject in subjects:
        closure(graph, subject, out)
    return out


def add_names(source: GraphLike, nodes: Iterable[Node], out: Graph) -> None:
    """Copy the names (prefLabel, rdfs:label, foaf:name, title) of `nodes` into `out`."""
    for node in nodes:
        for prop in NAME_PROPERTIES[:2]:
            for value in source.objects(node, prop):
                out.add((node, prop, value))


def name(graph: GraphLike, node: Node, lang: str = "fr") -> str | None:
    """The node's name in `lang`, else in another language, else None."""
    fallback: str | None = None
    for prop in NAME_PROPERTIES:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                if value.language == lang:
                    return str(value)
                if fallback is None or value.language == "en":
                    fallback = str(value)
        if fallback is not None:
            return fallback
    return None


def _neighbours(description: Graph, focus: Node) -> set[Node]:
    found: set[Node] = set()
    for s, _p, o in description:
        for node in (s, o):
            if isinstance(node, URIRef) and node != focus:
                found.add(node)
    return found
