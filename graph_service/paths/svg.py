"""A small SVG picture of a neighbourhood: networkx shell layout (one ring per hop), no plotting library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

SIZE = 900
MARGIN = 140
PALETTE = {
    "Label": "#2e7d32", "LabelLevel": "#66bb6a", "PurchaseFamily": "#1565c0", "PurchaseCategory": "#42a5f5",
    "CpvCode": "#90caf9", "Criterion": "#ef6c00", "Obligation": "#8e24aa", "MinimumShareRequirement": "#ab47bc",
    "LegalResource": "#6d4c41", "LegalResourceSubdivision": "#a1887f", "Organization": "#546e7a",
}
DEFAULT_COLOUR = "#9e9e9e"


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


def layout(nodes: Sequence[SvgNode]) -> dict[str, tuple[float, float]]:
    """Pixel positions: the centre in the middle, each hop on its own ring (nx.shell_layout)."""
    rings: dict[int, list[str]] = {}
    for node in sorted(nodes, key=lambda n: (n.hops, n.cls or "", n.name.lower(), n.key)):
        rings.setdefault(node.hops, []).append(node.key)
    shells = [rings[h] for h in sorted(rings)]
    graph = nx.Graph()
    graph.add_nodes_from(n.key for n in nodes)
    if len(shells) == 1 or not shells:
        return {n.key: (SIZE / 2, SIZE / 2) for n in nodes}
    positions = nx.shell_layout(graph, nlist=shells, scale=1.0)
    half = SIZE / 2 - MARGIN
    return {k: (SIZE / 2 + float(x) * half, SIZE / 2 + float(y) * half) for k, (x, y) in positions.items()}


def render_svg(title: str, nodes: Sequence[SvgNode], edges: Sequence[SvgEdge]) -> str:
    """The picture as an SVG document (labels escaped; edge labels when the picture is small)."""
    pos = layout(nodes)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}"'
        ' font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="18" refY="5" markerWidth="6" markerHeight="6"'
        ' orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#757575"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    show_edge_labels = len(edges) <= 40
    for edge in edges:
        (x1, y1), (x2, y2) = pos[edge.source], pos[edge.target]
        out.append(
            f'<g class="edge"><title>{escape(edge.label)}</title>'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#bdbdbd"'
            ' marker-end="url(#arrow)"/>'
            + (
                f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" fill="#757575" font-size="9"'
                f' text-anchor="middle">{escape(short(edge.label, 24))}</text>'
                if show_edge_labels
                else ""
            )
            + "</g>"
        )
    for node in nodes:
        x, y = pos[node.key]
        colour = PALETTE.get(node.cls or "", DEFAULT_COLOUR)
        radius = 12 if node.hops == 0 else 8
        out.append(
            f"<g class=\"node\" data-id={quoteattr(node.key)}><title>{escape(node.name)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" stroke="white"/>'
            f'<text x="{x:.1f}" y="{y - radius - 4:.1f}" text-anchor="middle">{escape(short(node.name, 32))}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


def short(text: str, width: int) -> str:
    """Cut a name to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"
