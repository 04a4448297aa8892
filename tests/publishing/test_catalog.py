"""The DCAT catalogue: DCAT-AP conformance (no violation, no warning) and a crawl of its distributions."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, SH, SKOS

from graph_service.publishing.publication import Publication
from tests.helpers import CONTACT, parse

SPDX = Namespace("http://spdx.org/rdf/terms#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GEOJSON = URIRef("https://www.iana.org/assignments/media-types/application/vnd.geo+json")
EU = "http://publications.europa.eu/resource/authority/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
ETALAB = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")


def results(data: Graph, shapes: Graph) -> list[tuple[str, str, str]]:
    """(severity, focus, path) of every SHACL result."""
    _conforms, report, _text = validate(data, shacl_graph=shapes, allow_warnings=False)
    assert isinstance(report, Graph)
    return sorted(
        (str(report.value(r, SH.resultSeverity)).rsplit("#")[-1], str(report.value(r, SH.focusNode)),
         str(report.value(r, SH.resultPath)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )  # fmt: skip


def the_dataset(catalog: Graph) -> URIRef:
    """The catalogue's own dataset (the guide is described as a dataset too)."""
    dataset = catalog.value(catalog.value(predicate=RDF.type, object=DCAT.Catalog), DCAT.dataset)
    assert isinstance(dataset, URIRef)
    return dataset


@pytest.fixture(scope="module")
def catalog(client: TestClient) -> Graph:
    response = client.get("/catalog.ttl")
    assert response.status_code == 200
    return parse(response.content, response.headers["content-type"])


