"""The named queries and prefixes as SHACL-SPARQL examples, the graph query editors read from an endpoint.

Each query becomes a `sh:SPARQLExecutable` (and `sh:SPARQLSelectExecutable`, …) with `rdfs:label`
and `rdfs:comment` in French and English and its text under `sh:select` / `sh:ask` /
`sh:construct` (`sh:describe` for DESCRIBE, as the SIB examples do), runnable as it stands: the
values of its first `#+ example` are bound by a `VALUES` block at the start of its WHERE clause.
The prefixes are `sh:declare` entries (`sh:prefix`, `sh:namespace`) of one `owl:Ontology` node.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from graph_service.named.binding import Term, bind
from graph_service.named.catalog import Catalog
from graph_service.named.header import QuerySpec

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "https://schema.org/"
XSD_ANYURI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
EXECUTABLE = {"select": "SPARQLSelectExecutable", "ask": "SPARQLAskExecutable",
              "construct": "SPARQLConstructExecutable"}  # fmt: skip
WHERE_RE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def examples_graph(base_iri: str) -> str:
    """The named graph that holds the examples (part of the default union graph)."""
    return base_iri + "graph/examples"


def runnable_text(spec: QuerySpec) -> str:
    """The query without its header, its first example's values bound by a VALUES block."""
    if not spec.examples:
        return bound_text(spec, {})
    return bound_text(spec, bind(spec, spec.examples[0]))


def bound_text(spec: QuerySpec, bindings: Mapping[str, Term]) -> str:
    """The query without its header, `bindings` given by a VALUES block at the start of its WHERE clause
    (the text an assistant is shown and the engine runs)."""
    body = "\n".join(spec.text.splitlines()[spec.header_lines :]).strip("\n") + "\n"
    match = WHERE_RE.search(body)
    if not bindings or match is None:
        return body
    names = sorted(bindings)
    row = " ".join(str(bindings[n]) for n in names)
    values = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    return body[: match.end()] + values + body[match.end() :]


def example_quads(catalog: Catalog, base_iri: str, prefixes: Mapping[str, str]) -> list[ox.Quad]:
    """The examples graph: one executable per named query, and the prefix declarations."""
    graph = ox.NamedNode(examples_graph(base_iri))
    endpoint = ox.NamedNode(base_iri + "sparql")
    ontology = ox.NamedNode(examples_graph(base_iri) + "#prefixes")
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        out.append(ox.Quad(s, ox.NamedNode(p), o, graph))

    add(ontology, RDF_TYPE, ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"))
    add(ontology, RDFS + "label", ox.Literal("Préfixes du point d'accès", language="fr"))
    add(ontology, RDFS + "label", ox.Literal("Prefixes of the endpoint", language="en"))
    for prefix, namespace in sorted(prefixes.items()):
        declaration = ox.BlankNode(f"prefix-{prefix}")
        add(ontology, SH + "declare", declaration)
        add(declaration, SH + "prefix", ox.Literal(prefix))
        add(declaration, SH + "namespace", ox.Literal(namespace, datatype=XSD_ANYURI))
    for spec in catalog:
        node = ox.NamedNode(f"{examples_graph(base_iri)}#{spec.name}")
        add(node, RDF_TYPE, ox.NamedNode(SH + "SPARQLExecutable"))
        if spec.returns in EXECUTABLE:
            add(node, RDF_TYPE, ox.NamedNode(SH + EXECUTABLE[spec.returns]))
        for lang, title in sorted(spec.titles.items()):
            add(node, RDFS + "label", ox.Literal(title, language=lang))
        for lang in ("fr", "en"):
            comment = spec.descriptions.get(lang) or spec.titles[lang]
            add(node, RDFS + "comment", ox.Literal(comment, language=lang))
        add(node, SH + spec.returns, ox.Literal(runnable_text(spec)))
        add(node, SH + "prefixes", ontology)
        add(node, SCHEMA + "target", endpoint)
        for tag in spec.tags:
            add(node, SCHEMA + "keywords", ox.Literal(tag))
    return out
