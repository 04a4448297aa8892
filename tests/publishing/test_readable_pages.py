"""Resource pages for people: names, kinds in words, values by language, what matters per class first.

The facts asserted here are read by hand from data/*.ttl (the laptop inherits four labels from
"desktop and laptop computers"; décret 2021-254 sets 20 % from 1 January 2021...).
"""

from __future__ import annotations

import re
from html import unescape

import pyoxigraph as ox
from fastapi.testclient import TestClient
from rdflib.namespace import RDF, RDFS, SKOS

from graph_service.publishing.publication import Publication
from graph_service.publishing.readable import readable
from graph_service.publishing.terms import XSD, language

HTML = {"Accept": "text/html"}


def page(client: TestClient, path: str, lang: str = "fr") -> str:
    response = client.get(f"{path}?lang={lang}", headers=HTML)
    assert response.status_code == 200, path
    text: str = response.text
    return text


def section(html: str, title: str) -> str:
    """The text of one fact of the summary (its <dd> entries), tags removed."""
    match = re.search(rf"<dt>{re.escape(title)}</dt>(.*?)(?=<dt>|</dl>)", html.replace("&#39;", "'"), re.S)
    assert match, title
    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_literals_read_as_people_write_them() -> None:
    def typed(text: str, kind: str) -> ox.Literal:
        return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))

    day = typed("2021-01-01", "date")
    assert readable(day, "fr") == "1er janvier 2021" and readable(day, "en") == "1 January 2021"
    assert readable(typed("2021-03-09", "date"), "fr") == "9 mars 2021"
    share = ox.NamedNode("https://w3id.org/achats-numeriques-responsables/def/minimumShareReusedPercent")
    assert readable(typed("20", "decimal"), "fr", share) == "20\u202f%"
    assert readable(typed("20", "decimal"), "en", share) == "20%"
    assert readable(typed("2.5", "decimal"), "fr") == "2,5"
    assert readable(ox.Literal(1234567), "fr") == "1\u202f234\u202f567"
    assert readable(ox.Literal(1234567), "en") == "1,234,567"
    years = ox.NamedNode("https://w3id.org/achats-numeriques-responsables/def/validityPeriodYears")
    assert readable(ox.Literal(3), "fr", years) == "3 ans" and readable(ox.Literal(1), "en", years) == "1 year"
    assert readable(ox.Literal(True), "fr") == "oui" and readable(typed("true", "boolean"), "en") == "yes"
    assert readable(typed("1992", "gYear"), "en") == "1992"
    assert readable(ox.Literal("vingt", language="fr"), "fr") == "vingt"


def test_every_term_used_has_a_french_and_an_english_name(state: Publication) -> None:
    graph = state.graph
    names = [ox.NamedNode(p) for p in (RDFS.label, SKOS.prefLabel)]
    terms = set(graph.predicates()) | set(graph.objects(None, ox.NamedNode(RDF.type)))
    unnamed = sorted(
        t.value for t in terms if not {"fr", "en"} <= {language(o) for p in names for o in graph.objects(t, p)}
    )
    assert not unnamed


def test_laptop_page_shows_inherited_labels_type_one_first_and_the_decree_share(client: TestClient) -> None:
    html = page(client, "/id/category/laptop")
    labels = section(html, "Labels qui couvrent cette catégorie")
    order = [labels.index(n) for n in ("TCO Certified", "Écolabel européen", "EPEAT", "80 PLUS")]
    assert max(order[:2]) < order[2] < order[3]  # the two type I ecolabels, then type II, then energy
    assert labels.count("hérité de « Ordinateurs fixes et portables »") == 4
    assert "Écolabel de type I (ISO 14024)" in labels
    duties = section(html, "Obligations")
    decree = duties.split("Décret n° 2021-254 : machines et matériel informatique et de bureau", 1)[1]
    assert decree.lstrip().startswith("(au moins 20\u202f% issus du réemploi")
    assert "à partir du 1er janvier 2021" in decree.split(")")[0]
    assert 'href="http://testserver/id/legal/decret-2021-254"' in html
    assert "Ordinateurs portables" in section(html, "code CPV")
    assert "xsd:" not in html and "skos:prefLabel" not in html


def test_label_page_shows_kind_issuer_levels_and_narrower_categories(client: TestClient) -> None:
    html = page(client, "/id/label/epeat", "en")
    assert "Type II self-declared environmental claim" in section(html, "label kind")
    assert "Global Electronics Council" in section(html, "issuer")
    levels = section(html, "Levels")
    assert all(f"EPEAT {level}" in levels for level in ("Bronze", "Silver", "Gold"))
    covered = section(html, "Equipment covered")
    assert "Computer monitor" in covered and "Server" in covered
    assert "Laptop (part of “Desktop and laptop computers”)" in covered
    created = "http://testserver/describe?iri=http%3A%2F%2Fpurl.org%2Fdc%2Fterms%2Fcreated"
    assert f'<th scope="row"><a href="{created}">created</a>' in html and "dcterms:created" not in html
    nordic = page(client, "/id/label/nordic-swan", "fr")
    assert section(nordic, "durée de validité (années)").strip() == "3 ans"


def test_legal_text_page_shows_the_obligations_it_sets_and_its_dates(client: TestClient) -> None:
    html = page(client, "/id/legal/decret-2021-254", "en")
    assert section(html, "date of the document").strip() == "9 March 2021"
    sets = section(html, "Obligations it sets")
    assert sets.count("Decree No 2021-254:") == 4 and "at least 20% reused" in sets
    assert "Laptop" in section(html, "Categories and families concerned")
    assert "Article 58 of the AGEC Act" in section(html, "based on")
    law = page(client, "/id/legal/loi-2020-105", "en")
    assert "through “Article 58 of the AGEC Act”" in section(law, "Obligations it sets")
    assert "Article 58 of the AGEC Act" in section(law, "Articles")


def test_obligation_page_shows_the_share_dates_and_basis(client: TestClient) -> None:
    html = page(client, "/id/obligation/decret-2021-254-office-computing", "fr")
    assert section(html, "part minimale issue du réemploi, de la réutilisation ou recyclée (%)").strip() == "20\u202f%"
    assert section(html, "s'applique à partir du").strip() == "1er janvier 2021"
    assert "Décret n° 2021-254" in section(html, "fondement juridique")
    assert "Ordinateur portable" in section(html, "s'applique à la catégorie")


def test_pages_link_locally_never_to_the_base_iri(client: TestClient, state: Publication) -> None:
    base = state.settings.base_iri
    for path in ("/id/category/laptop", "/id/label/eu-ecolabel", "/id/legal/loi-2020-105", "/def/", "/id/vocab/"):
        html = page(client, path)
        assert f'href="{base}' not in html, path
