"""The buyers' pages over HTTP (no browser): home, search, sheets, exports, links from the linked-data pages."""

from __future__ import annotations

import csv
import html
import io
import re
import time
import zipfile
from importlib import resources

import pytest
from fastapi.testclient import TestClient
from odf import teletype
from odf.element import Element
from odf.opendocument import load
from odf.text import P

HTML = {"Accept": "text/html"}
COMPUTER_LABELS = ["Écolabel européen", "TCO Certified", "EPEAT", "80 PLUS"]


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_is_french_for_browsers_and_lists_the_seven_families(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert page.headers["content-language"] == "fr"
    assert "Que cherchez-vous à acheter ?" in page.text
    # the six practical sheets' families and the graph's own (other repairable products)
    assert len(re.findall(r'href="[^"]*/fiche/famille/[a-z-]+"', page.text)) == 7
    assert "six familles" not in page.text  # the heading counted six while seven were listed
    assert '/donnees"' in page.text  # the technical pages sit under one « Données et API » page
    data_pages = client.get("/donnees", headers=HTML).text
    for path in ("/sparql", "/docs", "/dumps/", "/catalog", "/def/", "/shapes/", "/void"):
        assert f'{path}"' in data_pages, path
    assert 'action="http://testserver/recherche"' in page.text and 'name="q"' in page.text


def test_home_in_english_by_accept_language_or_switch(client: TestClient) -> None:
    assert "What are you buying?" in client.get("/", headers={**HTML, "Accept-Language": "en"}).text
    assert "What are you buying?" in client.get("/?lang=en", headers=HTML).text


def test_home_for_other_clients_is_still_the_service_description(client: TestClient) -> None:
    answer = client.get("/")
    assert answer.headers["content-type"].startswith("text/turtle")
    assert "sd:Service" in answer.text or "ServiceDescription" in answer.text or "sd:endpoint" in answer.text


def test_the_query_page_stays_at_sparql(client: TestClient) -> None:
    page = client.get("/sparql", headers=HTML)
    assert page.status_code == 200 and '<textarea id="query"' in page.text


def test_search_results_without_script(client: TestClient) -> None:
    page = client.get("/recherche", params={"q": "ordinateur portable"}, headers=HTML)
    assert page.status_code == 200
    first = re.search(r'<ul class="hits">\s*<li><a href="([^"]+)">([^<]+)</a>', page.text)
    assert first and first.groups() == ("http://testserver/fiche/categorie/laptop", "Ordinateur portable")
    assert "/fiche/cpv/30213100" in page.text


def test_a_search_for_a_label_links_to_its_page(client: TestClient) -> None:
    page = client.get("/recherche", params={"q": "TCO"}, headers=HTML)
    assert 'href="http://testserver/id/label/tco-certified"' in page.text


def test_laptop_sheet(client: TestClient) -> None:
    page = client.get("/fiche/categorie/laptop", params={"date": "2026-12-07"}, headers=HTML)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Obligations légales en vigueur le 7 décembre 2026" in text
    for fact in (
        "20\u202f%",
        "Décret n° 2021-254",
        "du 9 mars 2021",
        "à compter du 1er janvier 2021",
        "Article 58 de la loi AGEC",
        "Hérité de la catégorie plus large « Ordinateurs fixes et portables »",
    ):
        assert fact in text, fact
    names = re.findall(r'<li class="label[^"]*">\s*<h3><a href="[^"]+">([^<]+)</a>', page.text)
    assert names == COMPUTER_LABELS
    roles = [html.unescape(r) for r in re.findall(r"<h3>([^<]+) <span class=\"count\">", page.text)]
    assert roles[:3] == ["Spécification technique", "Critère d'attribution", "Condition d'exécution"]
    assert "pondération minimale 10\u202f%" in text
    source = (
        'hreflang="fr">Guide : <span lang="fr">Matériels bureautiques : PC fixes - portables - écrans - '
        "tablettes › Réglementation</span></a>"
    )  # the source page's name, not its URL's slugs
    assert source in html.unescape(page.text)


def test_sheet_on_a_date_before_the_decree(client: TestClient) -> None:
    text = text_of(client.get("/fiche/categorie/laptop", params={"date": "2020-06-01"}, headers=HTML).text)
    assert "Aucune part minimale" in text and "pas encore ou plus en vigueur" in text


def test_a_date_not_understood_is_said_and_today_is_shown(client: TestClient) -> None:
    page = client.get("/fiche/categorie/laptop", params={"date": "demain"}, headers=HTML)
    assert page.status_code == 200 and "Date non comprise : « demain »" in page.text


def test_family_and_cpv_sheets(client: TestClient) -> None:
    family = client.get("/fiche/famille/office-equipment", headers=HTML)
    assert family.status_code == 200 and "Fiche achat : Matériels bureautiques" in family.text
    cpv = client.get("/fiche/cpv/30213100-6?lang=en", headers=HTML)
    assert cpv.status_code == 200 and "Procurement sheet: Portable computers" in cpv.text
    assert '<html lang="en">' in cpv.text


def test_an_unknown_sheet_is_404_with_close_ones(client: TestClient) -> None:
    page = client.get("/fiche/categorie/laptp", headers=HTML)
    assert page.status_code == 404 and "/fiche/categorie/laptop" in page.text
    assert client.get("/fiche/famille/laptop", headers=HTML).status_code == 404
    assert client.get("/fiche/cpv/1234", headers=HTML).status_code == 404
    assert client.get("/fiche/autre/laptop", headers=HTML).status_code == 404


def test_annex_is_an_odt_with_the_sheets_facts(client: TestClient) -> None:
    answer = client.get("/fiche/categorie/laptop/annexe.odt", params={"date": "2026-12-07", "lang": "fr"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.oasis.opendocument.text"
    assert 'filename="annexe-laptop-2026-12-07.odt"' in answer.headers["content-disposition"]
    doc = load(io.BytesIO(answer.content))
    text = "\n".join(teletype.extractText(p) for p in doc.getElementsByType(P))
    for fact in ("20\u202f%", "Décret n° 2021-254 (9 mars 2021)", "à compter du 1er janvier 2021", "7 décembre 2026"):
        assert fact in text, fact
    positions = [text.index(name) for name in COMPUTER_LABELS]
    assert positions == sorted(positions)


def test_annex_bytes_depend_on_the_sheet_alone(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same sheet, same bytes, so the same ETag on every replica: not the clock, nor what documents the
    process read or wrote before (odfpy keeps one namespace table per process)."""
    url, params = "/fiche/categorie/laptop/annexe.odt", {"date": "2026-12-07", "lang": "fr"}
    first = client.get(url, params=params)
    load(io.BytesIO(first.content))
    monkeypatch.setitem(Element.namespaces, "urn:example:read-before", "before")
    monkeypatch.setattr(time, "localtime", lambda *_: time.struct_time((2031, 5, 6, 7, 8, 9, 1, 126, 0)))
    again = client.get(url, params=params)
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert b"urn:example:read-before" not in zipfile.ZipFile(io.BytesIO(again.content)).read("content.xml")


def test_lists_as_csv(client: TestClient) -> None:
    answer = client.get("/fiche/categorie/laptop/listes.csv", params={"date": "2026-12-07"})
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    share = next(r for r in rows if r["section"] == "share")
    assert (share["id"], share["value"], share["from"], share["in_force"]) == (
        "decret-2021-254-office-computing",
        "20\u202f%",
        "2021-01-01",
        "true",
    )
    assert [r["name"] for r in rows if r["section"] == "label"] == COMPUTER_LABELS
    assert {r["inherited_from"] for r in rows if r["section"] == "label"} == {"Ordinateurs fixes et portables"}
    assert {r["section"] for r in rows} >= {"share", "obligation", "label", "proof", "clause"}


def test_linked_data_pages_link_to_the_sheet(client: TestClient) -> None:
    assert 'href="http://testserver/fiche/categorie/laptop"' in client.get("/id/category/laptop", headers=HTML).text
    assert 'href="http://testserver/fiche/famille/printing"' in client.get("/id/category/printing", headers=HTML).text
    cpv = client.get("/describe", params={"iri": "http://data.europa.eu/cpv/cpv/30213100"}, headers=HTML)
    assert 'href="http://testserver/fiche/cpv/30213100"' in cpv.text
    assert "/fiche/" not in client.get("/id/label/tco-certified", headers=HTML).text


def test_print_stylesheet_is_a4() -> None:
    css = resources.files("graph_service").joinpath("static/sheet.css").read_text()
    assert "@media print" in css and "size: A4" in css


def test_type_ahead_names(client: TestClient) -> None:
    found = client.get("/recherche.json", params={"q": "ordinateur port"}).json()
    assert found[0] == {"name": "Ordinateur portable", "kind": "catégorie d'achat"}
    assert client.get("/recherche.json", params={"q": "o"}).json() == []
    page = client.get("/", headers=HTML).text
    assert 'list="q-names"' in page and "/static/search.js" in page


ARCHIVE = "https://github.com/DISIC/MiNumEco/blob/"


def test_sheet_shows_its_review_date_and_archived_copies(client: TestClient) -> None:
    page = client.get("/fiche/categorie/laptop", params={"date": "2026-12-07"}, headers=HTML)
    text = html.unescape(text_of(page.text))
    assert "Données à jour au 7 décembre 2026" in text
    assert "les données n'ont été vérifiées que jusqu'au" not in text
    archived = re.findall(r'<a class="archived" href="([^"]+)"', page.text)
    assert archived and all(a.startswith(ARCHIVE) for a in archived)
    assert any(a.endswith("/labels/produits.md") for a in archived)
    assert "Ce qui a changé depuis le guide" in text and "Dix conventions fondamentales de l'OIT" in text


def test_sheet_past_its_review_date_says_so_in_the_page_and_its_exports(client: TestClient) -> None:
    params = {"date": "2027-03-01", "lang": "fr"}
    caveat = "les données n'ont été vérifiées que jusqu'au 7 décembre 2026"
    page = client.get("/fiche/categorie/laptop", params=params, headers=HTML)
    assert caveat in html.unescape(text_of(page.text))
    odt = load(io.BytesIO(client.get("/fiche/categorie/laptop/annexe.odt", params=params).content))
    odt_text = "\n".join(teletype.extractText(p) for p in odt.getElementsByType(P))
    assert caveat in odt_text and ARCHIVE in odt_text
    answer = client.get("/fiche/categorie/laptop/listes.csv", params=params)
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0]["section"] == "reviewed" and rows[0]["value"] == "2026-12-07"
    assert rows[1]["section"] == "caveat" and rows[1]["value"] == "2027-03-01"
    labels = [r for r in rows if r["section"] == "label"]
    assert all(r["archived_sources"].startswith(ARCHIVE) for r in labels)


def test_every_page_says_when_the_data_were_last_reviewed(client: TestClient) -> None:
    for path in ("/", "/id/label/eu-ecolabel", "/fiche/famille/office-equipment"):
        page = client.get(path, headers=HTML)
        assert '<span class="reviewed">droit et sources relus le 7 décembre 2026</span>' in page.text, path
