"""GET /api/paths (shortest simple paths, explained) and /api/neighbourhood/{id} (JSON or SVG)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from graph_service.domain import models as m
from graph_service.formats.representations import SVG
from graph_service.paths.answers import Paths
from graph_service.publishing.iris import Site
from graph_service.runtime import Runtime
from graph_service.web.api.common import ERRORS, NOT_ACCEPTABLE, Chosen, LangDep, State, api_routes, id_path
from graph_service.web.request import public_url

router = api_routes("paths")


def paths_of(state: Runtime) -> Paths:
    """The paths' answers over the runtime's read model and projection."""
    return Paths(state.read, state.projection)


def linker(request: Request, state: Runtime) -> Site:
    """The public site of the request (the picture's links)."""
    return Site(state.settings.base_iri, public_url(request, state.settings))


@router.get("/paths", response_model=m.PathsResult, responses=ERRORS)
def paths(
    state: State,
    lang: LangDep,
    source: Annotated[
        str, Query(alias="from", description="Start resource (id or IRI)", examples=["tco-certified"], max_length=2000)
    ],
    target: Annotated[
        str,
        Query(
            alias="to",
            description="End resource (id or IRI)",
            examples=["social-memo-supply-chain-traceability"],
            max_length=2000,
        ),
    ],
    max_hops: Annotated[int, Query(ge=1, le=8, description="Longest path, in edges")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="How many paths")] = 5,
) -> m.PathsResult:
    """The shortest simple paths between two resources (edges walked both ways), each step as
    (node, predicate, node), with a sentence that explains the path."""
    return paths_of(state).between(source, target, max_hops, limit, lang)


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
    if chosen is SVG:
        site = linker(request, state)
        svg = paths_of(state).picture(
            id, hops, lang, lambda iri: site.href(iri, described=state.index.get(iri) is not None)
        )
        return Response(svg, media_type=SVG.content_type)
    return paths_of(state).neighbourhood(id, hops, lang)
