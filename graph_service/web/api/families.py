"""GET /api/families and /api/families/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Response

from graph_service.domain import models as m
from graph_service.domain.listing import table
from graph_service.web.api.common import (
    ERRORS,
    LIST_RESPONSES,
    Chosen,
    LangDep,
    State,
    api_routes,
    id_path,
    listed,
)

router = api_routes("families")


@router.get("/families", response_model=list[m.FamilySummary], responses=LIST_RESPONSES)
async def list_families(chosen: Chosen, state: State, lang: LangDep) -> list[m.FamilySummary] | Response:
    """The purchase families: the six of the guide's practical sheets and the graph's own grouping
    of other repairable products, with their categories."""
    items = state.families.summaries(lang)
    return listed(items, chosen, lang, lambda to: table(items, m.FamilySummary, "families", to))


@router.get("/families/{id:path}", response_model=m.FamilyDetail, responses=ERRORS)
async def get_family(id: Annotated[str, id_path("office-equipment")], state: State, lang: LangDep) -> m.FamilyDetail:
    """A family: categories, criteria (role, weighting), legal texts, obligations and labels."""
    return state.families.detail_of(id, lang)
