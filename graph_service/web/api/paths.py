"""GET /api/paths (shortest simple paths, explained) and /api/neighbourhood/{id} (JSON or SVG)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from graph_service.domain import models as m
from graph_service.domain.index import short_id
from graph_service.domain.lookup import suggestions
from graph_service.paths.search import edges_within, explain, neighbourhood, shortest_paths, steps_of
from graph_service.paths.svg import SvgEdge, SvgNode, render_svg
from graph_service.problems import not_found, unprocessable
from graph_service.publishing.iris import Site
from graph_service.representations import SVG
from graph_service.runtime import Runtime
from graph_service.web.api.common import (
    ERRORS,
    NOT_ACCEPTABLE,
    Chosen,
    LangDep,
    State,
    api_routes,
    id_path,
)
from graph_service.web.request import public_url

router = api_routes("paths")
MAX_NODES = 300
MAIN_CLASSES = (
    "LabelLevel", "Label", "PurchaseFamily", "PurchaseCategory", "CpvCode", "Criterion", "MinimumShareRequirement",
    "Obligation", "LegalResourceSubdivision", "LegalResource", "Organization", "LabelKind", "LabelTheme",
)


def node_of(state: Runtime, raw: str, what: str, lang: str) -> str:
    """A node of the projection, or 404 with the closest ids."""
    res = state.index.resolve(raw)
    if res is not None and res.iri in state.projection.graph:
        return res.iri
    reason = f"{res.id!r} is not part of the path graph" if res else f"no resource with id {raw!r}"
    pool = [r for r in state.index.suggest(raw) if r.iri in state.projection.graph]
    raise not_found(f"{what}: {reason}", suggestions(pool, lang))


def predicate(state: Runtime, iri: str, lang: str) -> m.Predicate:
    """A predicate with its fr/en labels."""
    proj = state.projection
    return m.Predicate(iri=iri, id=short_id(iri), label=proj.predicate_label(iri, lang),
                       labels={x: proj.predicate_label(iri, x) for x in ("fr", "en")})


def main_class(state: Runtime, iri: str) -> str | None:
    """The most telling class name of a resource."""
    res = state.index.get(iri)
    names = {short_id(t) for t in res.types} if res else set()
    return next((c for c in MAIN_CLASSES if c in names), min(names, default=None))


@router.get("/paths", response_model=m.PathsResult, responses=ERRORS)
def paths(
    state: State,
    lang: LangDep,
    source: Annotated[str, Query(alias="from", description="Start resource (id or IRI)", examples=["tco-certified"],
                                 max_length=2000)],
    target: Annotated[str, Query(alias="to", description="End resource (id or IRI)",
                                 examples=["social-memo-supply-chain-traceability"], max_length=2000)],
    max_hops: Annotated[int, Query(ge=1, le=8, description="Longest path, in edges")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="How many paths")] = 5,
) -> m.PathsResult:
    """The shortest simple paths between two resources (edges walked both ways), each step as
    (node, predicate, node), with a sentence that explains the path."""
    start, end = node_of(state, source, "from", lang), node_of(state, target, "to", lang)
    if start == end:
        raise unprocessable("expected two different resources in from and to")
    name = lambda iri: state.read.ref(iri, lang).name  # noqa: E731
    out = []
    for path in shortest_paths(state.projection, start, end, max_hops, limit):
        steps = steps_of(state.projection, path)
        out.append(m.PathOut(
            hops=len(steps), nodes=[state.read.ref(n, lang) for n in path],
            steps=[m.Step.model_validate({
                "from": state.read.ref(s.source, lang), "predicate": predicate(state, s.predicate, lang),
                "to": state.read.ref(s.target, lang), "inverse": s.inverse, "sources": list(s.sources),
            }) for s in steps],
            explanation=explain(state.projection, path, steps, name, lang),
        ))
    return m.PathsResult.model_validate({"from": state.read.ref(start, lang), "to": state.read.ref(end, lang),
                                         "max_hops": max_hops, "paths": out})


@router.get(
    "/neighbourhood/{id:path}",
    response_model=m.Neighbourhood,
    responses={200: {"content": {SVG.media_type: {"schema": {"type": "string"}}}}, **NOT_ACCEPTABLE, **ERRORS},
)
def neighbourhood_of(
    id: Annotated[str, id_path("laptop")],
    request: Request,
    chosen: Chosen,
    state: State,
    lang: LangDep,
    hops: Annotated[int, Query(ge=1, le=3, description="Radius, in edges")] = 2,
) -> m.Neighbourhood | Response:
    """The subgraph around a resource: JSON, or an SVG picture (Accept: image/svg+xml or ?format=svg)."""
    center = node_of(state, id, "id", lang)
    distances, truncated = neighbourhood(state.projection, center, hops, MAX_NODES)
    edges = edges_within(state.projection, distances)
    nodes = neighbourhood_nodes(state, distances, lang)
    if chosen is SVG:
        site = Site(state.settings.base_iri, public_url(request, state.settings))
        return Response(picture(state, site, center, nodes, edges, lang), media_type=SVG.content_type)
    return m.Neighbourhood(
        center=state.read.ref(center, lang), hops=hops, nodes=nodes, truncated=truncated,
        edges=[m.EdgeOut(source=short_id(s), target=short_id(o), predicate=predicate(state, p, lang))
               for s, p, o in edges],
    )


def neighbourhood_nodes(state: Runtime, distances: dict[str, int], lang: str) -> list[m.NodeOut]:
    """The nodes of a neighbourhood with their names, hops and main class, nearest first."""
    return [m.NodeOut.model_validate({**state.read.ref(n, lang).model_dump(), "hops": d, "class": main_class(state, n)})
            for n, d in sorted(distances.items(), key=lambda kv: (kv[1], kv[0]))]


def class_names(state: Runtime, nodes: list[m.NodeOut], lang: str) -> dict[str, str]:
    """The name of each main class in the picture, for its legend."""
    out: dict[str, str] = {}
    for node in nodes:
        res = state.index.get(node.iri)
        for kind in res.types if res else ():
            if node.cls and short_id(kind) == node.cls and node.cls not in out:
                out[node.cls] = state.read.ref(kind, lang).name
    return out


def picture(
    state: Runtime, site: Site, center: str, nodes: list[m.NodeOut], edges: list[tuple[str, str, str]], lang: str,
) -> str:
    """The neighbourhood as SVG: names that do not overlap, a legend, each node a link to its page."""
    name = state.read.ref(center, lang).name
    words = {"fr": f"Voisinage de « {name} » dans le graphe : {len(nodes)} nœuds, {len(edges)} liens.",
             "en": f"Neighbourhood of “{name}” in the graph: {len(nodes)} nodes, {len(edges)} links."}
    return render_svg(
        name,
        [SvgNode(n.iri, n.name, n.cls, n.hops) for n in nodes],
        [SvgEdge(s, o, state.projection.predicate_label(p, lang)) for s, p, o in edges],
        href=lambda iri: site.href(iri, described=state.index.get(iri) is not None),
        legend_names=class_names(state, nodes, lang),
        description=words.get(lang, words["en"]),
    )
