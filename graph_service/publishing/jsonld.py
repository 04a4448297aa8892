"""A small, deterministic JSON-LD writer that uses the published context (flat @graph)."""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from graph_service.publishing.context import Context, compact
from graph_service.publishing.storegraph import GraphLike


def to_jsonld(graph: GraphLike, context: Context, context_ref: str | None = None) -> bytes:
    """`graph` as JSON-LD: the context inline (or a reference to it) and one node per subject."""
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and not v.startswith("@")}
    terms = _terms(context)
    nodes = [_node(graph, s, terms, prefixes) for s in sorted(set(graph.subjects()), key=_key)]
    doc = {"@context": context_ref or context, "@graph": nodes}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def _terms(context: Context) -> dict[str, tuple[str, dict[str, Any]]]:
    """Property IRI (as compact IRI) -> (term, definition)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for term, definition in context.items():
        if isinstance(definition, dict) and "@id" in definition:
            out[definition["@id"]] = (term, definition)
    return out


def _node(
    graph: GraphLike, subject: Node, terms: dict[str, tuple[str, dict[str, Any]]], prefixes: dict[str, str]
) -> dict[str, Any]:
    node: dict[str, Any] = {"id": _ref(subject, prefixes)}
    types = sorted(compact(str(t), prefixes) for t in graph.objects(subject, RDF.type))
    if types:
        node["type"] = types
    by_prop: dict[str, list[Node]] = {}
    for p, o in graph.predicate_objects(subject):
        if p != RDF.type:
            by_prop.setdefault(compact(str(p), prefixes), []).append(o)
    for curie in sorted(by_prop, key=lambda c: terms.get(c, (c, {}))[0]):
        values = sorted(by_prop[curie], key=_key)
        term, definition = terms.get(curie, (curie, {}))
        if not _fits(definition, values, prefixes):
            term, definition = curie, {}
        node[term] = _values(values, definition, prefixes)
    return node


def _fits(definition: dict[str, Any], values: list[Node], prefixes: dict[str, str]) -> bool:
    """Whether the term's coercion or container holds every value (else the compact IRI is the key)."""
    coerced = definition.get("@type")
    if definition.get("@container") == "@language":
        return all(isinstance(v, Literal) and v.language for v in values)
    if coerced == "@id":
        return not any(isinstance(v, Literal) for v in values)
    if coerced is not None:
        return all(
            isinstance(v, Literal)
            and not v.language
            and v.datatype is not None
            and compact(str(v.datatype), prefixes) == coerced
            for v in values
        )
    return True


def _values(values: list[Node], definition: dict[str, Any], prefixes: dict[str, str]) -> Any:
    if definition.get("@container") == "@language":
        out: dict[str, Any] = {}
        for v in values:
            assert isinstance(v, Literal) and v.language
            out.setdefault(v.language, []).append(str(v))
        return {lang: texts[0] if len(texts) == 1 else texts for lang, texts in out.items()}
    coerced = definition.get("@type")
    return [_value(v, coerced, prefixes) for v in values]


def _value(value: Node, coerced: str | None, prefixes: dict[str, str]) -> Any:
    if not isinstance(value, Literal):
        ref = _ref(value, prefixes)
        return ref if coerced == "@id" else {"@id": ref}
    if coerced is not None and coerced != "@id":
        return str(value)
    if value.language:
        return {"@value": str(value), "@language": value.language}
    if value.datatype is None or value.datatype == XSD.string:
        return str(value)
    return {"@value": str(value), "@type": compact(str(value.datatype), prefixes)}


def _ref(node: Node, prefixes: dict[str, str]) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return compact(str(node), prefixes) if isinstance(node, URIRef) else str(node)


def _key(node: Node) -> tuple[int, str, str, str]:
    if isinstance(node, URIRef):
        return (0, str(node), "", "")
    if isinstance(node, BNode):
        return (1, str(node), "", "")
    assert isinstance(node, Literal)
    return (2, str(node), node.language or "", str(node.datatype or ""))
