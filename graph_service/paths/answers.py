"""The answers of /api/paths and /api/neighbourhood/{id} (and of the neighbourhood picture): the
projection's paths and neighbourhoods, named by the read model, as API models.

Refusals are the domain's (`domain/errors.py`): an id the path graph does not hold, or two ends alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph_service.domain import models as m
from graph_service.domain.errors import InvalidValueError, UnknownResourceError
from graph_service.domain.index import short_id
from graph_service.domain.lookup import suggestions
from graph_service.domain.readmodel import ReadModel
from graph_service.paths.projection import Projection
from graph_service.paths.search import edges_within, explain, neighbourhood, shortest_paths, steps_of
from graph_service.paths.svg import SvgEdge, SvgNode, render_svg

MAX_NODES = 300
MAIN_CLASSES = (
    "LabelLevel",
    "Label",
    "PurchaseFamily",
    "PurchaseCategory",
    "CpvCode",
    "Criterion",
    "MinimumShareRequirement",
    "Obligation",
    "LegalResourceSubdivision",
    "LegalResource",
    "Organization",
    "LabelKind",
    "LabelTheme",
)
Edge = tuple[str, str, str]


@dataclass(frozen=True)
class Paths:
    """Paths and neighbourhoods over the projection, named by the read model."""

    read: ReadModel
    projection: Projection

    def node_of(self, raw: str, what: str, lang: str) -> str:
        """A node of the projection, or UnknownResourceError with the closest ids."""
        index = self.read.index
        res = index.resolve(raw)
        if res is not None and res.iri in self.projection.graph:
            return res.iri
        reason = f"{res.id!r} is not part of the path graph" if res else f"no resource with id {raw!r}"
        pool = [r for r in index.suggest(raw) if r.iri in self.projection.graph]
        raise UnknownResourceError(f"{what}: {reason}", suggestions(pool, lang))

    def predicate(self, iri: str, lang: str) -> m.Predicate:
        """A predicate with its fr/en labels."""
        proj = self.projection
        return m.Predicate(
            iri=iri,
            id=short_id(iri),
            label=proj.predicate_label(iri, lang),
            labels={x: proj.predicate_label(iri, x) for x in ("fr", "en")},
        )

    def main_class(self, iri: str) -> str | None:
        """The most telling class name of a resource."""
        res = self.read.index.get(iri)
        names = {short_id(t) for t in res.types} if res else set()
        return next((c for c in MAIN_CLASSES if c in names), min(names, default=None))

    def between(self, source: str, target: str, max_hops: int, limit: int, lang: str) -> m.PathsResult:
        """The shortest simple paths between two resources (ids), each step explained."""
        start, end = self.node_of(source, "from", lang), self.node_of(target, "to", lang)
        if start == end:
            raise InvalidValueError("expected two different resources in from and to")
        read = self.read
        name = lambda iri: read.ref(iri, lang).name  # noqa: E731
        out = []
        for path in shortest_paths(self.projection, start, end, max_hops, limit):
            steps = steps_of(self.projection, path)
            out.append(
                m.PathOut(
                    hops=len(steps),
                    nodes=[read.ref(n, lang) for n in path],
                    steps=[
                        m.Step.model_validate(
                            {
                                "from": read.ref(s.source, lang),
                                "predicate": self.predicate(s.predicate, lang),
                                "to": read.ref(s.target, lang),
                                "inverse": s.inverse,
                                "sources": list(s.sources),
                            }
                        )
                        for s in steps
                    ],
                    explanation=explain(self.projection, path, steps, name, lang),
                )
            )
        return m.PathsResult.model_validate(
            {"from": read.ref(start, lang), "to": read.ref(end, lang), "max_hops": max_hops, "paths": out}
        )

    def around(self, id: str, hops: int, lang: str) -> tuple[str, list[m.NodeOut], list[Edge], bool]:
        """The centre, the nodes (nearest first), the edges and whether MAX_NODES cut the neighbourhood."""
        center = self.node_of(id, "id", lang)
        distances, truncated = neighbourhood(self.projection, center, hops, MAX_NODES)
        edges = edges_within(self.projection, distances)
        nodes = [
            m.NodeOut.model_validate({**self.read.ref(n, lang).model_dump(), "hops": d, "class": self.main_class(n)})
            for n, d in sorted(distances.items(), key=lambda kv: (kv[1], kv[0]))
        ]
        return center, nodes, edges, truncated

    def neighbourhood(self, id: str, hops: int, lang: str) -> m.Neighbourhood:
        """The subgraph around a resource."""
        center, nodes, edges, truncated = self.around(id, hops, lang)
        return m.Neighbourhood(
            center=self.read.ref(center, lang),
            hops=hops,
            nodes=nodes,
            truncated=truncated,
            edges=[
                m.EdgeOut(source=short_id(s), target=short_id(o), predicate=self.predicate(p, lang))
                for s, p, o in edges
            ],
        )

    def picture(self, id: str, hops: int, lang: str, href: Callable[[str], str]) -> str:
        """The neighbourhood as SVG: names that do not overlap, a legend, each node a link (`href`)."""
        center, nodes, edges, _truncated = self.around(id, hops, lang)
        return self.draw(center, nodes, edges, lang, href)

    def draw(
        self, center: str, nodes: list[m.NodeOut], edges: list[Edge], lang: str, href: Callable[[str], str]
    ) -> str:
        """The SVG of a neighbourhood already found."""
        name = self.read.ref(center, lang).name
        words = {
            "fr": f"Voisinage de « {name} » dans le graphe : {len(nodes)} nœuds, {len(edges)} liens.",
            "en": f"Neighbourhood of “{name}” in the graph: {len(nodes)} nodes, {len(edges)} links.",
        }
        return render_svg(
            name,
            [SvgNode(n.iri, n.name, n.cls, n.hops) for n in nodes],
            [SvgEdge(s, o, self.projection.predicate_label(p, lang)) for s, p, o in edges],
            href=href,
            legend_names=self.class_names(nodes, lang),
            description=words.get(lang, words["en"]),
        )

    def class_names(self, nodes: list[m.NodeOut], lang: str) -> dict[str, str]:
        """The name of each main class in the picture, for its legend."""
        out: dict[str, str] = {}
        for node in nodes:
            res = self.read.index.get(node.iri)
            for kind in res.types if res else ():
                if node.cls and short_id(kind) == node.cls and node.cls not in out:
                    out[node.cls] = self.read.ref(kind, lang).name
        return out
