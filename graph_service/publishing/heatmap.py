"""The guide's label × equipment table as a heat map: an SVG drawn here, and the same table as text.

Rows are the labels of the coverage statements (`anr:Coverage`), type I ecolabels first; columns are
the categories they cover. A covered cell is filled with the colour of the label's kind and a tick
(colour is never the only sign), and links to the label's page; row and column headings link to the
label and the category. The SVG has a <title>, a <desc> and a legend; the page shows the table too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph_service.domain.readmodel import KIND_ORDER
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
    width = max(width, 40 + max((text_width(k.name, FONT) for k in table.kinds), default=0) + 40)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}"'
        f' height="{height:.0f}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="{FONT:g}"'
        ' role="group" aria-labelledby="hm-title hm-desc">',
        f'<title id="hm-title">{escape(title)}</title>',
        f'<desc id="hm-desc">{escape(description)}</desc>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>',
    ]
    for j, column in enumerate(table.columns):
        x = head_w + CELL * j + CELL / 2
        out.append(
            f'<a href={quoteattr(column.href)}><text transform="translate({x + 4:.1f},{col_h - 6:.1f}) rotate(-45)"'
            f' fill="#000091">{escape(column.name)}</text></a>'
        )
    for i, (row, kind) in enumerate(table.rows):
        y = col_h + CELL * i
        out.append(
            f'<a href={quoteattr(row.href)}><text x="{head_w - 8:.1f}" y="{y + CELL / 2 + FONT / 3:.1f}"'
            f' text-anchor="end" fill="#000091">{escape(row.name)}</text></a>'
        )
        for j, column in enumerate(table.columns):
            x = head_w + CELL * j
            box = (f'x="{x + 1:.1f}" y="{y + 1:.1f}" width="{CELL - 2:.0f}" height="{CELL - 2:.0f}"')
            if table.covered(row.iri, column.iri):
                label = f"{row.name} — {column.name} : {covered_word}"
                out.append(
                    f'<a href={quoteattr(row.href)} aria-label={quoteattr(label)}>'
                    f'<title>{escape(label)}</title>'
                    f'<rect {box} fill="{kind.colour}" stroke="#333"/>'
                    f'<text x="{x + CELL / 2:.1f}" y="{y + CELL / 2 + 6:.1f}" text-anchor="middle" fill="white"'
                    f' font-size="18" aria-hidden="true">✓</text></a>'
                )
            else:
                out.append(f'<rect {box} fill="#f4f4f4" stroke="#c8c8c8"/>')
    out.append(f'<text x="10" y="{legend_y:.0f}" font-weight="bold" fill="#1e1e1e">{escape(legend_title)}</text>')
    for k, kind in enumerate(table.kinds):
        y = legend_y + 12 + 26 * k
        out.append(
            f'<rect x="10" y="{y:.0f}" width="20" height="20" fill="{kind.colour}" stroke="#333"/>'
            f'<text x="38" y="{y + 15:.0f}" fill="#1e1e1e">{escape(kind.name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
