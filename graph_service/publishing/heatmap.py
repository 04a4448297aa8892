"""The guide's label × equipment table as a heat map: an SVG drawn here, and the same table as text.

Rows are the labels of the coverage statements (`anr:Coverage`), type I ecolabels first; columns are
the categories they cover: the coverage matrix of /api/coverage, read once by the domain. A covered
cell is filled with the colour of the label's kind and a tick
(colour is never the only sign), and links to the label's page; row and column headings link to the
label and the category. The SVG has a <title>, a <desc> and a legend; the page shows the table too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from graph_service.domain.coverage import coverage_matrix
from graph_service.domain.readmodel import KIND_ORDER, ReadModel
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


def heat_map(read: ReadModel, lang: str, href: Callable[[str], str]) -> HeatMap:
    """The table of the coverage matrix (`domain/coverage.py`, as /api/coverage reads it: same rows, same
    columns, same order); `href(iri)` comes from the page's site."""
    matrix = coverage_matrix(read, lang)
    kinds: dict[str, Kind] = {}

    def kind_of(label: str) -> Kind:
        found = sorted((k.iri for k in read.label_summary(label, lang).kinds),
                       key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER))
        iri = found[0] if found else ""
        if iri not in kinds:
            rank = KIND_ORDER.index(iri) if iri in KIND_ORDER else -1
            colour = KIND_COLOURS[rank] if 0 <= rank < len(KIND_COLOURS) else OTHER_COLOUR
            kinds[iri] = Kind(iri, read.ref(iri, lang).name if iri else "?", colour)
        return kinds[iri]

    by_id = {c.id: c.iri for c in matrix.categories}
    cells = frozenset((row.iri, by_id[cat]) for row in matrix.labels for cat, cell in row.cells.items() if cell.covered)
    rows = tuple((Named(r.iri, r.name, href(r.iri)), kind_of(r.iri)) for r in matrix.labels)
    columns = tuple(Named(c.iri, c.name, href(c.iri)) for c in matrix.categories)
    legend = tuple(sorted(kinds.values(), key=lambda k: KIND_ORDER.index(k.iri) if k.iri in KIND_ORDER else 99))
    return HeatMap(rows, columns, cells, legend)


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
