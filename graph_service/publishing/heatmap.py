"""The guide's label × equipment table as a heat map: an SVG drawn here, and the same table as text.

Rows are the labels of the coverage statements (`anr:Coverage`), type I ecolabels first; columns are
the categories they cover. A covered cell is filled with the colour of the label's kind and a tick
(colour is never the only sign), and links to the label's page; row and column headings link to the
label and the category. The SVG has a <title>, a <desc> and a legend; the page shows the table too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph_service.domain.readmodel import KIND_ORDER
from graph_service.formats.svg import Element, document, el, number
from graph_service.namespaces import ANR
from graph_service.paths.svg import text_width

CELL = 46.0
FONT = 13.0
# by KIND_ORDER; distinct hues, each dark enough for a white tick (contrast above 4.5:1)
KIND_COLOURS = ("#1b5e20", "#0d47a1", "#6a1b9a", "#bf360c", "#4e342e", "#37474f", "#880e4f")
OTHER_COLOUR = "#616161"


@dataclass(frozen=True)
class Named:
    """A node of the table with its name and link."""

    iri: str
    name: str
    href: str


@dataclass(frozen=True)
class Kind:
    """A kind of label, its name and its colour."""

    iri: str
    name: str
    colour: str


@dataclass(frozen=True)
class HeatMap:
    """Rows (labels with their kind), columns (categories), covered cells, the kinds in the legend."""

    rows: tuple[tuple[Named, Kind], ...]
    columns: tuple[Named, ...]
    cells: frozenset[tuple[str, str]]  # (label iri, category iri)
    kinds: tuple[Kind, ...]

    def covered(self, label: str, category: str) -> bool:
        """Whether the label covers the category."""
        return (label, category) in self.cells


def heat_map(graph: Graph, name: Callable[[Node], str], href: Callable[[str], str]) -> HeatMap:
    """The table from the coverage statements; `name(node)` and `href(iri)` come from the page's Views."""
    cells: set[tuple[str, str]] = set()
    for coverage in graph.subjects(ANR.coverageOf, None):
        for label in graph.objects(coverage, ANR.coverageOf):
            for category in graph.objects(coverage, ANR.coveredCategory):
                cells.add((str(label), str(category)))
    kinds: dict[str, Kind] = {}

    def kind_of(label: str) -> Kind:
        found = sorted((str(k) for k in graph.objects(URIRef(label), ANR.labelKind)),
                       key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER))
        iri = found[0] if found else ""
        if iri not in kinds:
            rank = KIND_ORDER.index(iri) if iri in KIND_ORDER else -1
            colour = KIND_COLOURS[rank] if 0 <= rank < len(KIND_COLOURS) else OTHER_COLOUR
            kinds[iri] = Kind(iri, name(URIRef(iri)) if iri else "?", colour)
        return kinds[iri]

    def rank(label: str) -> tuple[int, str]:
        iri = kind_of(label).iri
        return (KIND_ORDER.index(iri) if iri in KIND_ORDER else len(KIND_ORDER), name(URIRef(label)).lower())

    labels = sorted({label for label, _c in cells}, key=rank)
    categories = sorted({c for _l, c in cells}, key=lambda c: (_family(graph, URIRef(c)), name(URIRef(c)).lower()))
    rows = tuple((Named(i, name(URIRef(i)), href(i)), kind_of(i)) for i in labels)
    columns = tuple(Named(i, name(URIRef(i)), href(i)) for i in categories)
    legend = tuple(sorted(kinds.values(), key=lambda k: KIND_ORDER.index(k.iri) if k.iri in KIND_ORDER else 99))
    return HeatMap(rows, columns, frozenset(cells), legend)


def _family(graph: Graph, category: Node) -> str:
    """The topmost broader concept's IRI (to group columns by purchase family)."""
    seen = {category}
    current = category
    while True:
        broader = sorted(graph.objects(current, SKOS.broader), key=str)
        if not broader or broader[0] in seen:
            return str(current)
        current = broader[0]
        seen.add(current)


def render(table: HeatMap, title: str, description: str, covered_word: str, legend_title: str) -> str:
    """The heat map as an SVG element (inline in the page)."""
    head_w = max((text_width(r.name, FONT) for r, _k in table.rows), default=0) + 16
    col_h = max((text_width(c.name, FONT) for c in table.columns), default=0) * 0.72 + 24
    longest = max((text_width(c.name, FONT) for c in table.columns), default=0)
    width = head_w + CELL * len(table.columns) + longest * 0.72 + 20
    legend_y = col_h + CELL * len(table.rows) + 30
    height = legend_y + 26 * (len(table.kinds) + 1) + 10
    width = round(max(width, 40 + max((text_width(k.name, FONT) for k in table.kinds), default=0) + 40))
    height = round(height)
    out: list[Element] = [
        el("title", title, id="hm-title"),
        el("desc", description, id="hm-desc"),
        el("rect", width=width, height=height, fill="white"),
    ]
    for j, column in enumerate(table.columns):
        x = head_w + CELL * j + CELL / 2
        turn = f"translate({number(x + 4)},{number(col_h - 6)}) rotate(-45)"
        out.append(el("a", el("text", column.name, transform=turn, fill="#000091"), href=column.href))
    for i, (row, kind) in enumerate(table.rows):
        y = col_h + CELL * i
        out.append(el("a", el("text", row.name, x=head_w - 8, y=y + CELL / 2 + FONT / 3, text_anchor="end",
                              fill="#000091"), href=row.href))
        for j, column in enumerate(table.columns):
            x = head_w + CELL * j
            if table.covered(row.iri, column.iri):
                label = f"{row.name} — {column.name} : {covered_word}"
                tick = el("text", "✓", x=x + CELL / 2, y=y + CELL / 2 + 6, text_anchor="middle", fill="white",
                          font_size=18, aria_hidden="true")
                out.append(el("a", el("title", label), _cell(x, y, kind.colour, "#333"), tick, href=row.href,
                              aria_label=label))
            else:
                out.append(_cell(x, y, "#f4f4f4", "#c8c8c8"))
    out.append(el("text", legend_title, x=10, y=round(legend_y), font_weight="bold", fill="#1e1e1e"))
    for k, kind in enumerate(table.kinds):
        y = round(legend_y + 12 + 26 * k)
        out.append(el("g", el("rect", x=10, y=y, width=20, height=20, fill=kind.colour, stroke="#333"),
                      el("text", kind.name, x=38, y=y + 15, fill="#1e1e1e")))
    return document(*out, viewBox=f"0 0 {width} {height}", width=width, height=height,
                    font_family="DejaVu Sans, Verdana, sans-serif", font_size=FONT, role="group",
                    aria_labelledby="hm-title hm-desc")


def _cell(x: float, y: float, fill: str, stroke: str) -> Element:
    return el("rect", x=x + 1, y=y + 1, width=CELL - 2, height=CELL - 2, fill=fill, stroke=stroke)
