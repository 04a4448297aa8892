"""Counts of what the graph holds, per class, asked of the store."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.namespaces import PREFIXES, sparql_prologue

ONTOLOGY_KINDS = ("owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty", "owl:Ontology")
CLASS_COUNTS = sparql_prologue() + """
SELECT ?class (COUNT(*) AS ?n) (SAMPLE(?fr) AS ?any) (SAMPLE(?en) AS ?english) WHERE {
  { SELECT DISTINCT ?s ?class WHERE { ?s rdf:type ?class . FILTER (isIRI(?class)
      && ?class NOT IN (""" + ", ".join(ONTOLOGY_KINDS) + """)) } }
  OPTIONAL { ?class rdfs:label|skos:prefLabel ?fr }
  OPTIONAL { ?class rdfs:label ?en . FILTER (lang(?en) = "en") }
} GROUP BY ?class"""
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def class_counts(store: ox.Store) -> list[tuple[str, int]]:
    """Number of instances of each class used in the data (ontology declarations left out)."""
    rows = []
    result = store.query(CLASS_COUNTS, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        cls, n = row["class"], row["n"]
        assert isinstance(cls, ox.NamedNode) and isinstance(n, ox.Literal)
        label = row["english"] or row["any"]
        name = _qname(cls.value)
        rows.append((f"{name} ({label.value})" if label is not None else name, int(n.value)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _qname(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def render_summary(store: ox.Store) -> str:
    """A short table of the graph's size and its classes."""
    result = store.query(TRIPLES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    total = next(iter(result))["n"]
    lines = [f"{total.value if total is not None else 0} triples", "instances per class:"]
    lines += [f"  {n:5d}  {name}" for name, n in class_counts(store)]
    return "\n".join(lines)
