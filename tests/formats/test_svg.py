"""The one SVG writer (graph_service/formats/svg.py): texts and attribute values escaped, numbers compact,
and both pictures (neighbourhood, heat map) written through it stay well-formed whatever the names hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from graph_service.formats.svg import document, el, number
from graph_service.paths.svg import SvgEdge, SvgNode, render_svg
from graph_service.publishing.heatmap import HeatMap, Kind, Named, render

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "R&D <b>\"quoted\"</b> 'single'"


def test_text_and_attributes_are_escaped() -> None:
    element = el("a", el("text", NASTY, x=1.25, text_anchor="end"), href='/x?a=1&b="2"', class_="node")
    root = ET.fromstring(str(element))
    assert root.get("href") == '/x?a=1&b="2"' and root.get("class") == "node"
    text = root.find("text")
    assert text is not None and text.text == NASTY and text.get("text-anchor") == "end"


def test_numbers_are_written_with_one_decimal_at_most() -> None:
    assert [number(v) for v in (12.0, 12.54, -3.21, -0.01, 7)] == ["12", "12.5", "-3.2", "0", "7"]
    assert 'width="20"' in str(el("rect", width=20.0, height=None)) and "height" not in str(el("rect", height=None))


def test_document_is_in_the_svg_namespace() -> None:
    root = ET.fromstring(document(el("title", NASTY), viewBox="0 0 10 10"))
    assert root.tag == SVG + "svg" and root.findtext(SVG + "title") == NASTY


def test_neighbourhood_with_hostile_names_is_well_formed() -> None:
    nodes = [SvgNode("a&b", NASTY, "Label", 0), SvgNode('c"d', "<script>", None, 1)]
    svg = render_svg(
        NASTY, nodes, [SvgEdge("a&b", 'c"d', "<p>")], href=lambda k: f"/id/{k}?x=1&y=2", legend_names={"Label": NASTY}
    )
    root = ET.fromstring(svg)
    names = [t.text for t in root.iter(SVG + "text")]
    assert NASTY in names and "<script>" in names
    assert {a.get("href") for a in root.iter(SVG + "a")} == {"/id/a&b?x=1&y=2", '/id/c"d?x=1&y=2'}


def test_heat_map_with_hostile_names_is_well_formed() -> None:
    kind = Kind("k", NASTY, "#1b5e20")
    row, column = Named("l", NASTY, "/l?a&b"), Named("c", "<c>", "/c")
    svg = render(HeatMap(((row, kind),), (column,), frozenset({("l", "c")}), (kind,)), NASTY, "d&", "oui", "<k>")
    root = ET.fromstring(svg)
    labels = [a.get("aria-label") for a in root.iter(SVG + "a") if a.get("aria-label")]
    assert labels == [f"{NASTY} — <c> : oui"]
    assert root.findtext(SVG + "desc") == "d&"
