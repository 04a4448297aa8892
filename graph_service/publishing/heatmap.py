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

from graph_service.domain.coverage import coverage_matrix
from graph_service.domain.readmodel import KIND_ORDER, ReadModel
from graph_service.formats.svg import Element, document, el, number
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
        found = sorted(
            (k.iri for k in read.label_summary(label, lang).kinds),
            key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER),
        )
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
        out.append(
            el(
                "a",
                el("text", row.name, x=head_w - 8, y=y + CELL / 2 + FONT / 3, text_anchor="end", fill="#000091"),
                href=row.href,
            )
        )
        for j, column in enumerate(table.columns):
            x = head_w + CELL * j
            if table.covered(row.iri, column.iri):
                label = f"{row.name} — {column.name} : {covered_word}"
                tick = el(
                    "text",
                    "✓",
                    x=x + CELL / 2,
                    y=y + CELL / 2 + 6,
                    text_anchor="middle",
                    fill="white",
                    font_size=18,
                    aria_hidden="true",
                )
                out.append(
                    el("a", el("title", label), _cell(x, y, kind.colour, "#333"), tick, href=row.href, aria_label=label)
                )
            else:
                out.append(_cell(x, y, "#f4f4f4", "#c8c8c8"))
    out.append(el("text", legend_title, x=10, y=round(legend_y), font_weight="bold", fill="#1e1e1e"))
    for k, kind in enumerate(table.kinds):
        y = round(legend_y + 12 + 26 * k)
        out.append(
            el(
                "g",
                el("rect", x=10, y=y, width=20, height=20, fill=kind.colour, stroke="#333"),
                el("text", kind.name, x=38, y=y + 15, fill="#1e1e1e"),
            )
        )
    return document(
        *out,
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        font_family="DejaVu Sans, Verdana, sans-serif",
        font_size=FONT,
        role="group",
        aria_labelledby="hm-title hm-desc",
    )


def _cell(x: float, y: float, fill: str, stroke: str) -> Element:
    return el("rect", x=x + 1, y=y + 1, width=CELL - 2, height=CELL - 2, fill=fill, stroke=stroke)
