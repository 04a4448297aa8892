"""The DCAT-AP catalogue of the dataset (dumps + SPARQL service) and its VoID description."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph_service.prefixes import PREFIXES
from graph_service.publishing.describe import closure
from graph_service.publishing.dumps import Dumps
from graph_service.publishing.iris import Site
from graph_service.publishing.storegraph import BuiltGraph, GraphLike, Vocabulary, blank, literal, resource
from graph_service.publishing.terms import XSD as XSD_NS
from graph_service.publishing.terms import datatype, iri, is_named

Resource = Any  # a resource of a graph (an Oxigraph term: publishing/storegraph.py makes them)

FOAF = Vocabulary("http://xmlns.com/foaf/0.1/")
VCARD = Vocabulary("http://www.w3.org/2006/vcard/ns#")
SPDX = Vocabulary("http://spdx.org/rdf/terms#")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
LOCN = Vocabulary("http://www.w3.org/ns/locn#")
GSP = Vocabulary("http://www.opengis.net/ont/geosparql#")
DCATAP = Vocabulary("http://data.europa.eu/r5r/")
DCAT, DCTERMS, OWL = Vocabulary(PREFIXES["dcat"]), Vocabulary(PREFIXES["dcterms"]), Vocabulary(PREFIXES["owl"])
RDF, RDFS, SKOS = Vocabulary(PREFIXES["rdf"]), Vocabulary(PREFIXES["rdfs"]), Vocabulary(PREFIXES["skos"])
XSD = Vocabulary(XSD_NS)
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
ADMS_LICENCE_TYPES = resource("http://purl.org/adms/licencetype/1.0")
ADMS_PUBLISHER_TYPES = resource("http://purl.org/adms/publishertype/1.0")
LICENCE = resource("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
EU_LICENCE = resource(EU + "licence/ETALAB-2_0")
SPARQL_PROTOCOL = resource("https://www.w3.org/TR/sparql11-protocol/")
OPENAPI = resource("https://spec.openapis.org/oas/v3.1.0")
AVAILABLE = resource(EU + "planned-availability/AVAILABLE")
GUIDE_CONTACT = "numerique-responsable.dinum@modernisation.gouv.fr"  # the guide's team page gives it
GEOJSON = resource(IANA + "application/vnd.geo+json")  # the datatype data.gouv.fr's harvester reads
# Metropolitan France with Corsica (west, south, east, north), degrees WGS 84; the EU country table,
# like ISO 3166, gives the overseas regions codes of their own.
FRANCE_BBOX = (-5.15, 41.33, 9.56, 51.09)
THEME_NAMES = {
    "ENVI": ("Environnement", "Environment"),
    "GOVE": ("Gouvernement et secteur public", "Government and public sector"),
    "TECH": ("Science et technologie", "Science and technology"),
}
# EU authority tables: scheme, code -> (fr, en), and the DCAT-AP class of their values.
CONCEPTS: dict[str, tuple[Resource | None, dict[str, tuple[str, str]]]] = {
    "data-theme": (None, THEME_NAMES),
    "language": (DCTERMS.LinguisticSystem, {"FRA": ("français", "French"), "ENG": ("anglais", "English")}),
    "frequency": (DCTERMS.Frequency, {"IRREG": ("irrégulière", "irregular")}),
    "country": (DCTERMS.Location, {"FRA": ("France", "France")}),
    "planned-availability": (None, {"AVAILABLE": ("disponible", "available")}),
    "file-type": (
        DCTERMS.MediaTypeOrExtent,
        {
            "RDF_TURTLE": ("Turtle", "Turtle"),
            "RDF_N_TRIPLES": ("N-Triples", "N-Triples"),
            "JSON_LD": ("JSON-LD", "JSON-LD"),
            "SPARQLQ": ("requête SPARQL", "SPARQL query"),
            "HTML": ("HTML", "HTML"),
        },
    ),
}
PUBLISHER_TYPES = {
    "NationalAuthority": ("Autorité nationale", "National authority"),
    "NonProfitOrganisation": ("Organisation à but non lucratif", "Non-profit organisation"),
}
FILE_TYPES = {
    "graph.ttl": ("RDF_TURTLE", "Turtle"),
    "graph.nt": ("RDF_N_TRIPLES", "N-Triples"),
    "graph.jsonld": ("JSON_LD", "JSON-LD"),
}


@dataclass(frozen=True)
class DatasetFacts:
    """What the catalogue needs from the data: the dataset node, version and dates."""

    node: Resource
    version: str
    modified: date | None
    temporal: tuple[date, date] | None


def find_dataset(graph: GraphLike, fallback: Resource) -> Resource:
    """The dcat:Dataset described in the data (data/dataset.ttl); `fallback` if there is none."""
    found = sorted((s for s in graph.subjects(RDF.type, DCAT.Dataset) if is_named(s)), key=iri)
    return found[0] if found else fallback


def temporal_coverage(graph: GraphLike) -> tuple[date, date] | None:
    """Earliest and latest xsd:date of the data (the dataset's own dates left out)."""
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    dates = sorted(
        day
        for s, _p, o in graph
        if datatype(o) == XSD_NS + "date" and s not in datasets and (day := _date(iri(o))) is not None
    )
    return (dates[0], dates[-1]) if dates else None


def catalog_graph(graph: GraphLike, facts: DatasetFacts, dumps: Dumps, site: Site, contact: str) -> BuiltGraph:
    """The DCAT catalogue: catalogue, dataset, one distribution per dump, the SPARQL service."""
    out = BuiltGraph()
    base = site.base_iri
    catalog, dataset = resource(base + "catalog"), facts.node
    closure(graph, dataset, out)
    for agent in graph.objects(dataset, DCTERMS.publisher):
        closure(graph, agent, out)
    for guide in graph.objects(dataset, PROV.wasDerivedFrom):
        closure(graph, guide, out)
    # DCAT-AP: dct:source names a dataset; the guide (a web document) stays prov:wasDerivedFrom.
    out.remove((dataset, DCTERMS.source, None))
    _catalog(out, graph, catalog, dataset, site)
    point = _contact_point(out, resource(site.base_iri + "catalog#contact-point"),
                           "Graphe des achats numériques responsables", contact)  # fmt: skip
    _dataset_extras(out, facts, site, point)
    for dump, _fmt in dumps.graph_dumps():
        _dump_distribution(out, dataset, dump.name, dump.media_type, dump.size, dump.sha256, facts, site)
    _sparql(out, graph, catalog, dataset, site, point)
    _json_api(out, graph, catalog, dataset, site, point)
    _guide_dataset(out, graph, dataset, site)
    _describe_targets(out, graph)
    return out


def _catalog(out: BuiltGraph, graph: GraphLike, catalog: Resource, dataset: Resource, site: Site) -> None:
    out.add((catalog, RDF.type, DCAT.Catalog))
    out.add((catalog, DCTERMS.title, literal("Catalogue du graphe des achats numériques responsables", lang="fr")))
    out.add((catalog, DCTERMS.title, literal("Responsible digital procurement graph catalogue", lang="en")))
    out.add(
        (
            catalog,
            DCTERMS.description,
            literal(
                "Catalogue DCAT du graphe de connaissances des achats numériques responsables : ses exports "
                "(Turtle, N-Triples, JSON-LD) et son point d'accès SPARQL.",
                lang="fr",
            ),
        )
    )
    out.add(
        (
            catalog,
            DCTERMS.description,
            literal(
                "DCAT catalogue of the responsible digital procurement knowledge graph: its dumps "
                "(Turtle, N-Triples, JSON-LD) and its SPARQL endpoint.",
                lang="en",
            ),
        )
    )
    out.add((catalog, DCAT.dataset, dataset))
    out.add((catalog, FOAF.homepage, resource(site.url("/catalog"))))
    out.add((resource(site.url("/catalog")), RDF.type, FOAF.Document))
    out.add((catalog, DCAT.themeTaxonomy, resource(EU + "data-theme")))
    for prop in (
        DCTERMS.publisher,
        DCTERMS.license,
        DCTERMS.language,
        DCTERMS.spatial,
        DCTERMS.issued,
        DCTERMS.modified,
    ):
        for value in graph.objects(dataset, prop):
            out.add((catalog, prop, value))


def _contact_point(out: BuiltGraph, point: Resource, name: str, email: str) -> Resource:
    out.add((point, RDF.type, VCARD.Kind))
    out.add((point, RDF.type, VCARD.Organization))
    out.add((point, VCARD.fn, literal(name)))
    out.add((point, VCARD.hasEmail, resource("mailto:" + email)))
    return point


def _dataset_extras(out: BuiltGraph, facts: DatasetFacts, site: Site, point: Resource) -> None:
    dataset = facts.node
    out.add((dataset, DCTERMS.identifier, literal(iri(dataset))))
    landing = resource(site.href(iri(dataset)))
    out.add((dataset, DCAT.landingPage, landing))
    out.add((landing, RDF.type, FOAF.Document))
    out.add((dataset, DCAT.contactPoint, point))
    if facts.temporal is not None:
        period = blank("temporal")
        out.add((dataset, DCTERMS.temporal, period))
        out.add((period, RDF.type, DCTERMS.PeriodOfTime))
        out.add((period, DCAT.startDate, literal(facts.temporal[0].isoformat(), datatype=XSD.date)))
        out.add((period, DCAT.endDate, literal(facts.temporal[1].isoformat(), datatype=XSD.date)))


def _dump_distribution(
    out: BuiltGraph,
    dataset: Resource,
    name: str,
    media_type: str,
    size: int,
    sha256: str,
    facts: DatasetFacts,
    site: Site,
) -> None:
    file_type, label = FILE_TYPES[name]
    dist = resource(site.base_iri + "catalog#dump-" + name.replace(".", "-"))
    url = resource(site.url("/dumps/" + name))
    out.add((dataset, DCAT.distribution, dist))
    out.add((dist, RDF.type, DCAT.Distribution))
    out.add((dist, DCTERMS.title, literal(f"Export complet du graphe ({label})", lang="fr")))
    out.add((dist, DCTERMS.title, literal(f"Full graph dump ({label})", lang="en")))
    out.add(
        (
            dist,
            DCTERMS.description,
            literal(f"Tout le graphe (ontologie et données), version {facts.version}, au format {label}.", lang="fr"),
        )
    )
    out.add(
        (
            dist,
            DCTERMS.description,
            literal(f"The whole graph (ontology and data), version {facts.version}, as {label}.", lang="en"),
        )
    )
    out.add((dist, DCAT.accessURL, url))
    out.add((dist, DCAT.downloadURL, url))
    out.add((dist, DCAT.mediaType, resource(IANA + media_type.split(";")[0])))
    out.add((dist, DCTERMS.format, resource(EU + "file-type/" + file_type)))
    out.add((dist, DCAT.byteSize, literal(str(size), datatype=XSD.nonNegativeInteger)))
    out.add((dist, DCTERMS.license, LICENCE))
    out.add((dist, DCATAP.availability, AVAILABLE))
    if facts.modified is not None:
        out.add((dist, DCTERMS.modified, literal(facts.modified.isoformat(), datatype=XSD.date)))
    checksum = blank("checksum-" + name.replace(".", "-"))
    out.add((dist, SPDX.checksum, checksum))
    out.add((checksum, RDF.type, SPDX.Checksum))
    out.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    out.add((checksum, SPDX.checksumValue, literal(sha256, datatype=XSD.hexBinary)))


def _sparql(
    out: BuiltGraph, graph: GraphLike, catalog: Resource, dataset: Resource, site: Site, point: Resource
) -> None:
    service = resource(site.base_iri + "catalog#sparql-service")
    dist = resource(site.base_iri + "catalog#sparql-endpoint")
    endpoint = resource(site.url("/sparql"))
    out.add((catalog, DCAT.service, service))
    out.add((service, RDF.type, DCAT.DataService))
    out.add((service, DCTERMS.title, literal("Point d'accès SPARQL du graphe", lang="fr")))
    out.add((service, DCTERMS.title, literal("SPARQL endpoint of the graph", lang="en")))
    out.add(
        (
            service,
            DCTERMS.description,
            literal(
                "Requêtes SPARQL 1.1 en lecture seule sur tout le graphe ; GET renvoie la description du service.",
                lang="fr",
            ),
        )
    )
    out.add(
        (
            service,
            DCTERMS.description,
            literal(
                "Read-only SPARQL 1.1 queries over the whole graph; GET returns the service description.", lang="en"
            ),
        )
    )
    out.add((service, DCAT.endpointURL, endpoint))
    out.add((service, DCAT.endpointDescription, endpoint))
    out.add((service, DCAT.servesDataset, dataset))
    out.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    out.add((service, DCTERMS.license, LICENCE))
    out.add((service, DCAT.contactPoint, point))
    for prop in (DCTERMS.publisher, DCAT.theme, DCAT.keyword):
        for value in graph.objects(dataset, prop):
            out.add((service, prop, value))
    for keyword in (literal("SPARQL", lang="fr"), literal("SPARQL", lang="en")):
        out.add((service, DCAT.keyword, keyword))
    out.add((dataset, DCAT.distribution, dist))
    out.add((dist, RDF.type, DCAT.Distribution))
    out.add((dist, DCTERMS.title, literal("Point d'accès SPARQL", lang="fr")))
    out.add((dist, DCTERMS.title, literal("SPARQL endpoint", lang="en")))
    out.add(
        (
            dist,
            DCTERMS.description,
            literal(
                "Interroger le graphe en SPARQL 1.1 (résultats JSON, XML, CSV, TSV ; graphes en Turtle, "
                "N-Triples, RDF/XML, JSON-LD).",
                lang="fr",
            ),
        )
    )
    out.add(
        (
            dist,
            DCTERMS.description,
            literal(
                "Query the graph with SPARQL 1.1 (results as JSON, XML, CSV, TSV; graphs as Turtle, "
                "N-Triples, RDF/XML, JSON-LD).",
                lang="en",
            ),
        )
    )
    out.add((dist, DCAT.accessURL, endpoint))
    out.add((dist, DCAT.accessService, service))
    out.add((dist, DCAT.mediaType, resource(IANA + "application/sparql-results+json")))
    out.add((dist, DCTERMS.format, resource(EU + "file-type/SPARQLQ")))
    out.add((dist, DCTERMS.license, LICENCE))
    out.add((dist, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    out.add((dist, DCATAP.availability, AVAILABLE))


def _json_api(
    out: BuiltGraph, graph: GraphLike, catalog: Resource, dataset: Resource, site: Site, point: Resource
) -> None:
    """The JSON API as a second data service, described by its OpenAPI document (for API portals)."""
    service = resource(site.base_iri + "catalog#json-api")
    out.add((catalog, DCAT.service, service))
    out.add((service, RDF.type, DCAT.DataService))
    out.add((service, DCTERMS.title, literal("API JSON du graphe", lang="fr")))
    out.add((service, DCTERMS.title, literal("JSON API of the graph", lang="en")))
    out.add(
        (
            service,
            DCTERMS.description,
            literal(
                "API REST en lecture seule : labels, catégories d'achat, critères, textes juridiques, couverture, "
                "requêtes nommées ; JSON, CSV et XLSX.",
                lang="fr",
            ),
        )
    )
    out.add(
        (
            service,
            DCTERMS.description,
            literal(
                "Read-only REST API: labels, purchase categories, criteria, legal texts, coverage, named queries; "
                "JSON, CSV and XLSX.",
                lang="en",
            ),
        )
    )
    out.add((service, DCAT.endpointURL, resource(site.url("/api"))))
    out.add((service, DCAT.endpointDescription, resource(site.url("/openapi.json"))))
    out.add((service, DCAT.servesDataset, dataset))
    out.add((service, DCTERMS.conformsTo, OPENAPI))
    out.add((service, DCTERMS.license, LICENCE))
    out.add((service, DCAT.contactPoint, point))
    for prop in (DCTERMS.publisher, DCAT.theme, DCAT.keyword):
        for value in graph.objects(dataset, prop):
            out.add((service, prop, value))
    for keyword in (literal("API", lang="fr"), literal("API", lang="en")):
        out.add((service, DCAT.keyword, keyword))


def _guide_dataset(out: BuiltGraph, graph: GraphLike, dataset: Resource, site: Site) -> None:
    """The guide as a dcat:Dataset (the dct:source DCAT-AP expects), its web pages as distribution.

    Its dct:identifier is its web address: every dataset of the catalogue has one (data.gouv.fr's
    harvester skips datasets without), and that address is the guide's own, not one this service mints.
    """
    for page in graph.objects(dataset, PROV.wasDerivedFrom):
        if not is_named(page):
            continue
        guide = resource(site.base_iri + "catalog#guide")
        out.add((dataset, DCTERMS.source, guide))
        out.add((page, RDF.type, FOAF.Document))
        out.add((guide, RDF.type, DCAT.Dataset))
        for name in graph.objects(page, SKOS.prefLabel):
            out.add((guide, DCTERMS.title, name))
        out.add(
            (
                guide,
                DCTERMS.description,
                literal(
                    "Le guide pratique de l'État pour des achats numériques responsables, publié en pages web : "
                    "fiches par famille d'achat, labels, cadre juridique ; le graphe en est tiré.",
                    lang="fr",
                ),
            )
        )
        out.add(
            (
                guide,
                DCTERMS.description,
                literal(
                    "The French State's practical guide to responsible digital procurement, published as web "
                    "pages: sheets per purchase family, labels, legal context; the graph is drawn from it.",
                    lang="en",
                ),
            )
        )
        out.add((guide, DCAT.landingPage, page))
        out.add((guide, DCTERMS.identifier, literal(iri(page))))
        out.add((guide, DCTERMS.license, LICENCE))
        for prop in (DCTERMS.language, DCTERMS.spatial, DCAT.theme, DCTERMS.temporal):
            for value in out.objects(dataset, prop):
                out.add((guide, prop, value))
        for publisher in graph.objects(page, DCTERMS.publisher):
            out.add((guide, DCTERMS.publisher, publisher))
            out.add((publisher, RDF.type, FOAF.Agent))
            out.add((publisher, DCTERMS.type, resource("http://purl.org/adms/publishertype/NationalAuthority")))
            for name in graph.objects(publisher, SKOS.prefLabel):
                out.add((publisher, FOAF.name, name))
        for word_fr, word_en in (
            ("achats publics", "public procurement"),
            ("numérique responsable", "sustainable IT"),
            ("guide", "guide"),
        ):
            out.add((guide, DCAT.keyword, literal(word_fr, lang="fr")))
            out.add((guide, DCAT.keyword, literal(word_en, lang="en")))
        out.add(
            (
                guide,
                DCAT.contactPoint,
                _contact_point(
                    out,
                    resource(site.base_iri + "catalog#guide-contact-point"),
                    "Mission numérique responsable (DINUM)",
                    GUIDE_CONTACT,
                ),
            )
        )
        pages = resource(site.base_iri + "catalog#guide-web-pages")
        out.add((guide, DCAT.distribution, pages))
        out.add((pages, RDF.type, DCAT.Distribution))
        out.add((pages, DCTERMS.title, literal("Pages web du guide", lang="fr")))
        out.add((pages, DCTERMS.title, literal("The guide's web pages", lang="en")))
        out.add((pages, DCTERMS.description, literal("Le guide à lire en ligne (HTML).", lang="fr")))
        out.add((pages, DCTERMS.description, literal("The guide to read online (HTML).", lang="en")))
        out.add((pages, DCAT.accessURL, page))
        out.add((pages, DCAT.mediaType, resource(IANA + "text/html")))
        out.add((pages, DCTERMS.format, resource(EU + "file-type/HTML")))
        out.add((pages, DCTERMS.license, LICENCE))
        out.add((pages, DCATAP.availability, AVAILABLE))


def _describe_targets(out: BuiltGraph, graph: GraphLike) -> None:
    """Type and name what the catalogue points to, so DCAT-AP's range checks hold without lookups."""
    for scheme, (cls, codes) in CONCEPTS.items():
        for code, (fr, en) in codes.items():
            concept = resource(f"{EU}{scheme}/{code}")
            if (None, None, concept) not in out:
                continue
            out.add((concept, RDF.type, SKOS.Concept))
            if cls is not None:
                out.add((concept, RDF.type, cls))
            out.add((concept, SKOS.inScheme, resource(EU + scheme)))
            out.add((concept, SKOS.prefLabel, literal(fr, lang="fr")))
            out.add((concept, SKOS.prefLabel, literal(en, lang="en")))
    taxonomy = resource(EU + "data-theme")
    out.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    for name in (literal("Thèmes de données de l'UE", lang="fr"), literal("EU data themes", lang="en")):
        out.add((taxonomy, SKOS.prefLabel, name))
        out.add((taxonomy, DCTERMS.title, name))
    _france(out, resource(EU + "country/FRA"))
    for media_type in set(out.objects(None, DCAT.mediaType)):
        out.add((media_type, RDF.type, DCTERMS.MediaType))
    for standard in set(out.objects(None, DCTERMS.conformsTo)):
        out.add((standard, RDF.type, DCTERMS.Standard))
        for label in graph.objects(standard, RDFS.label):
            out.add((standard, DCTERMS.title, label))
    out.add((SPARQL_PROTOCOL, DCTERMS.title, literal("SPARQL 1.1 Protocol", lang="en")))
    out.add((OPENAPI, DCTERMS.title, literal("OpenAPI Specification 3.1.0", lang="en")))
    for agent in set(out.subjects(RDF.type, FOAF.Agent)):
        if (agent, DCTERMS.type, None) not in out:
            # The project that builds the graph: not an authority, run as an open project.
            out.add((agent, DCTERMS.type, resource("http://purl.org/adms/publishertype/NonProfitOrganisation")))
    for agent_type in set(out.objects(None, DCTERMS.type)):
        if iri(agent_type).startswith("http://purl.org/adms/publishertype/"):
            out.add((agent_type, RDF.type, SKOS.Concept))
            out.add((agent_type, SKOS.inScheme, ADMS_PUBLISHER_TYPES))
            fr, en = PUBLISHER_TYPES[iri(agent_type).rsplit("/", 1)[1]]
            out.add((agent_type, SKOS.prefLabel, literal(fr, lang="fr")))
            out.add((agent_type, SKOS.prefLabel, literal(en, lang="en")))
    out.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    out.add((LICENCE, DCTERMS.title, literal("Licence Ouverte / Open Licence version 2.0", lang="fr")))
    out.add((LICENCE, DCTERMS.identifier, literal("etalab-2.0")))
    out.add((LICENCE, SKOS.exactMatch, EU_LICENCE))
    attribution = resource("http://purl.org/adms/licencetype/Attribution")
    out.add((LICENCE, DCTERMS.type, attribution))
    out.add((attribution, RDF.type, SKOS.Concept))
    out.add((attribution, SKOS.inScheme, ADMS_LICENCE_TYPES))
    out.add((attribution, SKOS.prefLabel, literal("Attribution", lang="fr")))
    out.add((attribution, SKOS.prefLabel, literal("Attribution", lang="en")))


def _france(out: BuiltGraph, country: Resource) -> None:
    """The country as a dct:Location with its bounding box: WKT for DCAT-AP, GeoJSON for data.gouv.fr."""
    west, south, east, north = FRANCE_BBOX
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    wkt = "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"
    geojson = json.dumps({"type": "Polygon", "coordinates": [[[x, y] for x, y in ring]]})
    out.add((country, DCAT.bbox, literal(wkt, datatype=GSP.wktLiteral)))
    out.add((country, LOCN.geometry, literal(geojson, datatype=GEOJSON)))
    centre = f"POINT({round((west + east) / 2, 3)} {round((south + north) / 2, 3)})"
    out.add((country, DCAT.centroid, literal(centre, datatype=GSP.wktLiteral)))


def version_triples(out: BuiltGraph, node: Resource, facts: DatasetFacts) -> None:
    """owl:versionInfo and dct:modified of the dataset on `node` (VoID, service descriptions)."""
    out.add((node, OWL.versionInfo, literal(facts.version)))
    if facts.modified is not None:
        out.add((node, DCTERMS.modified, literal(facts.modified.isoformat(), datatype=XSD.date)))


def _date(text: str) -> date | None:
    """An xsd:date's value, or None if it is not a valid date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
