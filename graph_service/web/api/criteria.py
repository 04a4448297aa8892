"""GET /api/criteria and /api/criteria/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from graph_service.domain import criteria
from graph_service.domain import models as m
from graph_service.domain.listing import table
from graph_service.web.api.common import ERRORS, LIST_RESPONSES, Chosen, LangDep, State, api_routes, id_path, listed

router = api_routes("criteria")


@router.get("/criteria", response_model=list[m.CriterionSummary], responses=LIST_RESPONSES)
async def list_criteria(
    chosen: Chosen,
    state: State,
    lang: LangDep,
    family: Annotated[str | None, Query(description="Purchase family id", examples=["office-equipment"])] = None,
    role: Annotated[str | None, Query(description="Criterion role id", examples=["award-criterion"])] = None,
    dimension: Annotated[str | None, Query(description="Dimension id", examples=["social"])] = None,
) -> list[m.CriterionSummary] | Response:
    """Criteria and clauses with role, dimension and minimum weighting; filter by family, role, dimension."""
    items = criteria.list_criteria(state.read, lang, family, role, dimension)
    return listed(items, chosen, lang, lambda to: table(items, m.CriterionSummary, "criteria", to))


@router.get("/criteria/{id:path}", response_model=m.CriterionDetail, responses=ERRORS)
async def get_criterion(
    id: Annotated[str, id_path("ecolabelled-equipment")], state: State, lang: LangDep
) -> m.CriterionDetail:
    """A criterion or clause: role, weighting, legal basis, requirement bands, labels attesting it."""
    return criteria.criterion_detail(state.read, id, lang)
