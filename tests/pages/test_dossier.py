"""The buyer's dossier for several lots (domain/dossier.py, web/dossier.py, dossier_export.py).

Facts checked by hand: décret n° 2021-254 sets at least 20 % reused or recycled purchases for office and
computing equipment (laptops) and for photocopying and offset printing equipment; article 15 of the REEN
act makes State services and local authorities take the repairability index into account when they buy
laptops; a buyer whose purchases produce WEEE keeps a duty of care over them (fin-de-vie page of the
guide); the repairability index itself is computed by manufacturers and shown by sellers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
import pytest
from fastapi.testclient import TestClient
from odf import teletype
from odf.opendocument import load
from odf.text import H, Note, P

from graph_service.domain.dossier import MAX_LOTS, Dossier, DossierBuilder, TooManyLotsError, borne_by_buyer
from graph_service.domain.sheet import UnknownSubjectError
from graph_service.runtime import Runtime

TODAY = dt.date(2026, 12, 7)
TWO_LOTS = "/dossier?category=laptop&category=multifunction-printer&date=2026-12-07"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


@pytest.fixture(scope="module")
def dossier(state: Runtime) -> Dossier:
    return DossierBuilder(state.sheets, state.clauses).build(["laptop", "multifunction-printer"], TODAY, "fr")


def test_each_lot_puts_the_buyers_own_duties_first(dossier: Dossier) -> None:
    laptop, printer = dossier.lots
    assert [lot.number for lot in dossier.lots] == [1, 2]
    own = {d.ref.id for d in laptop.own}
    assert {
        "decret-2021-254-office-computing",
        "reen-repairability-index-public-purchasing",
        "weee-buyer-due-diligence",
    } <= own
    others = {d.ref.id for d in laptop.others}
    assert {"agec-repairability-index", "rohs-hazardous-substances"} <= others
    assert not own & others
    assert laptop.own[0].is_share and laptop.own[0].reused_or_recycled_percent == 20.0
    assert "decret-2021-254-photocopying" in {d.ref.id for d in printer.own}


def test_who_bears_a_duty_is_read_from_its_english_bearer() -> None:
    assert borne_by_buyer(["Buyers of the State, of local authorities and of their groupings (supply contracts)"])
    assert borne_by_buyer(["State services, local authorities and their groupings"])
    assert borne_by_buyer(["Public bodies and companies whose purchases produce WEEE (contracting parties)"])
    assert not borne_by_buyer(["Manufacturers (computing the score) and sellers or distributors (displaying it)"])
    assert not borne_by_buyer(["Public contract holders and their subcontractors"])
    assert not borne_by_buyer([])


def test_the_number_of_lots_is_bounded(state: Runtime) -> None:
    builder = DossierBuilder(state.sheets)
    many = [
        "laptop",
        "desktop-computer",
        "monitor",
        "tablet",
        "printer",
        "multifunction-printer",
        "photocopier",
        "smartphone",
        "server",
    ]
    assert len(many) == MAX_LOTS + 1
    with pytest.raises(TooManyLotsError):
        builder.build(many, TODAY, "fr")
    assert len(builder.build(many[:MAX_LOTS], TODAY, "fr").lots) == MAX_LOTS
    assert len(builder.build(["laptop", " laptop ", ""], TODAY, "fr").lots) == 1  # repeats count once
    with pytest.raises(UnknownSubjectError):
        builder.build(["laptop", "lapto"], TODAY, "fr")


def test_too_many_lots_is_a_422(client: TestClient) -> None:
    query = "&".join(f"category=c{i}" for i in range(MAX_LOTS + 1))
    answer = client.get(f"/dossier?{query}&format=docx")
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid-parameter" and answer.json()["limit"] == MAX_LOTS
    page = client.get(f"/dossier?{query}", headers={"accept": "text/html"})
    assert page.status_code == 422 and f"au plus {MAX_LOTS}" in page.text


def test_an_unknown_category_is_a_404_with_suggestions(client: TestClient) -> None:
    answer = client.get("/dossier?category=laptop&category=lapto&format=docx")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "laptop" in [s["id"] for s in answer.json()["suggestions"]]
    page = client.get("/dossier?category=multifunction-printer&category=lapto", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "/dossier?category=multifunction-printer&amp;category=laptop" in page.text


def test_without_a_category_the_page_is_the_picker(client: TestClient) -> None:
    page = client.get("/dossier", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert 'type="checkbox" name="category" value="laptop"' in page.text
    assert client.get("/dossier?format=odt").status_code == 422
    assert client.get("/dossier?category=laptop&format=pdf").status_code == 406


def test_the_page_shows_each_lot_in_order_with_the_disclaimer(client: TestClient) -> None:
    page = client.get(TWO_LOTS, headers={"accept": "text/html"})
    assert page.status_code == 200
    text = page.text
    assert "Modèles à adapter, pas un conseil juridique" in text
    lot1, lot2 = text.index('id="lot-1-title"'), text.index('id="lot-2-title"')
    assert lot1 < lot2
    assert text[lot1:].startswith('id="lot-1-title">Lot 1 : Ordinateur portable')
    section = text[lot1:lot2]
    own, labels, criteria, notice, others = (
        section.index(s)
        for s in (
            "Vos obligations d&#39;acheteur",
            "ou équivalent",
            "Critères et clauses",
            "Pour l&#39;avis de marché (eForms)",
            "Obligations des autres acteurs",
        )
    )
    assert own < labels < criteria < notice < others
    assert "Écolabel européen ou équivalent" in section and "20\u202f%" in section
    assert "<code>env-imp</code>" in section
    assert 'class="model"' in section and "Cahier des clauses techniques particulières (CCTP)" in section
    assert 'id="pick-laptop" checked' in text and 'id="pick-monitor">' in text  # the picker keeps the lots


def read_docx(body: bytes) -> tuple[str, list[str]]:
    document = docx.Document(io.BytesIO(body))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    return "\n".join(paragraphs + cells), headings


def test_the_docx_file_holds_both_lots_clauses_and_their_documents(client: TestClient) -> None:
    answer = client.get(TWO_LOTS + "&format=docx")
    assert answer.status_code == 200 and answer.headers["content-type"] == DOCX_TYPE
    assert 'filename="dossier-laptop-multifunction-printer-2026-12-07.docx"' in answer.headers["content-disposition"]
    text, headings = read_docx(answer.content)
    assert "Lot 1 : Ordinateur portable" in headings and "Lot 2 : Solution d'impression multifonction" in headings
    assert headings.count("Sources") == 2 and headings.count("Vos obligations d'acheteur") == 2
    assert "Part minimale : 20\u202f%" in text and "Décret n° 2021-254 (9 mars 2021)" in text
    assert "Écolabel européen ou équivalent" in text and "Blue Angel ou équivalent" in text
    assert "Pièce du marché : Cahier des clauses techniques particulières (CCTP)" in text
    assert "Pièce du marché : Règlement de la consultation (RC)" in text
    assert "Pièce du marché : Cahier des clauses administratives particulières (CCAP)" in text
    assert "Clause type, à adapter : Les matériels du lot [numéro et intitulé du lot] sont titulaires du label" in text
    assert "pas un conseil juridique" in text and "Objectif du marché public stratégique (BT-06) : env-imp" in text
    assert "https://" not in text  # sources are linked short titles, not addresses
    assert re.search(r"\[\d+(, \d+)*\]", text)
    assert client.get(TWO_LOTS + "&format=docx").content == answer.content  # same bytes for the same dossier


def test_the_odt_file_has_footnotes_and_headings_per_lot(client: TestClient) -> None:
    answer = client.get(TWO_LOTS, headers={"accept": ODT_TYPE})
    assert answer.status_code == 200 and answer.headers["content-type"] == ODT_TYPE
    assert zipfile.ZipFile(io.BytesIO(answer.content)).read("mimetype") == ODT_TYPE.encode()
    document = load(io.BytesIO(answer.content))
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    assert "Lot 1 : Ordinateur portable" in headings and "Lot 2 : Solution d'impression multifonction" in headings
    notes = document.getElementsByType(Note)
    assert len(notes) > 20
    assert any("Fiches pratiques" in teletype.extractText(n) for n in notes)
    text = "\n".join(teletype.extractText(p) for p in document.getElementsByType(P))
    assert "Part minimale : 20\u202f%" in text and "Écolabel européen ou équivalent" in text
    assert "Pièce du marché : Cahier des clauses techniques particulières (CCTP)" in text
    assert "Clause type, à adapter : Les matériels du lot [numéro et intitulé du lot]" in text
    assert "https://" not in text


def test_sheets_and_search_results_add_to_the_dossier(client: TestClient) -> None:
    sheet = client.get("/fiche/categorie/multifunction-printer?dossier=laptop").text
    form = sheet[sheet.index('<form class="dossier-add"') :]
    form = form[: form.index("</form>")]
    assert 'name="category" value="laptop"' in form and 'name="category" value="multifunction-printer"' in form
    found = client.get("/recherche?q=ordinateur+portable").text
    assert 'class="dossier-add"' in found and 'name="category" value="laptop"' in found


def test_the_sheet_shows_the_buyers_own_duties_open_and_the_others_collapsed(client: TestClient) -> None:
    page = client.get("/fiche/categorie/laptop?date=2026-12-07").text
    collapsed = page.index('<details class="others">')
    assert page.index("Prise en compte de l&#39;indice de réparabilité dans les achats publics") < collapsed
    assert page.index("Vigilance du donneur d&#39;ordre sur le devenir de ses DEEE") < collapsed
    assert page.index("Affichage de l&#39;indice de réparabilité") > collapsed  # manufacturers and sellers
    assert "Obligations des autres acteurs sur ces équipements" in page


@pytest.mark.parametrize(
    "query",
    [
        "category=%00",
        "category=" + "a" * 5000,
        "category=..%2F..",
        "category=laptop&date=9999-12-31",
        "category=laptop&date=0001-01-01",
        "category=laptop&date=2021-13-45",
        "category=laptop&format=",
        "category=laptop&format=%00",
        "category=cat%3Alaptop&format=odt",
        "category=&category=%20",
        "dossier=laptop&category=printer&lang=xx",
    ],
)
def test_hostile_queries_get_an_answer_not_a_failure(client: TestClient, query: str) -> None:
    answer = client.get(f"/dossier?{query}", headers={"accept": "text/html"})
    assert answer.status_code in (200, 404, 406, 422), (query, answer.status_code)
