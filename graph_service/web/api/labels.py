"""GET /api/labels and /api/labels/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from graph_service.domain import labels
from graph_service.domain import models as m
from graph_service.domain.listing import table
from graph_service.web.api.common import ERRORS, LIST_RESPONSES, Chosen, LangDep, State, api_routes, id_path, listed

router = api_routes("labels")


@router.get("/labels", response_model=list[m.LabelSummary], responses=LIST_RESPONSES)
async def list_labels(
    chosen: Chosen,
    state: State,
    lang: LangDep,
    kind: Annotated[str | None, Query(description="Label kind id", examples=["type-1-ecolabel"])] = None,
    category: Annotated[
        str | None, Query(description="Equipment covered (directly or by a broader category)", examples=["laptop"])
    ] = None,
    criterion: Annotated[
        str | None, Query(description="Criterion attested", examples=["ecolabelled-equipment"])
    ] = None,
) -> list[m.LabelSummary] | Response:
    """Labels and label levels, type I ecolabels first; filter by kind, equipment or criterion."""
    items = labels.list_labels(state.read, lang, kind, category, criterion)
    return listed(items, chosen, lang, lambda to: table(items, m.LabelSummary, "labels", to))


@router.get("/labels/{id:path}", response_model=m.LabelDetail, responses=ERRORS)
async def get_label(id: Annotated[str, id_path("tco-certified")], state: State, lang: LangDep) -> m.LabelDetail:
    """A label: kinds, issuers, levels, the categories it covers (with sources), criteria it attests."""
    return labels.label_detail(state.read, id, lang)
