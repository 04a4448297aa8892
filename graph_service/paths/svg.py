"""An SVG picture of a neighbourhood: one ring per hop, names placed so that no two overlap, a legend,
nodes as links. No plotting library; the text widths are measured with a per-character table.

Placement: nodes sit on rings (the centre in the middle, hop k on ring k, each ring wide enough for
its nodes). Each name is a box measured by `text_width` (a generous estimate of a sans-serif font at
FONT_SIZE); it goes beside its node on the side away from the centre, else above or below, else it is
pushed outward along the node's ray until its box meets no other name and no node. The picture's
view box is then fitted to everything drawn, and the legend is put above it, outside the drawing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graph_service.formats.svg import Element, document, el, number

FONT_SIZE = 12.0
LINE = FONT_SIZE * 1.35  # height of a name's box
PAD = 3.0  # space between a node and its name, and around every box
RING_GAP = 170.0
NAME_WIDTH = 32  # characters shown of a name (the full name is the node's <title>)
PALETTE = {
    "Label": "#2e7d32",
    "LabelLevel": "#66bb6a",
    "PurchaseFamily": "#1565c0",
    "PurchaseCategory": "#42a5f5",
    "CpvCode": "#90caf9",
    "Criterion": "#ef6c00",
    "Obligation": "#8e24aa",
    "MinimumShareRequirement": "#ab47bc",
    "LegalResource": "#6d4c41",
    "LegalResourceSubdivision": "#a1887f",
    "Organization": "#546e7a",
}
DEFAULT_COLOUR = "#9e9e9e"
NARROW = set("iljtfrI.,;:'!|() ")
WIDE = set("mwMW@%—")


@dataclass(frozen=True)
class SvgNode:
    """A node to draw: key, name, class (for the colour), hop distance."""

    key: str
    name: str
    cls: str | None
    hops: int


@dataclass(frozen=True)
class SvgEdge:
    """An edge to draw, subject -> object, with its predicate label."""

    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle (x, y: top left)."""

    x: float
    y: float
    w: float
    h: float

    def intersects(self, other: Box) -> bool:
        """Whether the two rectangles overlap (touching edges do not count)."""
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass(frozen=True)
class Placed:
    """A node's position and radius, and its name's text anchor point, anchor and box."""

    x: float
    y: float
    r: float
    tx: float
    ty: float
    anchor: str
    box: Box
    pushed: bool = False


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous width of `text` in a sans-serif font of `size` pixels."""
    units = 0.0
    for ch in text:
        if ch in NARROW:
            units += 0.36
        elif ch in WIDE or (ch.isupper() and ch not in "IJ"):
            units += 0.82
        else:
            units += 0.62
    return units * size


def label_box(tx: float, ty: float, text: str, anchor: str) -> Box:
    """The box of a name drawn at (tx, ty) (baseline) with `text-anchor` anchor, padded."""
    w = text_width(text)
    x = {"start": tx, "middle": tx - w / 2, "end": tx - w}[anchor]
    return Box(x - PAD, ty - FONT_SIZE - PAD, w + 2 * PAD, LINE + 2 * PAD)


def short(text: str, width: int) -> str:
    """Cut a name to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def ring_positions(nodes: Sequence[SvgNode]) -> dict[str, tuple[float, float, float]]:
    """(x, y, angle) around the origin: one ring per hop, each long enough for its names' height."""
    rings: dict[int, list[SvgNode]] = {}
    for node in sorted(nodes, key=lambda n: (n.hops, n.cls or "", n.name.lower(), n.key)):
        rings.setdefault(node.hops, []).append(node)
    out: dict[str, tuple[float, float, float]] = {}
    radius = 0.0
    for hop in sorted(rings):
        members = rings[hop]
        if hop == 0 and len(members) == 1:
            out[members[0].key] = (0.0, 0.0, 0.0)
            continue
        radius = max(radius + RING_GAP, len(members) * (LINE + 2 * PAD) / (2 * math.pi) * 1.2)
        for i, node in enumerate(members):
            angle = 2 * math.pi * i / len(members) - math.pi / 2 + (0.3 if hop % 2 == 0 else 0.0)
            out[node.key] = (radius * math.cos(angle), radius * math.sin(angle), angle)
    return out


def place(nodes: Sequence[SvgNode]) -> dict[str, Placed]:
    """Positions of the nodes and of their names; no two name boxes intersect, no name covers a node."""
    rings = ring_positions(nodes)
    radii = {n.key: (12.0 if n.hops == 0 else 8.0) for n in nodes}
    node_boxes = [Box(x - radii[k], y - radii[k], 2 * radii[k], 2 * radii[k]) for k, (x, y, _a) in rings.items()]
    taken: list[Box] = []
    out: dict[str, Placed] = {}
    for node in sorted(nodes, key=lambda n: (n.hops, n.key)):
        x, y, angle = rings[node.key]
        r = radii[node.key]
        text = short(node.name, NAME_WIDTH)
        dx, dy = math.cos(angle), math.sin(angle)
        if node.hops == 0 and x == 0 and y == 0:
            dx, dy = 0.0, -1.0
        side = "start" if dx >= 0 else "end"
        gap = r + PAD + 2
        candidates = [
            (x + (gap if side == "start" else -gap), y + FONT_SIZE / 3, side),
            (x, y - gap, "middle"),
            (x, y + gap + FONT_SIZE, "middle"),
            (x - (gap if side == "start" else -gap), y + FONT_SIZE / 3, "end" if side == "start" else "start"),
        ]
        step = 1
        while True:
            for tx, ty, anchor in candidates:
                box = label_box(tx, ty, text, anchor)
                if not any(box.intersects(b) for b in taken) and not any(box.intersects(b) for b in node_boxes):
                    taken.append(box)
                    out[node.key] = Placed(x, y, r, tx, ty, anchor, box, pushed=step > 1)
                    break
            else:
                # push outward along the node's ray, one line further each time
                reach = gap + step * LINE
                candidates = [(x + dx * reach, y + dy * reach + FONT_SIZE / 3, side)]
                step += 1
                continue
            break
    return out


