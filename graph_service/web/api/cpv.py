"""GET /api/cpv/{code}: the procurement profile of a CPV code, as of a date."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from graph_service.domain import models as m
from graph_service.web.api.common import ERRORS, DayQuery, LangDep, State, api_routes
from graph_service.web.caching import for_today

router = api_routes("cpv")


@router.get("/cpv/{code}", response_model=m.CpvProfile, responses=ERRORS)
async def cpv_profile(
    request: Request,
    code: Annotated[
        str, Path(description="8 digits and an optional check digit", examples=["30213100-6"], max_length=40)
    ],
    state: State,
    lang: LangDep,
    date: DayQuery = None,
) -> m.CpvProfile:
    """Category and family, minimum reused/recycled shares in force, labels accepted as proof
    (type I first), criteria and clauses with role and weighting, and sources. A code missing from
    the graph is answered by its nearest ancestor (digits zeroed from the right, skos:broader)."""
    if not date:
        for_today(request)
    return state.profiler.profile_on(code, date, lang)
