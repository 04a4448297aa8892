"""Every IRI of the graph dereferences: HTML for people, four RDF syntaxes by Accept or suffix."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SH

from graph_service.publishing.iris import Site
from graph_service.publishing.pages import Views, resource_page
from graph_service.publishing.publication import Publication
from graph_service.publishing.storegraph import BuiltGraph
from graph_service.rendering import render
from tests.helpers import as_rdflib, parse

FORMATS = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
}


def path_of(state: Publication, iri: str) -> str:
    path = Site(state.settings.base_iri, "").path_of(iri)
    assert path is not None, iri
    return path


def own_iris(state: Publication) -> list[str]:
    base = state.settings.base_iri
    return sorted(
        {n.value for n in state.graph.all_nodes() if isinstance(n, ox.NamedNode) and n.value.startswith(base)}
    )


@pytest.mark.slow
def test_every_own_iri_of_the_dump_dereferences_in_html_and_turtle(client: TestClient, state: Publication) -> None:
    dump = parse(state.dumps.files["graph.nt"].data, "application/n-triples")
    iris = sorted({str(n) for n in dump.all_nodes() if isinstance(n, URIRef) and str(n).startswith(
        state.settings.base_iri)})  # fmt: skip
    assert len(iris) > 300
    for iri in iris:
        path = path_of(state, iri)
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200, path
        described = parse(turtle.content, turtle.headers["content-type"])
        node = URIRef(iri)
        for p, o in dump.predicate_objects(node):
            if not isinstance(o, BNode):
                assert (node, p, o) in described, (iri, p, o)


@pytest.mark.slow
def test_every_foreign_subject_is_described_by_the_service(client: TestClient, state: Publication) -> None:
    base = state.settings.base_iri
    foreign = sorted(
        {s.value for s in state.graph.subjects() if isinstance(s, ox.NamedNode) and not s.value.startswith(base)}
    )
    assert any(s.startswith("http://data.europa.eu/cpv/cpv/") for s in foreign)
    for iri in foreign:
        for accept in ("text/html", "text/turtle"):
            response = client.get("/describe", params={"iri": iri}, headers={"Accept": accept})
            assert response.status_code == 200, iri
            assert response.headers["content-type"].startswith(accept)


def sample(state: Publication) -> list[tuple[str, str]]:
    """One (class, instance) per class with instances in the graph's own namespace."""
    out: dict[str, str] = {}
    base = state.settings.base_iri
    for s, cls in sorted(state.graph.subject_objects(ox.NamedNode(RDF.type)), key=lambda t: (t[1].value, t[0].value)):
        if s.value.startswith(base) and cls.value not in out:
            out[cls.value] = s.value
    return sorted(out.items())


def test_sample_covers_every_class(state: Publication) -> None:
    classes = {c for c, _i in sample(state)}
    for local in ("Label", "LabelLevel", "Coverage", "PurchaseCategory", "Obligation", "Criterion"):
        assert f"{state.settings.base_iri}def/{local}" in classes
    assert str(OWL.Class) in classes and "http://www.w3.org/ns/dcat#Dataset" in classes


@pytest.mark.slow
@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_a_sample_of_every_class_in_every_format(client: TestClient, state: Publication, suffix: str) -> None:
    media_type = FORMATS[suffix]
    for cls, iri in sample(state):
        path = path_of(state, iri)
        by_suffix = client.get(path + suffix)
        by_accept = client.get(path, headers={"Accept": media_type})
        for response in (by_suffix, by_accept):
            assert response.status_code == 200, (path, suffix)
            assert response.headers["content-type"].split(";")[0] == media_type
            assert (URIRef(iri), RDF.type, URIRef(cls)) in parse(response.content, media_type), (iri, suffix)
        assert "Accept" in [v.strip() for v in by_accept.headers["vary"].split(",")]
        assert by_accept.headers["content-location"] == quote(path + suffix, safe="/:-._~")
        assert "Accept" not in [v.strip() for v in by_suffix.headers.get("vary", "").split(",")]