def bounds(placed: dict[str, Placed]) -> Box:
    """The smallest box holding every node and name."""
    xs = [v for p in placed.values() for v in (p.x - p.r, p.x + p.r, p.box.x, p.box.x + p.box.w)]
    ys = [v for p in placed.values() for v in (p.y - p.r, p.y + p.r, p.box.y, p.box.y + p.box.h)]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def render_svg(
    title: str,
    nodes: Sequence[SvgNode],
    edges: Sequence[SvgEdge],
    href: Callable[[str], str] | None = None,
    legend_names: dict[str, str] | None = None,
    description: str = "",
) -> str:
    """The picture as an SVG document: names escaped, nodes linked by `href(key)`, a legend of classes."""
    placed = place(nodes)
    if not placed:
        return document(el("title", title), viewBox="0 0 10 10")
    frame = bounds(placed)
    classes = sorted({n.cls or "" for n in nodes}, key=lambda c: (c not in PALETTE, c))
    names = legend_names or {}
    entries = [(cls, names.get(cls) or cls or "?") for cls in classes]
    room = max(frame.w, 480.0)
    lines: list[list[tuple[str, str, float]]] = [[]]
    used = 0.0
    for cls, shown in entries:
        w = 17 + text_width(shown) + 18
        if lines[-1] and used + w > room:
            lines.append([])
            used = 0.0
        lines[-1].append((cls, shown, used))
        used += w
    legend_h = LINE * 1.4 * len(lines)
    ly0 = frame.y - legend_h - 10
    legend: list[Element] = []
    for row, line in enumerate(lines):
        ly = ly0 + row * LINE * 1.4
        for cls, shown, offset in line:
            lx = frame.x + offset
            legend.append(
                el("circle", cx=lx + 7, cy=ly + LINE / 2, r=6, fill=PALETTE.get(cls, DEFAULT_COLOUR), stroke="#333")
            )
            legend.append(el("text", shown, x=lx + 17, y=ly + LINE / 2 + FONT_SIZE / 3))
    ly = ly0
    width = room + 20
    height = frame.h + legend_h + 30
    x0, y0 = frame.x - 10, ly - 10
    arrow = el(
        "marker",
        el("path", d="M 0 0 L 10 5 L 0 10 z", fill="#6b6b6b"),
        id="arrow",
        viewBox="0 0 10 10",
        refX=20,
        refY=5,
        markerWidth=6,
        markerHeight=6,
        orient="auto-start-reverse",
    )
    out: list[Element] = [
        el("title", title, id="nb-title"),
        el("desc", description or title, id="nb-desc"),
        el("defs", arrow),
        el("rect", x=x0, y=y0, width=width, height=height, fill="white"),
        el("g", *legend, class_="legend", fill="#1e1e1e"),
    ]
    for edge in edges:
        if edge.source not in placed or edge.target not in placed:
            continue
        a, b = placed[edge.source], placed[edge.target]
        out.append(
            el(
                "line",
                el("title", edge.label),
                x1=a.x,
                y1=a.y,
                x2=b.x,
                y2=b.y,
                stroke="#8a8a8a",
                marker_end="url(#arrow)",
            )
        )
    for node in nodes:
        p = placed[node.key]
        colour = PALETTE.get(node.cls or "", DEFAULT_COLOUR)
        shape: list[Element] = [el("title", node.name)]
        if p.pushed:
            shape.append(
                el("line", x1=p.x, y1=p.y, x2=p.tx, y2=p.ty - FONT_SIZE / 3, stroke="#b5b5b5", stroke_dasharray="2 2")
            )
        shape.append(el("circle", cx=p.x, cy=p.y, r=p.r, fill=colour, stroke="#333"))
        shape.append(el("text", short(node.name, NAME_WIDTH), x=p.tx, y=p.ty, text_anchor=p.anchor, fill="#1e1e1e"))
        if href is not None:
            out.append(el("a", *shape, href=href(node.key), class_="node", data_id=node.key))
        else:
            out.append(el("g", *shape, class_="node", data_id=node.key))
    return document(
        *out,
        viewBox=f"{number(x0)} {number(y0)} {number(width)} {number(height)}",
        width=round(width),
        height=round(height),
        font_family="DejaVu Sans, Verdana, sans-serif",
        font_size=FONT_SIZE,
        role="group",
        aria_labelledby="nb-title nb-desc",
    )
