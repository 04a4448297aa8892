"""A networkx projection of the RDF graph, built once at start-up, for paths and neighbourhoods.

Nodes are the IRI resources described in the data (they have a name: skos:prefLabel, eli:title
or rdfs:label). Not nodes: literals, ontology terms (`anr:` classes and properties), classes,
concept schemes, the dataset's DCAT description, anr:Coverage statements (collapsed, see below)
and IRIs the data only points at (web pages, EU authority tables it does not describe).

Edges are the triples between two nodes, subject -> object, keyed by predicate IRI, except:

- `anr:Coverage` nodes are collapsed: `?cov anr:coverageOf ?label ; anr:coveredCategory ?cat`
  becomes one edge `?label anr:coversCategory ?cat` ("covers"), keeping the statement's IRI
  and its `dcterms:source` on the edge;
- the scope rule's CPV route adds an `anr:appliesToCategory` edge from a décret n° 2021-254 row to
  each category whose CPV code is at or below one of the row's codes (`via_cpv` on the edge);
- skipped predicates (`SKIPPED`): rdf:type (to classes), dcterms:source (provenance, kept on
  edges instead), skos:inScheme / skos:topConceptOf / skos:hasTopConcept (scheme bookkeeping;
  the hierarchy is skos:broader), schema:url, rdfs:seeAlso, owl:sameAs (links to web pages and
  external copies), and RDFS/OWL axioms.

So the edge predicates are those of the data between resources: skos:broader, anr:labelKind,
anr:issuer, anr:levelOf, anr:themeOf, anr:hasEfficiencyThreshold, anr:attests, anr:coversCategory,
anr:appliesToFamily, anr:appliesToCategory, anr:role, anr:dimension, anr:legalBasis,
anr:cpvCode, anr:hasRequirementBand, eli:is_part_of, eli:type_document, eli:based_on,
eli:amends, dcterms:creator, dcterms:contributor, dcterms:publisher, dcterms:spatial,
schema:parentOrganization, schema:memberOf... (whatever the data holds, minus the above).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from graph_service.domain.index import ResourceIndex, short_id
from graph_service.domain.readmodel import ReadModel
from graph_service.prefixes import PREFIXES

P = PREFIXES
COVERS = P["anr"] + "coversCategory"
APPLIES = P["anr"] + "appliesToCategory"
COVERAGE = P["anr"] + "Coverage"
SKIPPED = {
    P["rdf"] + "type",
    P["dcterms"] + "source",
    P["skos"] + "inScheme",
    P["skos"] + "topConceptOf",
    P["skos"] + "hasTopConcept",
    P["schema"] + "url",
    P["rdfs"] + "seeAlso",
    P["owl"] + "sameAs",
    P["rdfs"] + "subClassOf",
    P["rdfs"] + "subPropertyOf",
    P["rdfs"] + "domain",
    P["rdfs"] + "range",
    P["owl"] + "inverseOf",
    P["anr"] + "coverageOf",
    P["anr"] + "coveredCategory",
}
NOT_NODES = {
    COVERAGE,
    P["skos"] + "ConceptScheme",
    P["dcat"] + "Dataset",
    P["dcat"] + "Catalog",
    P["dcat"] + "Distribution",
    P["owl"] + "Ontology",
    P["owl"] + "Class",
    P["rdf"] + "Property",
    P["owl"] + "ObjectProperty",
    P["owl"] + "DatatypeProperty",
    P["rdfs"] + "Class",
}
# The vocabularies the graph uses: their terms are named (the ontology's labels, and
# ontology/reused-terms.ttl for the reused ones) but are never nodes.
VOCABULARIES = (
    *(
        P[k]
        for k in (
            "anr",
            "eli",
            "schema",
            "skos",
            "dcterms",
            "dcat",
            "prov",
            "rdf",
            "rdfs",
            "owl",
            "xsd",
            "sh",
            "void",
            "sd",
        )
    ),
    "http://xmlns.com/foaf/0.1/",
    "http://purl.org/vocab/vann/",
)


@dataclass
class Projection:
    """The directed multigraph (one edge per triple), its undirected view, predicate labels."""

    graph: nx.MultiDiGraph
    undirected: nx.Graph
    predicate_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def predicate_label(self, iri: str, lang: str) -> str:
        """The predicate's label in `lang` (its local name if it has none)."""
        labels = self.predicate_labels.get(iri, {})
        return labels.get(lang) or labels.get("en") or short_id(iri)

    def edge_predicates(self) -> list[str]:
        """The distinct predicates of the edges."""
        return sorted({k for _, _, k in self.graph.edges(keys=True)})


def is_node(index: ResourceIndex, iri: str) -> bool:
    """Whether a resource becomes a node of the projection."""
    res = index.get(iri)
    if res is None or not res.names or iri.startswith(VOCABULARIES):
        return False
    return not (res.types & NOT_NODES)


def build_projection(read: ReadModel) -> Projection:
    """Project the read model's triples and coverage statements onto a MultiDiGraph (see the module docstring)."""
    index = read.index
    graph = nx.MultiDiGraph()
    for iri in index.by_iri:
        if is_node(index, iri):
            graph.add_node(iri)
    for s, p, o in sorted(read.links()):
        if p not in SKIPPED and s != o and s in graph and o in graph:
            graph.add_edge(s, o, key=p, sources=[])
    # the scope rule's CPV route (domain/scope.py): a row reaches the categories under its codes; the
    # edge says so, with the code it goes through, since no triple links them directly
    for category in read.scope.categories:
        for resource, links in sorted(read.scope.for_category(category).items()):
            vias = [link.via for link in links if link.route == "cpv"]
            if vias and resource in graph and category in graph and not graph.has_edge(resource, category, APPLIES):
                graph.add_edge(resource, category, key=APPLIES, sources=[], via_cpv=vias)
    for (label, category), (coverage, sources) in sorted(read.coverage_statements().items()):
        if label in graph and category in graph:
            graph.add_edge(label, category, key=COVERS, sources=list(sources), coverage=coverage)
    labels: dict[str, dict[str, str]] = {}
    for pred in {k for _, _, k in graph.edges(keys=True)}:
        res = index.get(pred)
        if res and res.names:
            labels[pred] = {lang: res.name(lang) for lang in ("fr", "en")}
    return Projection(graph=graph, undirected=undirected_view(graph), predicate_labels=labels)


def undirected_view(graph: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph; each edge lists the triples (s, p, o) it stands for."""
    view = nx.Graph()
    view.add_nodes_from(graph.nodes)
    for s, o, p in sorted(graph.edges(keys=True)):
        if view.has_edge(s, o):
            view.edges[s, o]["triples"].append((s, p, o))
        else:
            view.add_edge(s, o, triples=[(s, p, o)])
    return view
