"""The DCAT-AP catalogue of the dataset (dumps + SPARQL service) and its VoID description."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, SKOS, XSD

from graph_service.publishing.describe import add_names, closure
from graph_service.publishing.dumps import Dumps
from graph_service.publishing.iris import Site
from graph_service.publishing.serialize import new_graph

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
EU_LICENCE = URIRef(EU + "licence/ETALAB-2_0")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
THEME_NAMES = {
    "ENVI": ("Environnement", "Environment"),
    "GOVE": ("Gouvernement et secteur public", "Government and public sector"),
    "TECH": ("Science et technologie", "Science and technology"),
}
FILE_TYPES = {
    "graph.ttl": ("RDF_TURTLE", "Turtle"),
    "graph.nt": ("RDF_N_TRIPLES", "N-Triples"),
    "graph.jsonld": ("JSON_LD", "JSON-LD"),
}


@dataclass(frozen=True)
class DatasetFacts:
    """What the catalogue needs from the data: the dataset node, version and dates."""

    node: URIRef
    version: str
    modified: date | None
    temporal: tuple[date, date] | None


def find_dataset(graph: Graph, fallback: URIRef) -> URIRef:
    """The dcat:Dataset described in the data (data/dataset.ttl); `fallback` if there is none."""
    found = sorted(s for s in graph.subjects(RDF.type, DCAT.Dataset) if isinstance(s, URIRef))
    return found[0] if found else fallback


def temporal_coverage(graph: Graph) -> tuple[date, date] | None:
    """Earliest and latest xsd:date of the data (the dataset's own dates left out)."""
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    dates = sorted(
        o.toPython()
        for s, _p, o in graph
        if isinstance(o, Literal) and o.datatype == XSD.date and s not in datasets
        and isinstance(o.toPython(), date)
    )
    return (dates[0], dates[-1]) if dates else None


def catalog_graph(graph: Graph, facts: DatasetFacts, dumps: Dumps, site: Site, contact: str) -> Graph:
    """The DCAT catalogue: catalogue, dataset, one distribution per dump, the SPARQL service."""
    out = new_graph()
    base = site.base_iri
    catalog, dataset = URIRef(base + "catalog"), facts.node
    closure(graph, dataset, out)
    for agent in graph.objects(dataset, DCTERMS.publisher):
        closure(graph, agent, out)
    for source in graph.objects(dataset, DCTERMS.source):
        closure(graph, source, out)
        add_names(graph, graph.objects(source, DCTERMS.publisher), out)
    add_names(graph, graph.objects(dataset, DCTERMS.spatial), out)
    _catalog(out, graph, catalog, dataset, site)
    _dataset_extras(out, facts, site, contact)
    for dump, _fmt in dumps.graph_dumps():
        _dump_distribution(out, dataset, dump.name, dump.media_type, dump.size, dump.sha256, facts, site)
    _sparql(out, catalog, dataset, site)
    _licence_and_themes(out)
    return out


def _catalog(out: Graph, graph: Graph, catalog: URIRef, dataset: URIRef, site: Site) -> None:
    out.add((catalog, RDF.type, DCAT.Catalog))
    out.add((catalog, DCTERMS.title, Literal("Catalogue du graphe des achats numériques responsables", lang="fr")))
    out.add((catalog, DCTERMS.title, Literal("Responsible digital procurement graph catalogue", lang="en")))
    out.add((catalog, DCTERMS.description, Literal(
        "Catalogue DCAT du graphe de connaissances des achats numériques responsables : ses exports "
        "(Turtle, N-Triples, JSON-LD) et son point d'accès SPARQL.", lang="fr")))
    out.add((catalog, DCTERMS.description, Literal(
        "DCAT catalogue of the responsible digital procurement knowledge graph: its dumps "
        "(Turtle, N-Triples, JSON-LD) and its SPARQL endpoint.", lang="en")))
    out.add((catalog, DCAT.dataset, dataset))
    out.add((catalog, FOAF.homepage, URIRef(site.url("/catalog"))))
    out.add((catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    for prop in (DCTERMS.publisher, DCTERMS.license, DCTERMS.language, DCTERMS.spatial,
                 DCTERMS.issued, DCTERMS.modified):
        for value in graph.objects(dataset, prop):
            out.add((catalog, prop, value))


def _dataset_extras(out: Graph, facts: DatasetFacts, site: Site, contact: str) -> None:
    dataset = facts.node
    out.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    out.add((dataset, DCAT.landingPage, URIRef(site.href(str(dataset)))))
    point = URIRef(site.base_iri + "catalog#contact-point")
    out.add((dataset, DCAT.contactPoint, point))
    out.add((point, RDF.type, VCARD.Kind))
    out.add((point, RDF.type, VCARD.Organization))
    out.add((point, VCARD.fn, Literal("Graphe des achats numériques responsables")))
    out.add((point, VCARD.hasEmail, URIRef("mailto:" + contact)))
    if facts.temporal is not None:
        period = BNode("temporal")
        out.add((dataset, DCTERMS.temporal, period))
        out.add((period, RDF.type, DCTERMS.PeriodOfTime))
        out.add((period, DCAT.startDate, Literal(facts.temporal[0].isoformat(), datatype=XSD.date)))
        out.add((period, DCAT.endDate, Literal(facts.temporal[1].isoformat(), datatype=XSD.date)))


def _dump_distribution(
    out: Graph, dataset: URIRef, name: str, media_type: str, size: int, sha256: str,
    facts: DatasetFacts, site: Site,
) -> None:
    file_type, label = FILE_TYPES[name]
    dist = URIRef(site.base_iri + "catalog#dump-" + name.replace(".", "-"))
    url = URIRef(site.url("/dumps/" + name))
    out.add((dataset, DCAT.distribution, dist))
    out.add((dist, RDF.type, DCAT.Distribution))
    out.add((dist, DCTERMS.title, Literal(f"Export complet du graphe ({label})", lang="fr")))
    out.add((dist, DCTERMS.title, Literal(f"Full graph dump ({label})", lang="en")))
    out.add((dist, DCTERMS.description, Literal(
        f"Tout le graphe (ontologie et données), version {facts.version}, au format {label}.", lang="fr")))
    out.add((dist, DCTERMS.description, Literal(
        f"The whole graph (ontology and data), version {facts.version}, as {label}.", lang="en")))
    out.add((dist, DCAT.accessURL, url))
    out.add((dist, DCAT.downloadURL, url))
    out.add((dist, DCAT.mediaType, URIRef(IANA + media_type.split(";")[0])))
    out.add((dist, DCTERMS.format, URIRef(EU + "file-type/" + file_type)))
    out.add((dist, DCAT.byteSize, Literal(str(size), datatype=XSD.nonNegativeInteger)))
    out.add((dist, DCTERMS.license, LICENCE))
    if facts.modified is not None:
        out.add((dist, DCTERMS.modified, Literal(facts.modified.isoformat(), datatype=XSD.date)))
    checksum = BNode("checksum-" + name.replace(".", "-"))
    out.add((dist, SPDX.checksum, checksum))
    out.add((checksum, RDF.type, SPDX.Checksum))
    out.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    out.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def _sparql(out: Graph, catalog: URIRef, dataset: URIRef, site: Site) -> None:
    service = URIRef(site.base_iri + "catalog#sparql-service")
    dist = URIRef(site.base_iri + "catalog#sparql-endpoint")
    endpoint = URIRef(site.url("/sparql"))
    out.add((catalog, DCAT.service, service))
    out.add((service, RDF.type, DCAT.DataService))
    out.add((service, DCTERMS.title, Literal("Point d'accès SPARQL du graphe", lang="fr")))
    out.add((service, DCTERMS.title, Literal("SPARQL endpoint of the graph", lang="en")))
    out.add((service, DCTERMS.description, Literal(
        "Requêtes SPARQL 1.1 en lecture seule sur tout le graphe ; GET renvoie la description du service.",
        lang="fr")))
    out.add((service, DCTERMS.description, Literal(
        "Read-only SPARQL 1.1 queries over the whole graph; GET returns the service description.",
        lang="en")))
    out.add((service, DCAT.endpointURL, endpoint))
    out.add((service, DCAT.endpointDescription, endpoint))
    out.add((service, DCAT.servesDataset, dataset))
    out.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    out.add((service, DCTERMS.license, LICENCE))
    out.add((dataset, DCAT.distribution, dist))
    out.add((dist, RDF.type, DCAT.Distribution))
    out.add((dist, DCTERMS.title, Literal("Point d'accès SPARQL", lang="fr")))
    out.add((dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    out.add((dist, DCTERMS.description, Literal(
        "Interroger le graphe en SPARQL 1.1 (résultats JSON, XML, CSV, TSV ; graphes en Turtle, "
        "N-Triples, RDF/XML, JSON-LD).", lang="fr")))
    out.add((dist, DCTERMS.description, Literal(
        "Query the graph with SPARQL 1.1 (results as JSON, XML, CSV, TSV; graphs as Turtle, "
        "N-Triples, RDF/XML, JSON-LD).", lang="en")))
    out.add((dist, DCAT.accessURL, endpoint))
    out.add((dist, DCAT.accessService, service))
    out.add((dist, DCAT.mediaType, URIRef(IANA + "application/sparql-results+json")))
    out.add((dist, DCTERMS.format, URIRef(EU + "file-type/SPARQLQ")))
    out.add((dist, DCTERMS.license, LICENCE))
    out.add((dist, DCTERMS.conformsTo, SPARQL_PROTOCOL))


def _licence_and_themes(out: Graph) -> None:
    out.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    out.add((LICENCE, DCTERMS.title, Literal("Licence Ouverte / Open Licence version 2.0", lang="fr")))
    out.add((LICENCE, DCTERMS.identifier, Literal("etalab-2.0")))
    out.add((LICENCE, SKOS.exactMatch, EU_LICENCE))
    for code, (fr, en) in THEME_NAMES.items():
        theme = URIRef(EU + "data-theme/" + code)
        if (None, DCAT.theme, theme) in out:
            out.add((theme, SKOS.prefLabel, Literal(fr, lang="fr")))
            out.add((theme, SKOS.prefLabel, Literal(en, lang="en")))


def version_triples(out: Graph, node: URIRef, facts: DatasetFacts) -> None:
    """owl:versionInfo and dct:modified of the dataset on `node` (VoID, service descriptions)."""
    out.add((node, OWL.versionInfo, Literal(facts.version)))
    if facts.modified is not None:
        out.add((node, DCTERMS.modified, Literal(facts.modified.isoformat(), datatype=XSD.date)))
