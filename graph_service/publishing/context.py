"""The published JSON-LD context: short terms, compact IRIs and language maps for the graph."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from graph_service.prefixes import PREFIXES
from graph_service.publishing.terms import RDF_TYPE, datatype, iri, is_literal, language

if TYPE_CHECKING:
    from graph_service.publishing.storegraph import GraphLike

EXTRA_PREFIXES = {
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "vann": "http://purl.org/vocab/vann/",
    "dcatap": "http://data.europa.eu/r5r/",
}
ALL_PREFIXES = {**PREFIXES, **EXTRA_PREFIXES}
Context = dict[str, Any]
NODE, LANG, STRING = "@id", "@language", "string"


def build_context(graph: GraphLike, prefixes: dict[str, str] | None = None) -> Context:
    """A context for `graph`: one term per property, typed from the values it takes."""
    prefixes = dict(ALL_PREFIXES if prefixes is None else prefixes)
    context: Context = {"id": "@id", "type": "@type", **dict(sorted(prefixes.items()))}
    kinds: dict[str, set[str]] = defaultdict(set)
    for _s, p, o in graph:
        if not is_literal(p) and iri(p) != RDF_TYPE:
            kinds[iri(p)].add(_kind(o))
    taken = set(context)
    for prop in sorted(kinds, key=lambda p: (_local(p), p)):
        curie = compact(prop, prefixes)
        term = _local(prop)
        if not term or term in taken or not term.isidentifier():
            term = curie.replace(":", "_")
        taken.add(term)
        context[term] = _definition(curie, kinds[prop], prefixes)
    return context


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """`prefix:local` for an IRI in one of the namespaces (longest match), else the IRI."""
    best = ""
    for prefix, ns in prefixes.items():
        local = iri[len(ns) :]
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and _safe_local(local):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


def context_document(context: Context) -> bytes:
    """The context as a stand-alone JSON-LD document (sorted, stable)."""
    return (json.dumps({"@context": context}, ensure_ascii=False, indent=2) + "\n").encode()


def _definition(curie: str, kinds: set[str], prefixes: dict[str, str]) -> Any:
    if kinds == {NODE}:
        return {"@id": curie, "@type": "@id", "@container": "@set"}
    if kinds == {LANG}:
        return {"@id": curie, "@container": "@language"}
    if len(kinds) == 1 and kinds != {STRING}:
        return {"@id": curie, "@type": compact(next(iter(kinds)), prefixes), "@container": "@set"}
    if kinds == {STRING}:
        return {"@id": curie, "@container": "@set"}
    return {"@id": curie, "@container": "@set"}


def _kind(node: object) -> str:
    if not is_literal(node):
        return NODE
    if language(node):
        return LANG
    return datatype(node) or STRING


def _local(prop: str) -> str:
    text = prop
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _safe_local(local: str) -> bool:
    return bool(local) and "/" not in local and "#" not in local and not local.startswith("//")
