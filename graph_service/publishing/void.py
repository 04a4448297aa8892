"""VoID description of the dataset, from the same statistics as the SPARQL service description."""

from __future__ import annotations

from typing import Any

from graph_service.prefixes import PREFIXES
from graph_service.publishing.catalog import FOAF, DatasetFacts, version_triples
from graph_service.publishing.context import ALL_PREFIXES, compact
from graph_service.publishing.describe import add_names
from graph_service.publishing.dumps import Dumps
from graph_service.publishing.iris import Site
from graph_service.publishing.storegraph import BuiltGraph, GraphLike, Vocabulary, literal, resource
from graph_service.publishing.terms import RDF_TYPE, iri, is_named
from graph_service.sparql.description import Statistics, statistics_triples

Node = Any  # a term of the graph, read through publishing/terms.py
TYPE = resource(RDF_TYPE)
VOID = Vocabulary(PREFIXES["void"])
TITLE = resource(PREFIXES["dcterms"] + "title")


def void_graph(graph: GraphLike, facts: DatasetFacts, stats: Statistics, dumps: Dumps, site: Site) -> BuiltGraph:
    """The dataset as a void:Dataset: sizes, partitions, vocabularies, endpoint, dumps, examples."""
    out = BuiltGraph()
    dataset = facts.node
    doc = resource(site.base_iri + "void")
    out.add((doc, TYPE, VOID.DatasetDescription))
    out.add((doc, TITLE, literal("Description VoID du graphe", lang="fr")))
    out.add((doc, TITLE, literal("VoID description of the graph", lang="en")))
    out.add((doc, FOAF.primaryTopic, dataset))
    out.add((dataset, TYPE, VOID.Dataset))
    add_names(graph, [dataset], out)
    version_triples(out, dataset, facts)
    out.add((dataset, VOID.uriSpace, literal(site.base_iri + "id/")))
    out.add((dataset, VOID.sparqlEndpoint, resource(site.url("/sparql"))))
    for dump, _fmt in dumps.graph_dumps():
        out.add((dataset, VOID.dataDump, resource(site.url("/dumps/" + dump.name))))
    for ns in vocabularies(stats):
        out.add((dataset, VOID.vocabulary, resource(ns)))
    for example in example_resources(graph, site):
        out.add((dataset, VOID.exampleResource, example))
    for t in statistics_triples(stats, dataset):  # sizes, partitions (nested too)
        out.add((t.subject, t.predicate, t.object))  # type: ignore[arg-type]  # no quoted triples
    return out


def vocabularies(stats: Statistics) -> list[str]:
    """Namespaces of the classes and properties in use (those the project has a prefix for)."""
    found = set()
    for term in (*stats.classes, *stats.properties):
        curie = compact(term, ALL_PREFIXES)
        if curie != term:
            found.add(ALL_PREFIXES[curie.split(":", 1)[0]])
    return sorted(found)


def example_resources(graph: GraphLike, site: Site) -> list[Node]:
    """One resource of the graph's own namespace per class it has instances of."""
    examples: dict[str, Node] = {}
    prefix = site.base_iri + "id/"
    for s, cls in sorted(graph.subject_objects(TYPE), key=lambda t: (iri(t[1]), iri(t[0]))):
        if is_named(s) and iri(s).startswith(prefix) and iri(cls) not in examples:
            examples[iri(cls)] = s
    return sorted(set(examples.values()), key=iri)
