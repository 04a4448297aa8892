"""A small, deterministic JSON-LD writer that uses the published context (flat @graph)."""

from __future__ import annotations

import json
from typing import Any

from graph_service.publishing.context import Context, compact
from graph_service.publishing.storegraph import GraphLike
from graph_service.publishing.terms import RDF_TYPE, datatype, iri, is_blank, is_literal, is_named, language

Node = Any  # an Oxigraph term, read through publishing/terms.py


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
    types: list[str] = []
    by_prop: dict[str, list[Node]] = {}
    for p, o in graph.predicate_objects(subject):
        if iri(p) == RDF_TYPE:
            types.append(compact(iri(o), prefixes))
        else:
            by_prop.setdefault(compact(iri(p), prefixes), []).append(o)
    if types:
        node["type"] = sorted(types)
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
        return all(language(v) for v in values)
    if coerced == "@id":
        return not any(is_literal(v) for v in values)
    if coerced is not None:
        return all(compact(datatype(v) or "", prefixes) == coerced for v in values)
    return True


def _values(values: list[Node], definition: dict[str, Any], prefixes: dict[str, str]) -> Any:
    if definition.get("@container") == "@language":
        out: dict[str, Any] = {}
        for v in values:
            tag = language(v)
            assert tag
            out.setdefault(tag, []).append(iri(v))
        return {lang: texts[0] if len(texts) == 1 else texts for lang, texts in out.items()}
    coerced = definition.get("@type")
    return [_value(v, coerced, prefixes) for v in values]


def _value(value: Node, coerced: str | None, prefixes: dict[str, str]) -> Any:
    if not is_literal(value):
        ref = _ref(value, prefixes)
        return ref if coerced == "@id" else {"@id": ref}
    text, tag, kind = iri(value), language(value), datatype(value)
    if coerced is not None and coerced != "@id":
        return text
    if tag:
        return {"@value": text, "@language": tag}
    if kind is None:
        return text
    return {"@value": text, "@type": compact(kind, prefixes)}


def _ref(node: Node, prefixes: dict[str, str]) -> str:
    if is_blank(node):
        return f"_:{iri(node)}"
    return compact(iri(node), prefixes) if is_named(node) else iri(node)


def _key(node: Node) -> tuple[int, str, str, str]:
    if is_named(node):
        return (0, iri(node), "", "")
    if is_blank(node):
        return (1, iri(node), "", "")
    return (2, iri(node), language(node) or "", datatype(node) or "")
