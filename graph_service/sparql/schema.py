"""The graph's schema as nested VoID partitions, derived from the data, where query editors read it.

Class partitions hold property partitions (the properties the class's instances use, with their
triple counts), which hold the classes of the objects (`void:classPartition`) or the datatypes of
the literals (`void-ext:datatypePartition`), each with its count. SIB's SPARQL editor and
sparql-llm read this shape from the endpoint to complete and check queries. Two grouped queries,
run once per data version, from the same store as the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

VOID = "http://rdfs.org/ns/void#"
VOID_EXT = "http://ldf.fi/void-ext#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class PropertyUse:
    """One property of a class: its triples, and what its objects are (classes, datatypes)."""

    triples: int
    classes: dict[str, int] = field(default_factory=dict)
    datatypes: dict[str, int] = field(default_factory=dict)


# subject class → property → use
Schema = dict[str, dict[str, PropertyUse]]

_DISTINCT = "{ SELECT DISTINCT ?s ?c ?p ?o { ?s a ?c ; ?p ?o } }"
_PROPERTIES = f"SELECT ?c ?p (COUNT(*) AS ?n) {{ {_DISTINCT} }} GROUP BY ?c ?p"
_OBJECTS = f"""SELECT ?c ?p ?oc ?dt (COUNT(*) AS ?n) {{
  {_DISTINCT}
  OPTIONAL {{ ?o a ?oc }}
  BIND(IF(isLiteral(?o), DATATYPE(?o), ?unbound) AS ?dt)
}} GROUP BY ?c ?p ?oc ?dt"""


def _name(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def compute_schema(store: ox.Store) -> Schema:
    """Which properties each class's instances use, and the classes or datatypes of their objects."""
    schema: Schema = {}
    uses: dict[tuple[str, str], PropertyUse] = {}
    for row in store.query(_PROPERTIES, use_default_graph_as_union=True):  # type: ignore[union-attr]
        cls, prop, n = _name(row["c"]), _name(row["p"]), row["n"]
        if cls and prop and isinstance(n, ox.Literal):
            uses[cls, prop] = schema.setdefault(cls, {})[prop] = PropertyUse(int(n.value))
    for row in store.query(_OBJECTS, use_default_graph_as_union=True):  # type: ignore[union-attr]
        cls, prop, n = _name(row["c"]), _name(row["p"]), row["n"]
        use = uses.get((cls or "", prop or ""))
        if use is None or not isinstance(n, ox.Literal):
            continue
        if (oc := _name(row["oc"])) is not None:
            use.classes[oc] = int(n.value)
        elif (dt := _name(row["dt"])) is not None:
            use.datatypes[dt] = int(n.value)
    return schema


def schema_triples(
    schema: Schema,
    parent: ox.NamedNode | ox.BlankNode,
    class_counts: dict[str, int] | None = None,
    prefix: str = "",
) -> list[ox.Triple]:
    """`parent void:classPartition` … nested down to object classes and datatypes (blank nodes named
    `{prefix}class{i}`, `…-p{j}`, `…-c{k}`, `…-d{k}`, so that equal data gives equal documents)."""
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INTEGER)

    counts = class_counts or {}
    for i, cls in enumerate(sorted(set(schema) | set(counts))):
        part = ox.BlankNode(f"{prefix}class{i}")
        add(parent, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(cls))
        if cls in counts:
            add(part, VOID + "entities", integer(counts[cls]))
        for j, (prop, use) in enumerate(sorted(schema.get(cls, {}).items())):
            pp = ox.BlankNode(f"{prefix}class{i}-p{j}")
            add(part, VOID + "propertyPartition", pp)
            add(pp, VOID + "property", ox.NamedNode(prop))
            add(pp, VOID + "triples", integer(use.triples))
            for k, (oc, n) in enumerate(sorted(use.classes.items())):
                node = ox.BlankNode(f"{prefix}class{i}-p{j}-c{k}")
                add(pp, VOID + "classPartition", node)
                add(node, VOID + "class", ox.NamedNode(oc))
                add(node, VOID + "triples", integer(n))
            for k, (dt, n) in enumerate(sorted(use.datatypes.items())):
                node = ox.BlankNode(f"{prefix}class{i}-p{j}-d{k}")
                add(pp, VOID_EXT + "datatypePartition", node)
                add(node, VOID_EXT + "datatype", ox.NamedNode(dt))
                add(node, VOID + "triples", integer(n))
    return out


def schema_graph(base_iri: str) -> str:
    """The named graph the workers serve the schema in (beside the examples, outside the data's counts)."""
    return base_iri + "graph/schema"


def schema_quads(schema: Schema, class_counts: dict[str, int], base_iri: str) -> list[ox.Quad]:
    """The schema graph: `<graph/schema>`, whose class partitions nest the rest. Nothing in it has an
    rdf:type, so that queries over the instances of the union graph (`?s a ?type`) never meet it."""
    graph = ox.NamedNode(schema_graph(base_iri))
    dataset = ox.NamedNode(schema_graph(base_iri))
    out: list[ox.Quad] = []
    out.append(ox.Quad(dataset, ox.NamedNode(VOID + "sparqlEndpoint"), ox.NamedNode(base_iri + "sparql"), graph))
    out += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in schema_triples(schema, dataset, class_counts)]
    return out
