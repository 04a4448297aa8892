"""Pictures for people: the label × equipment heat map and the neighbourhood of a resource (HTML pages
with the SVG inline, so that its links work, and the same facts as text beside it), drawn on a thread
under the costly pages' admission (`web/costly.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from markupsafe import Markup

from graph_service.formats.representations import HTML
from graph_service.publishing import heatmap
from graph_service.rendering import message
from graph_service.web.api.paths import paths_of
from graph_service.web.costly import costly
from graph_service.web.deps import runtime
from graph_service.web.html import html_page, page_language
from graph_service.web.request import public_url, representation

router = APIRouter(tags=["pictures"])
GET_HEAD = ["GET", "HEAD"]


@router.api_route("/pictures/labels-by-equipment", methods=GET_HEAD, include_in_schema=False)
async def labels_by_equipment(request: Request) -> Response:
    """The guide's table of labels by equipment, as a heat map and as a table."""
    representation(request, (HTML,))
    return await costly(request, lambda: _labels_by_equipment(request))


def _labels_by_equipment(request: Request) -> Response:
    state = runtime(request).publication
    site = state.site(public_url(request, state.settings))
    lang = page_language(request)
    table = heatmap.heat_map(runtime(request).read, lang, lambda iri: site.href(iri, described=True))
    svg = heatmap.render(
        table,
        message("heatmap.title", lang),
        message("heatmap.desc", lang, rows=len(table.rows), columns=len(table.columns), cells=len(table.cells)),
        message("heatmap.covered", lang),
        message("heatmap.legend", lang),
    )
    return html_page(request, site, "heatmap.html", table=table, svg=Markup(svg))  # every text in it is escaped


@router.api_route("/pictures/neighbourhood/{id:path}", methods=GET_HEAD, include_in_schema=False)
async def neighbourhood_page(
    request: Request,
    id: str,
    hops: Annotated[int, Query(ge=1, le=3)] = 1,
) -> Response:
    """The neighbourhood of a resource as a picture (names never overlap; nodes are links) and a list."""
    representation(request, (HTML,))
    return await costly(request, lambda: _neighbourhood_page(request, id, hops))


def _neighbourhood_page(request: Request, id: str, hops: int) -> Response:
    state = runtime(request)
    lang = page_language(request)
    finder = paths_of(state)
    center, nodes, edges, truncated = finder.around(id, hops, lang)
    publishing = state.publication
    site = publishing.site(public_url(request, publishing.settings))
    svg = finder.draw(
        center, nodes, edges, lang, lambda iri: site.href(iri, described=state.index.get(iri) is not None)
    )
    href = {n.iri: site.href(n.iri, described=publishing.is_described(n.iri)) for n in nodes}
    return html_page(
        request,
        site,
        "neighbourhood.html",
        name=state.read.ref(center, lang).name,
        hops=hops,
        nodes=nodes,
        href=href,
        truncated=truncated,
        svg=Markup(svg),  # every text in it is escaped
        page=site.href(center, described=True),
        edges=len(edges),
    )
