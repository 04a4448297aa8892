"""A French public service's manners (issue 22, item 6), over HTTP: every page names its publisher, data
version and last legal review and carries a disclaimer; the legal notice and the accessibility
statement say what is true (the access log's fields, no invented name, the RGAA level without an
audit); the menu puts buyer tasks first; French pages carry no English names, internal ids or slugs;
an edited named query says it dropped its parameters and its share link no longer holds them.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.web.access import _line
from graph_service.web.html import _paths
from tests.pages.test_pages import HTML
from tests.pages.test_pages import text_of as tagless


def text_of(page: str) -> str:
    """The page's text, tags removed, entities decoded."""
    return html.unescape(tagless(page))


PAGES = (
    "/",
    "/recherche?q=copieur",
    "/fiche/categorie/laptop?date=2026-12-07",
    "/id/label/tco-certified",
    "/sparql",
    "/mentions-legales",
    "/accessibilite",
    "/donnees",
    "/question?q=ordinateur+portable",
)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_colophon_skip_link_and_buyer_menu(client: TestClient, path: str) -> None:
    page = client.get(path, headers=HTML)
    assert page.status_code == 200, path
    body = page.text.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link and 'href="#contenu"' in first_link.group(0)  # the skip link comes first
    assert '<main id="contenu"' in body
    footer = text_of(body.split("<footer>", 1)[1])
    assert "Éditeur : Projet Graphe des achats numériques responsables" in footer
    assert "version des données 0." in footer
    assert "droit et sources relus le 7 décembre 2026" in footer
    assert "pas un conseil juridique" in footer and "modèles à adapter" in footer
    assert "Mentions légales" in footer and "Accessibilité : non conforme" in footer
    nav = body.split('class="menu"', 1)[1].split("</ul>")[0]
    menu = [html.unescape(m) for m in re.findall(r'<li><a href="[^"]*"[^>]*>([^<]+)</a></li>', nav)]
    dossier = ["Dossier"] if "/dossier" in set(_paths(client.app.routes)) else []  # type: ignore[attr-defined]
    assert menu == ["Accueil", "Fiches d'achat", "Recherche", "Question", *dossier, "Données et API"]
    header = body.split("</header>")[0]
    for technical in ("Requête SPARQL", "Ontologie", "Formes"):
        assert technical not in header


def test_the_legal_notice_fills_nothing_in_that_the_operator_must(client: TestClient) -> None:
    text = text_of(client.get("/mentions-legales", headers=HTML).text)
    assert "Hébergement" in text and "Nom, adresse et téléphone de l'hébergeur : à compléter par l'exploitant" in text
    assert "Directeur ou directrice de la publication" in text and "La personne qui dirige" in text
    assert "Licence Ouverte 2.0" in text and "licence MIT" in text
    assert "ni adresse IP" in text and "aucun cookie" in text


def test_the_legal_notice_tells_the_access_log_fields_as_they_are() -> None:
    line = _line(0.0, "rid", "GET", "/fiche/{kind}/{key}", 200, 0.01, "text/html", 10, None)
    assert set(re.findall(r'"(\w+)":', line)) == {
        "time",
        "request_id",
        "method",
        "route",
        "status",
        "duration_ms",
        "representation",
        "bytes",
    }  # no IP, no user agent, no query


def test_the_legal_notice_shows_the_operators_settings() -> None:
    from graph_service.web.app import create_app
    from tests.helpers import real_settings

    settings = Settings(
        **{
            **real_settings().model_dump(),
            "legal_hosting": "Hébergeur X, 1 rue Y, Paris",
            "legal_director": "Le directeur de l'organisme Z",
        }
    )
    with TestClient(create_app(settings)) as own:
        text = text_of(own.get("/mentions-legales", headers=HTML).text)
    assert "Hébergeur X, 1 rue Y, Paris" in text and "Le directeur de l'organisme Z" in text
    assert "Nom, adresse et téléphone de l'hébergeur" not in text


def test_the_accessibility_statement_follows_the_rgaa_model(client: TestClient) -> None:
    text = text_of(client.get("/accessibilite", headers=HTML).text)
    for part in (
        "État de conformité",
        "non conforme",
        "RGAA",
        "version 4.1",
        "axe-core",
        "clavier",
        "390 pixels",
        "Dérogations pour charge disproportionnée : aucune",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
        "Déclaration établie le 7 décembre 2026",
    ):
        assert part in text, part


@pytest.mark.parametrize(
    "path",
    [
        "/fiche/categorie/portable-printer?date=2026-12-07",
        "/fiche/categorie/photocopier?date=2026-12-07",
        "/fiche/categorie/multifunction-printer?date=2026-12-07",
        "/fiche/categorie/laptop?date=2026-12-07",
        "/fiche/famille/printing?date=2026-12-07",
        "/recherche?q=imprimante+portable",
        "/recherche?q=laptop",
    ],
)
def test_french_pages_show_no_english_names_ids_jargon_or_slugs(client: TestClient, path: str) -> None:
    text = text_of(client.get(path, headers=HTML).text.split("<main", 1)[1].split("</main>")[0])
    for leak in (
        "Portable printer",
        "(Laptop)",
        "cat:",
        "lbl:",
        "le graphe suit",
        "nous suivons",
        "graphe retient",
        "nous citons",
        "nous retenons",
        "le graphe le rattache",
        "le graphe ne le rattache",
        "fiches-pratiques ›",
        "#reglementation",
        "labels › produits",
    ):
        assert leak not in text, (path, leak)


def test_sources_are_named_by_their_page_and_section(client: TestClient) -> None:
    text = text_of(client.get("/fiche/categorie/laptop?date=2026-12-07", headers=HTML).text)
    assert "Les labels au niveau des produits › Tableau des écolabels" in text


def test_an_edited_named_query_says_it_dropped_its_parameters(client: TestClient) -> None:
    edited = "SELECT ?label WHERE { ?label a <https://w3id.org/achats-numeriques-responsables/def/Label> }"
    page = client.get(
        "/sparql",
        params={"name": "labels-for-category", "p.category": "laptop", "query": edited, "run": "1"},
        headers=HTML,
    ).text
    share = re.search(r'id="share" type="url" readonly value="([^"]+)"', page)
    assert share
    kept = parse_qs(urlparse(share.group(1).replace("&amp;", "&")).query)
    assert "p.category" not in kept and "name" not in kept and kept["query"] == [edited]
    assert "Paramètres ignorés : category." in text_of(page)
    unchanged = client.get(
        "/sparql", params={"name": "labels-for-category", "p.category": "laptop", "run": "1"}, headers=HTML
    ).text
    assert "p.category=laptop" in unchanged and "Paramètres ignorés" not in unchanged
