"""The analysts' query page without JavaScript: a named query's typed form with suggestions from the
graph, run server-side with local links, the query shown and editable, a share link, downloads."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}


def page(client: TestClient, query: str) -> str:
    response = client.get("/sparql?" + query, headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text: str = response.text
    return text


def column(html: str, name: str) -> list[str]:
    """The texts of one column of the results table."""
    table = html.split('<div id="table">', 1)[1].split("</table>", 1)[0]
    header = re.findall(r'<th scope="col">\?(\w+)</th>', table)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    return [unescape(re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", r, re.S)[header.index(name)])) for r in rows]


def test_picking_a_named_query_shows_its_typed_parameters_with_suggestions(client: TestClient) -> None:
    html = page(client, "lang=fr&name=labels-for-category")
    assert "<legend>Paramètres de « Labels couvrant une catégorie d&#39;équipement »</legend>" in html
    assert re.search(r'<input id="p-category" name="p.category" type="text" value="" required list="dl-category"', html)
    assert '<option value="laptop">Ordinateur portable</option>' in html  # an anr:PurchaseCategory, by name
    assert '<option value="fr" selected>français</option>' in html  # the page's language first
    assert "SELECT ?category ?lang ?label" in html and "#+ name:" not in html  # the text, editable
    assert '<div id="table">' in html and "<tbody>" not in html  # picked, not run
    cpv = page(client, "lang=fr&name=obligations-by-cpv")
    assert '<option value="30213100-6">Ordinateurs portables</option>' in cpv  # codes of the CPV concepts


def test_a_named_query_runs_server_side_with_its_parameter_and_local_links(client: TestClient) -> None:
    html = page(client, "lang=en&name=labels-for-category&p.category=laptop&p.lang=fr&run=1")
    assert sorted(set(column(html, "labelName"))) == ["80 PLUS", "EPEAT", "TCO Certified", "Écolabel européen"]
    assert set(column(html, "viaName")) == {"Ordinateurs fixes et portables"}
    assert '<a href="http://testserver/id/label/tco-certified">' in html
    assert 'href="https://w3id.org/' not in html
    share = unescape(re.search(r'<input id="share" type="url" readonly value="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    reopened = parse_qs(urlsplit(share).query)
    assert reopened == {
        "lang": ["en"],
        "name": ["labels-for-category"],
        "p.category": ["laptop"],
        "p.lang": ["fr"],
        "run": ["1"],
    }
    assert column(page(client, urlsplit(share).query), "labelName") == column(html, "labelName")
    downloads = re.findall(r'<a href="(http://testserver/api/queries/[^"]+)" download', html)
    assert len(downloads) == 2
    csv = client.get(unescape(downloads[1]).removeprefix("http://testserver"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.count("TCO Certified") == 1


def test_a_wrong_parameter_is_said_next_to_its_field(client: TestClient) -> None:
    html = page(client, "lang=en&name=labels-for-category&p.category=printerz&run=1")
    assert 'name="p.category" type="text" value="printerz"' in html
    assert re.search(r'id="p-category"[^>]*aria-invalid="true"', html)
    assert "no resource &#39;printerz&#39; in the graph" in html


def test_an_edited_query_runs_as_written_through_the_engine(client: TestClient) -> None:
    text = "SELECT ?label WHERE { ?label a <https://w3id.org/achats-numeriques-responsables/def/Label> }"
    html = page(client, f"lang=fr&query={quote(text)}&run=1")
    labels = column(html, "label")
    assert len(labels) == 15 and all(x.startswith("lbl:") for x in labels)  # compact IRIs
    assert '<a href="http://testserver/id/label/eu-ecolabel">' in html
    share = unescape(re.search(r'<input id="share" type="url" readonly value="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    assert parse_qs(urlsplit(share).query)["query"] == [text]
    bad = page(client, "lang=fr&query=SELECT%20nonsense&run=1")
    assert '<div id="error" class="error">' in bad


def test_the_query_page_is_in_french_and_in_english(client: TestClient) -> None:
    assert "Exécuter avec ces paramètres" in page(client, "name=type-1-ecolabels&lang=fr")
    english = page(client, "name=type-1-ecolabels&lang=en")
    assert '<html lang="en">' in english and "Run with these parameters" in english
    assert "<script>" not in english and re.findall(r'<script src="([^"]+)"', english) == [
        "http://testserver/static/links.js",
        "http://testserver/static/query.js",
    ]