@pytest.mark.parametrize("ext", ["ttl", "rdf", "jsonld", "nt"])
def test_catalog_conforms_to_dcat_ap_in_every_format(client: TestClient, dcat_ap_shapes: Graph, ext: str) -> None:
    response = client.get(f"/catalog.{ext}")
    assert response.status_code == 200
    assert results(parse(response.content, response.headers["content-type"]), dcat_ap_shapes) == []


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("*/*", "text/turtle"),
    ],
)
def test_catalog_negotiates(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/catalog", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]


def test_shapes_report_missing_mandatory_and_recommended(catalog: Graph, dcat_ap_shapes: Graph) -> None:
    broken = Graph()
    for s, p, o in catalog:
        if p not in (DCTERMS.title, DCAT.byteSize, DCAT.contactPoint):
            broken.add((s, p, o))
    found = results(broken, dcat_ap_shapes)
    assert ("Violation", str(DCAT.Catalog), "") not in found
    assert {sev for sev, _f, path in found if path == str(DCTERMS.title)} == {"Violation"}
    assert {sev for sev, _f, path in found if path == str(DCAT.byteSize)} == {"Warning"}
    assert {sev for sev, _f, path in found if path == str(DCAT.contactPoint)} == {"Warning"}


@pytest.mark.parametrize(
    ("drop", "path"),
    [
        ((None, RDF.type, SKOS.Concept), DCAT.theme),
        ((None, RDF.type, DCTERMS.LinguisticSystem), DCTERMS.language),
        ((None, RDF.type, DCTERMS.MediaTypeOrExtent), DCTERMS.format),
        ((None, RDF.type, DCTERMS.Frequency), DCTERMS.accrualPeriodicity),
        ((None, RDF.type, FOAF.Document), DCAT.landingPage),
        ((None, RDF.type, DCTERMS.Standard), DCTERMS.conformsTo),
        ((None, RDF.type, DCTERMS.Location), DCTERMS.spatial),
        ((None, RDF.type, DCAT.Dataset), DCTERMS.source),
    ],
)
def test_shapes_check_the_class_of_what_the_catalogue_points_to(
    catalog: Graph, dcat_ap_shapes: Graph, drop: tuple[None, URIRef, URIRef], path: URIRef
) -> None:
    """DCAT-AP's range checks, with no background knowledge: an untyped target is a violation."""
    broken = Graph()
    for triple in catalog:
        broken.add(triple)
    if drop[2] == DCAT.Dataset:  # keep the catalogue's own dataset typed, untype the guide
        for source in catalog.objects(the_dataset(catalog), DCTERMS.source):
            broken.remove((source, RDF.type, DCAT.Dataset))
    else:
        broken.remove(drop)
    assert ("Violation", str(path)) in {(sev, p) for sev, _f, p in results(broken, dcat_ap_shapes)}


@pytest.mark.parametrize(
    ("subject_type", "path"),
    [
        (DCAT.Distribution, DCATAP.availability),
        (DCAT.DataService, DCTERMS.publisher),
        (DCAT.DataService, DCAT.contactPoint),
        (DCAT.DataService, DCAT.theme),
        (DCAT.DataService, DCAT.keyword),
        (DCTERMS.LicenseDocument, DCTERMS.type),
        (DCTERMS.Location, DCAT.bbox),
    ],
)
def test_shapes_warn_on_each_missing_recommended_property(
    catalog: Graph, dcat_ap_shapes: Graph, subject_type: URIRef, path: URIRef
) -> None:
    broken = Graph()
    typed = set(catalog.subjects(RDF.type, subject_type))
    for s, p, o in catalog:
        if not (s in typed and p == path):
            broken.add((s, p, o))
    found = {(sev, p) for sev, _f, p in results(broken, dcat_ap_shapes)}
    assert ("Warning", str(path)) in found


def test_source_is_a_dataset_and_the_guide_a_document(catalog: Graph) -> None:
    dataset = the_dataset(catalog)
    sources = list(catalog.objects(dataset, DCTERMS.source))
    assert sources
    for source in sources:
        assert (source, RDF.type, DCAT.Dataset) in catalog
        # its web address as dct:identifier (data.gouv.fr's harvester skips a dataset without one)
        assert str(catalog.value(source, DCTERMS.identifier)) == str(catalog.value(source, DCAT.landingPage))
        assert catalog.value(source, DCAT.landingPage) == catalog.value(dataset, PROV.wasDerivedFrom)
        assert catalog.value(source, DCAT.contactPoint) is not None


def test_spatial_coverage_has_a_geometry_data_gouv_fr_reads(catalog: Graph) -> None:
    """data.gouv.fr reads the GeoJSON literals (IANA datatype) of each dct:spatial value."""
    dataset = the_dataset(catalog)
    france = URIRef(EU + "country/FRA")
    assert (dataset, DCTERMS.spatial, france) in catalog
    geojson = [o for o in catalog.objects(france, None) if isinstance(o, Literal) and o.datatype == GEOJSON]
    assert len(geojson) == 1
    polygon = json.loads(str(geojson[0]))
    assert polygon["type"] == "Polygon"
    xs = [x for x, _y in polygon["coordinates"][0]]
    ys = [y for _x, y in polygon["coordinates"][0]]
    assert min(xs) < 2.35 < max(xs) and min(ys) < 48.85 < max(ys)  # Paris is inside
    assert min(xs) < 9.2 < max(xs) and min(ys) < 41.9 < max(ys)  # so is Ajaccio
    bbox = str(catalog.value(france, DCAT.bbox))
    assert bbox.startswith("POLYGON((") and str(min(xs)) in bbox


def test_every_distribution_answers_with_announced_type_size_and_checksum(client: TestClient, catalog: Graph) -> None:
    dataset = the_dataset(catalog)
    dumps = [d for d in catalog.objects(dataset, DCAT.distribution) if (d, DCAT.downloadURL, None) in catalog]
    assert len(dumps) == 3
    for dist in dumps:
        url = str(catalog.value(dist, DCAT.downloadURL))
        assert url == str(catalog.value(dist, DCAT.accessURL))
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, url
        media = str(catalog.value(dist, DCAT.mediaType)).split("/media-types/")[1]
        assert response.headers["content-type"].split(";")[0] == media
        size = catalog.value(dist, DCAT.byteSize)
        assert isinstance(size, Literal)
        assert int(response.headers["content-length"]) == int(size) == len(response.content)
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(response.content).hexdigest()


def test_every_dataset_has_an_identifier(catalog: Graph) -> None:
    """data.gouv.fr's harvester skips the datasets without a dct:identifier."""
    datasets = set(catalog.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) >= 2
    for dataset in datasets:
        assert catalog.value(dataset, DCTERMS.identifier) is not None, dataset


def test_json_api_data_service_is_described_by_its_openapi_document(client: TestClient, catalog: Graph) -> None:
    services = {str(s).rsplit("#", 1)[-1]: s for s in catalog.subjects(RDF.type, DCAT.DataService)}
    assert set(services) == {"sparql-service", "json-api"}
    api = services["json-api"]
    assert (api, DCAT.servesDataset, the_dataset(catalog)) in catalog
    assert (None, DCAT.service, api) in catalog
    description = catalog.value(api, DCAT.endpointDescription)
    document = client.get(str(description))
    assert document.status_code == 200 and document.json()["openapi"].startswith("3.1")
    root = client.get(str(catalog.value(api, DCAT.endpointURL)), follow_redirects=False,
                      headers={"Accept": "application/json"})  # fmt: skip
    assert root.status_code == 303 and root.headers["location"] == "/openapi.json"
    browser = client.get(str(catalog.value(api, DCAT.endpointURL)), follow_redirects=False,
                         headers={"Accept": "text/html"})  # fmt: skip
    assert browser.headers["location"] == "/docs"


def test_sparql_distribution_and_data_service(client: TestClient, catalog: Graph) -> None:
    service = next(s for s in catalog.subjects(RDF.type, DCAT.DataService) if str(s).endswith("#sparql-service"))
    endpoint = catalog.value(service, DCAT.endpointURL)
    assert str(endpoint).endswith("/sparql")
    assert (service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")) in catalog
    assert (service, DCAT.servesDataset, the_dataset(catalog)) in catalog
    dist = catalog.value(predicate=DCAT.accessService, object=service)
    assert catalog.value(dist, DCAT.accessURL) == endpoint
    response = client.get(str(endpoint), params={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_dataset_metadata(catalog: Graph, state: Publication) -> None:
    dataset = the_dataset(catalog)
    assert isinstance(dataset, URIRef)
    assert str(dataset).endswith("/id/dataset/achats-numeriques-responsables")
    assert {o.language for o in catalog.objects(dataset, DCTERMS.title) if isinstance(o, Literal)} == {"fr", "en"}
    assert {o.language for o in catalog.objects(dataset, DCTERMS.description) if isinstance(o, Literal)} == {
        "fr", "en"}  # fmt: skip
    assert (dataset, DCTERMS.license, ETALAB) in catalog
    assert (dataset, DCTERMS.spatial, URIRef("http://publications.europa.eu/resource/authority/country/FRA")) in catalog
    themes = {str(t).rsplit("/", 1)[1] for t in catalog.objects(dataset, DCAT.theme)}
    assert {"ENVI", "GOVE"} <= themes
    assert str(catalog.value(dataset, OWL.versionInfo)) == state.version == "0.4.0"
    assert str(catalog.value(dataset, DCAT_VERSION)) == state.version
    point = catalog.value(dataset, DCAT.contactPoint)
    assert catalog.value(point, VCARD.hasEmail) == URIRef("mailto:" + CONTACT)
    guide = catalog.value(dataset, PROV.wasDerivedFrom)
    assert str(guide).startswith("https://ecoresponsable.numerique.gouv.fr/")
    assert (guide, RDF.type, FOAF.Document) in catalog
    assert str(catalog.value(guide, DCTERMS.publisher)).endswith("/id/organisation/dinum")
    period = catalog.value(dataset, DCTERMS.temporal)
    assert isinstance(period, BNode)
    assert catalog.value(period, DCAT.startDate) is not None


def test_one_version_everywhere(client: TestClient, state: Publication) -> None:
    assert client.get("/health").json()["data_version"] == state.version
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200
    assert f'"{state.version}"' in description.text
    void = parse(client.get("/void.ttl").content, "text/turtle")
    assert str(void.value(URIRef(state.facts.node.value), OWL.versionInfo)) == state.version
    assert f"version {state.version}" in client.get("/catalog.ttl").text


def test_void_reuses_the_service_statistics(client: TestClient, state: Publication) -> None:
    void = parse(client.get("/void", headers={"Accept": "text/turtle"}).content, "text/turtle")
    node = URIRef(state.facts.node.value)
    voidns = Namespace("http://rdfs.org/ns/void#")
    assert int(void.value(node, voidns.triples)) == state.stats.triples == len(state.graph)  # type: ignore[call-overload]
    assert str(void.value(node, voidns.sparqlEndpoint)).endswith("/sparql")
    assert len(list(void.objects(node, voidns.dataDump))) == 3
    examples = list(void.objects(node, voidns.exampleResource))
    assert examples
    for example in examples:
        assert client.get(str(example).replace(state.settings.base_iri, "/"),
                          headers={"Accept": "text/turtle"}).status_code == 200  # fmt: skip
    assert client.get("/.well-known/void", follow_redirects=False).status_code == 303


def test_catalog_page_for_people(client: TestClient) -> None:
    response = client.get("/catalog", headers={"Accept": "text/html"})
    assert response.status_code == 200
    for text in ("graph.ttl", "graph.nt", "graph.jsonld", "SHA-256", "0.4.0", "/catalog"):
        assert text in response.text


def test_gzip_of_a_dump_unzips_to_the_same_bytes(client: TestClient, state: Publication) -> None:
    with client.stream("GET", "/dumps/graph.ttl", headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == state.dumps.files["graph.ttl"].data


def test_catalogues_built_per_host_are_bounded(client: TestClient) -> None:
    """Without KG_PUBLIC_BASE_URL the Host header picks the URLs; hostile hosts cannot grow memory."""
    state = client.app.state.runtime.publication  # type: ignore[attr-defined]
    for i in range(30):
        assert client.get("/catalog.ttl", headers={"Host": f"h{i}.example"}).status_code == 200
    assert len(state._catalogs) <= state._catalogs.size
