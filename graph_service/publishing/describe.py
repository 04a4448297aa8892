"""The description of one resource: its triples, blank-node closure, incoming links and names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph_service.prefixes import NAME_IRIS
from graph_service.publishing.storegraph import BuiltGraph, GraphLike, resource
from graph_service.publishing.terms import iri, is_blank, is_literal, is_named, language

Node = Any  # a term of the graph, read through publishing/terms.py
NAME_PROPERTIES = tuple(resource(i) for i in NAME_IRIS)


def is_mentioned(graph: GraphLike, node: Node) -> bool:
    """Whether `node` appears in the graph as subject or object."""
    return (node, None, None) in graph or (None, None, node) in graph


def closure(graph: GraphLike, node: Node, out: BuiltGraph) -> None:
    """Add the triples of `node`, following blank-node objects (concise bounded description)."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in graph.predicate_objects(current):
            out.add((current, p, o))
            if is_blank(o):
                todo.append(o)


def describe(graph: GraphLike, node: Node, names: GraphLike | None = None) -> BuiltGraph:
    """Outgoing triples (with blank-node closure), incoming triples, and names of the neighbours."""
    out = BuiltGraph()
    closure(graph, node, out)
    for s, p in graph.subject_predicates(node):
        out.add((s, p, node))
        if is_blank(s):
            closure(graph, s, out)
    add_names(names if names is not None else graph, _neighbours(out, node), out)
    return out


def describe_many(graph: GraphLike, subjects: Iterable[Node]) -> BuiltGraph:
    """The blank-node closure of several subjects (a whole ontology, a shapes document)."""
    out = BuiltGraph()
    for subject in subjects:
        closure(graph, subject, out)
    return out


def add_names(source: GraphLike, nodes: Iterable[Node], out: BuiltGraph) -> None:
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
            if is_literal(value):
                if language(value) == lang:
                    return iri(value)
                if fallback is None or language(value) == "en":
                    fallback = iri(value)
        if fallback is not None:
            return fallback
    return None


def _neighbours(description: BuiltGraph, focus: Node) -> set[Node]:
    found: set[Node] = set()
    for s, _p, o in description:
        for node in (s, o):
            if is_named(node) and node != focus:
                found.add(node)
    return found
