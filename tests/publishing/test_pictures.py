"""The pictures: the label × equipment heat map (facts of the guide's table) and the neighbourhood
picture (no two names overlap, a legend, nodes as local links)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest
from fastapi.testclient import TestClient

from graph_service.paths.svg import Box, SvgNode, label_box, place
from tests.graph.guide_facts import CATEGORIES, LABEL_TABLE

SVG = "{http://www.w3.org/2000/svg}"
HTML = {"Accept": "text/html"}


def name_boxes(svg: str) -> list[tuple[str, Box]]:
    """The box of every text of the picture (node names and legend), measured as the layout measures."""
    root = ET.fromstring(svg)
    boxes = []
    for text in root.iter(SVG + "text"):
        words, anchor = text.text or "", text.get("text-anchor", "start")
        boxes.append((words, label_box(float(text.get("x", 0)), float(text.get("y", 0)), words, anchor)))
    return boxes


def overlaps(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    return [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if box_a.intersects(box_b)]


@pytest.mark.parametrize(
    ("center", "hops"),
    [("laptop", 1), ("laptop", 2), ("laptop", 3), ("eu-ecolabel", 2), ("decret-2021-254", 2), ("office-equipment", 2)],
)
def test_no_two_names_of_the_neighbourhood_overlap(client: TestClient, center: str, hops: int) -> None:
    response = client.get(f"/api/neighbourhood/{center}?format=svg&hops={hops}&lang=fr")
    assert response.status_code == 200
    boxes = name_boxes(response.text)
    assert len(boxes) > 5
    assert not overlaps(boxes)


def test_neighbourhood_picture_has_a_legend_a_description_and_local_links(client: TestClient) -> None:
    svg = client.get("/api/neighbourhood/laptop?format=svg&hops=1&lang=en").text
    root = ET.fromstring(svg)
    assert root.find(SVG + "title") is not None and "Laptop" in (root.find(SVG + "desc").text or "")  # type: ignore[union-attr]
    legend = [t.text for g in root.iter(SVG + "g") if g.get("class") == "legend" for t in g.iter(SVG + "text")]
    assert {"Obligation", "CPV code", "Equipment or service category", "Legal text"} <= set(legend)
    links = [a.get("href") or "" for a in root.iter(SVG + "a")]
    assert "http://testserver/id/category/computers" in links
    assert all(h.startswith("http://testserver/") for h in links), links


def test_crowded_ring_names_never_overlap() -> None:
    nodes = [SvgNode("c", "Centre", "Label", 0)]
    nodes += [SvgNode(f"n{i}", f"A rather long name number {i} of the ring", "Criterion", 1) for i in range(120)]
    nodes += [SvgNode(f"m{i}", "Mm" * (i % 17 + 1), None, 2) for i in range(200)]
    placed = place(nodes)
    boxes = [(k, p.box) for k, p in placed.items()]
    assert not overlaps(boxes)
    circles = [Box(p.x - p.r, p.y - p.r, 2 * p.r, 2 * p.r) for p in placed.values()]
    assert not any(box.intersects(c) for _k, box in boxes for c in circles)


def test_neighbourhood_page_inlines_the_picture_and_lists_the_nodes(client: TestClient) -> None:
    html = client.get("/pictures/neighbourhood/laptop?lang=fr", headers=HTML).text
    assert "<svg" in html and 'aria-labelledby="nb-title nb-desc"' in html
    assert 'href="http://testserver/id/obligation/decret-2021-254-office-computing"' in html
    resource = client.get("/id/category/laptop", headers=HTML).text
    assert 'href="http://testserver/pictures/neighbourhood/laptop"' in resource


def test_heat_map_is_the_guides_label_by_equipment_table(client: TestClient) -> None:
    response = client.get("/pictures/labels-by-equipment?lang=en", headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert '<title id="hm-title">Labels by type of equipment</title>' in html and '<desc id="hm-desc">' in html
    table = html.split('<table class="heat">', 1)[1].split("</table>", 1)[0]
    header = table.split("</thead>", 1)[0]
    columns = re.findall(r'href="http://testserver/id/category/([\w-]+)"', header)
    assert set(CATEGORIES) <= set(columns)
    for label, flags in LABEL_TABLE.items():
        row = re.search(rf'<tr><th scope="row"><a href="http://testserver/id/label/{label}">.*?</tr>', table, re.S)
        assert row, label
        cells = re.findall(r"<td>(.*?)</td>", row.group(0))[1:]  # after the kind
        for category, flag in zip(CATEGORIES, flags, strict=True):
            assert (cells[columns.index(category)] == "covered") == (flag == "x"), (label, category)
    svg_links = re.findall(r'<a href="http://testserver/id/label/([\w-]+)" aria-label="[^"]*covered"', html)
    assert svg_links.count("tco-certified") == LABEL_TABLE["tco-certified"].count("x")
    rows = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end" fill="#000091">([^<]+)</text>', html)
    assert rows.index("TCO Certified") < rows.index("EPEAT") < rows.index("80 PLUS")  # type I, II, energy


def test_heat_map_is_one_click_from_every_page(client: TestClient) -> None:
    """The menu's « Données et API » entry leads to the page that lists the heat map."""
    for path in ("/id/label/epeat", "/catalog"):
        html = client.get(path, headers=HTML).text
        assert 'href="http://testserver/donnees"' in html
    assert 'href="http://testserver/pictures/labels-by-equipment"' in client.get("/donnees", headers=HTML).text