def test_description_names_what_it_points_to(client: TestClient, state: Publication) -> None:
    response = client.get("/id/label/eu-ecolabel.ttl")
    described = parse(response.content, "text/turtle")
    node = URIRef(state.settings.base_iri + "id/label/eu-ecolabel")
    kinds = list(described.objects(node, URIRef(state.settings.base_iri + "def/labelKind")))
    assert kinds
    assert all(described.value(k, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")) for k in kinds)
    assert any(p == URIRef(state.settings.base_iri + "def/coverageOf") for _s, p in described.subject_predicates(node))


def test_html_page_links_to_the_service_sources_equipment_and_incoming(client: TestClient) -> None:
    response = client.get("/id/label/eu-ecolabel", headers={"Accept": "text/html", "Accept-Language": "en"})
    html = response.text
    assert '<html lang="en">' in html and response.headers["content-language"] == "en"
    assert 'href="http://testserver/id/category/' in html  # equipment covered, on the service
    assert "Equipment covered" in html
    assert "Incoming links" in html
    assert 'href="https://ecoresponsable.numerique.gouv.fr/' in html  # sources
    assert 'rel="alternate" type="text/turtle" href="http://testserver/id/label/eu-ecolabel.ttl"' in html
    assert "<script" not in html and "cdn" not in html.lower()


def test_pages_are_french_first_with_english_on_request(client: TestClient) -> None:
    french = client.get("/id/label/eu-ecolabel", headers={"Accept": "text/html"})
    assert '<html lang="fr">' in french.text and french.headers["content-language"] == "fr"
    assert "Équipements couverts" in french.text and "Equipment covered" not in french.text
    assert "Accept-Language" in french.headers["vary"]
    english = client.get("/id/label/eu-ecolabel?lang=en", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert '<html lang="en">' in english.text and "Equipment covered" in english.text
    assert 'href="?lang=fr"' in english.text  # the language switch keeps the page


def test_html_escapes_text(client: TestClient, state: Publication) -> None:
    iri = ox.NamedNode("http://x/id/thing")
    text = ox.Literal("<script>alert('x')</script>", language="fr")
    graph = BuiltGraph([(iri, ox.NamedNode("http://purl.org/dc/terms/description"), text)])
    views = Views(site=state.site("http://x"), names=graph, described=lambda _i: False)
    read = client.app.state.runtime.read  # type: ignore[attr-defined]
    html = render("resource.html", site=views.site, **resource_page(views, graph, iri, read))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_ontology_and_terms_dereference(client: TestClient, state: Publication) -> None:
    ontology = parse(client.get("/def/", headers={"Accept": "text/turtle"}).content, "text/turtle")
    classes = {URIRef(s.value) for s in state.graph.subjects(ox.NamedNode(RDF.type), ox.NamedNode(OWL.Class))}
    assert classes <= set(ontology.subjects(RDF.type, OWL.Class))
    assert client.get("/def", follow_redirects=False).headers["location"] == "/def/"
    page = client.get("/def/", headers={"Accept": "text/html"}).text
    assert "/def/Label" in page
    term = client.get("/def/coverageOf", headers={"Accept": "text/html"})
    assert term.status_code == 200 and "coverage by" in term.text


def test_shapes_dereference(client: TestClient, state: Publication) -> None:
    whole = parse(client.get("/shapes/.ttl").content, "text/turtle")
    assert len(whole) == len(state.shapes)
    one = parse(client.get("/shapes/DescribedResource", headers={"Accept": "text/turtle"}).content, "text/turtle")
    node = URIRef(state.settings.base_iri + "shapes/DescribedResource")
    assert (node, RDF.type, SH.NodeShape) in one
    assert list(one.objects(node, SH.property))
    page = client.get("/shapes/DescribedResource", headers={"Accept": "text/html"}).text
    assert "sh:path" in page and "<ol>" in page


def test_unknown_iri_is_a_helpful_404(client: TestClient) -> None:
    response = client.get("/id/label/eu-ecolabl", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "/id/label/eu-ecolabel" in response.text
    assert 'href="http://testserver/"' in response.text and "/sparql" in response.text
    plain = client.get("/id/label/eu-ecolabl", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and "/id/label/eu-ecolabel" in plain.text
    assert client.get("/def/NoSuchTerm").status_code == 404
    assert client.get("/shapes/NoSuchShape").status_code == 404


def test_not_acceptable(client: TestClient) -> None:
    assert client.get("/id/label/eu-ecolabel", headers={"Accept": "image/png"}).status_code == 406


def test_index_pages(client: TestClient) -> None:
    assert "/id/label/" in client.get("/id/").text
    assert "eu-ecolabel" in client.get("/id/label/").text


def test_describe_redirects_own_iris(client: TestClient, state: Publication) -> None:
    iri = state.settings.base_iri + "id/label/eu-ecolabel"
    response = client.get("/describe", params={"iri": iri}, follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "http://testserver/id/label/eu-ecolabel"
    assert client.get("/describe", params={"iri": "http://example.org/nothing"}).status_code == 404


def test_head_is_answered(client: TestClient) -> None:
    response = client.head("/id/label/eu-ecolabel.ttl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")


def test_site_maps_a_configured_base_and_public_url() -> None:
    site = Site("https://example.org/kg/", "https://data.example.org/anr")
    assert site.path_of("https://example.org/kg/id/label/x") == "/id/label/x"
    assert site.iri_of("/id/label/x") == "https://example.org/kg/id/label/x"
    assert site.href("https://example.org/kg/def/Label") == "https://data.example.org/anr/def/Label"
    assert site.path_of("https://example.org/kg/graph/labels") is None
    assert site.href("http://data.europa.eu/cpv/cpv/1", described=True).startswith(
        "https://data.example.org/anr/describe?iri="
    )


def test_catalog_uses_the_public_url(state: Publication) -> None:
    catalog = state.catalog(state.site("https://data.example.org/anr"))
    urls = [o.value for o in catalog.objects(None, ox.NamedNode("http://www.w3.org/ns/dcat#downloadURL"))]
    assert urls and all(u.startswith("https://data.example.org/anr/dumps/") for u in urls)
    assert isinstance(catalog, BuiltGraph)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_shapes_document_round_trips_in_every_format(client: TestClient, state: Publication, suffix: str) -> None:
    response = client.get("/shapes/" + suffix)
    assert response.status_code == 200
    assert isomorphic(parse(response.content, FORMATS[suffix]), as_rdflib(state.shapes))


def test_a_path_or_iri_no_iri_can_name_is_a_404(client: TestClient, state: Publication) -> None:
    """Oxigraph refuses such IRIs (a space, a bracket): the answer is the 404 of an unknown resource."""
    for path in ("/id/label/eu%20ecolabel", "/id/label/%3Cx%3E", "/def/a%7Bb%7D", "/shapes/a%20b.ttl"):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 404, path
        assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404, path
    for iri in ("not an iri", "http://example.org/a b", "relative"):
        assert client.get("/describe", params={"iri": iri}).status_code == 404, iri
        assert not state.is_described(iri)


class CountingIris(list[str]):
    """A list of IRIs that counts the walks over it."""

    walks = 0

    def __iter__(self) -> Iterator[str]:
        self.walks += 1
        return super().__iter__()


def test_the_kind_paths_are_walked_once_not_per_page(state: Publication) -> None:
    iris = CountingIris(state.local_iris)
    publication = dataclasses.replace(state, local_iris=iris)
    site = publication.site("http://x")
    first = publication.kind_paths(site)
    assert "/id/label/" in first
    assert publication.kind_paths(site) == first and publication.kind_paths(site) == first
    assert iris.walks == 1  # every /id request asks it; the old code walked every IRI each time
