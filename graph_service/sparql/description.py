"""SPARQL 1.1 Service Description with VoID statistics, computed once from the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.bounded import BoundedCache
from graph_service.dataset.store import count
from graph_service.formats.representations import Representation
from graph_service.sparql.schema import Schema, compute_schema, schema_triples

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
VOID_EXT = "http://ldf.fi/void-ext#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS_NS = "http://www.w3.org/ns/formats/"
RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)


@dataclass(frozen=True)
class Statistics:
    """VoID figures of the union graph and of each named graph."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    properties: dict[str, int]
    classes: dict[str, int]
    graphs: dict[str, int] = field(default_factory=dict)
    schema: Schema = field(default_factory=dict)  # nested partitions (graph_service/sparql/schema.py)


def compute_statistics(store: ox.Store) -> Statistics:
    """Count triples, subjects, objects, classes and properties (once, at start-up)."""

    def grouped(query: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            key, n = row["k"], row["n"]
            if isinstance(key, ox.NamedNode) and isinstance(n, ox.Literal):
                out[key.value] = int(n.value)
        return out

    distinct = "SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }"
    return Statistics(
        triples=count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {distinct} }}"),
        entities=count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o FILTER isIRI(?s) }"),
        distinct_subjects=count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"),
        distinct_objects=count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"),
        properties=grouped(f"SELECT ?k (COUNT(*) AS ?n) {{ {{ {distinct} }} BIND(?p AS ?k) }} GROUP BY ?k"),
        classes=grouped("SELECT ?k (COUNT(DISTINCT ?s) AS ?n) { ?s a ?k } GROUP BY ?k"),
        graphs=grouped("SELECT ?k (COUNT(*) AS ?n) { GRAPH ?k { ?s ?p ?o } } GROUP BY ?k"),
        schema=compute_schema(store),
    )


class ServiceDescription:
    """The `sd:Service` document of an endpoint, serialized on demand and cached."""

    def __init__(
        self,
        stats: Statistics,
        version: str,
        prefixes: Mapping[str, str],
        examples: tuple[str, int] | None = None,
        schema: tuple[str, int] | None = None,
    ) -> None:
        self.stats = stats
        self.version = version
        self.examples = examples
        self.schema = schema
        used = ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "dcat", "anr")
        self.prefixes = {
            "sd": SD,
            "void": VOID,
            "void-ext": VOID_EXT,
            "formats": FORMATS_NS,
            **{p: ns for p, ns in prefixes.items() if p in used},
        }
        self._cache: BoundedCache[tuple[str, str], bytes] = BoundedCache(16)

    def render(self, endpoint: str, fmt: Representation) -> bytes:
        """The description of `endpoint` in `fmt` (an RDF format)."""
        key = (endpoint, fmt.name)
        return self._cache.get_or_build(
            key, lambda: ox.serialize(self.triples(endpoint), format=fmt.rdf, prefixes=self.prefixes) or b""
        )

    def triples(self, endpoint: str) -> list[ox.Triple]:
        """The description as triples."""
        out: list[ox.Triple] = []
        service = ox.NamedNode(endpoint)
        dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")

        def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
            out.append(ox.Triple(s, ox.NamedNode(p), o))

        def typed(s: ox.NamedNode | ox.BlankNode, *classes: str) -> None:
            for cls in classes:
                out.append(ox.Triple(s, RDF_TYPE, ox.NamedNode(cls)))

        def integer(n: int) -> ox.Literal:
            return ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))

        def named_graph(suffix: str, iri: str, size: int) -> None:
            """One of the dataset's named graphs: its name and size (blank nodes `named{suffix}`, `graph{suffix}`)."""
            named, graph = ox.BlankNode(f"named{suffix}"), ox.BlankNode(f"graph{suffix}")
            add(dataset, SD + "namedGraph", named)
            typed(named, SD + "NamedGraph")
            add(named, SD + "name", ox.NamedNode(iri))
            add(named, SD + "graph", graph)
            typed(graph, SD + "Graph", VOID + "Dataset")
            add(graph, VOID + "triples", integer(size))

        typed(service, SD + "Service")
        add(service, SD + "endpoint", service)
        add(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
        add(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
        for name in RESULT_FORMATS:
            add(service, SD + "resultFormat", ox.NamedNode(FORMATS_NS + name))
        add(service, SD + "defaultDataset", dataset)
        if self.examples is not None:  # example queries and prefixes, as SHACL (graph_service/named/published.py)
            iri, size = self.examples
            add(service, RDFS_SEE_ALSO, ox.NamedNode(iri))
            add(ox.NamedNode(iri), RDFS_LABEL, ox.Literal("Example queries and prefixes", language="en"))
            add(ox.NamedNode(iri), RDFS_LABEL, ox.Literal("Requêtes d'exemple et préfixes", language="fr"))
            named_graph("-examples", iri, size)
        if self.schema is not None:  # the nested partitions below, also queryable at the endpoint
            iri, size = self.schema
            add(ox.NamedNode(iri), RDFS_LABEL, ox.Literal("Schéma du graphe (VoID)", language="fr"))
            add(ox.NamedNode(iri), RDFS_LABEL, ox.Literal("Schema of the graph (VoID)", language="en"))
            named_graph("-schema", iri, size)
        typed(dataset, SD + "Dataset", VOID + "Dataset")
        add(dataset, VOID + "sparqlEndpoint", service)
        add(dataset, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(self.version))
        add(dataset, SD + "defaultGraph", default)
        typed(default, SD + "Graph", VOID + "Dataset")
        out.extend(statistics_triples(self.stats, default))
        for i, (iri, n) in enumerate(sorted(self.stats.graphs.items())):
            named_graph(str(i), iri, n)
        return out


def statistics_triples(stats: Statistics, node: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
    """The VoID statistics of `node`: its sizes, its class and property partitions (the one writer of
    them, for the service description and /void alike)."""
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    out = [
        ox.Triple(node, ox.NamedNode(VOID + prop), ox.Literal(str(value), datatype=integer))
        for prop, value in (
            ("triples", stats.triples),
            ("entities", stats.entities),
            ("distinctSubjects", stats.distinct_subjects),
            ("distinctObjects", stats.distinct_objects),
            ("classes", len(stats.classes)),
            ("properties", len(stats.properties)),
        )
    ]
    out.extend(schema_triples(stats.schema, node, stats.classes))
    for i, (prop, n) in enumerate(sorted(stats.properties.items())):
        part = ox.BlankNode(f"property{i}")
        out.append(ox.Triple(node, ox.NamedNode(VOID + "propertyPartition"), part))
        out.append(ox.Triple(part, ox.NamedNode(VOID + "property"), ox.NamedNode(prop)))
        out.append(ox.Triple(part, ox.NamedNode(VOID + "triples"), ox.Literal(str(n), datatype=integer)))
    return out
