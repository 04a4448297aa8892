"""GET /api/laws and /api/laws/{id}: legal texts and articles (ELI)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Response

from graph_service.domain import laws
from graph_service.domain import models as m
from graph_service.domain.listing import table
from graph_service.web.api.common import ERRORS, LIST_RESPONSES, Chosen, LangDep, State, api_routes, id_path, listed

router = api_routes("law")


@router.get("/laws", response_model=list[m.LawSummary], responses=LIST_RESPONSES)
async def list_laws(
    chosen: Chosen,
    state: State,
    lang: LangDep,
    kind: Annotated[Literal["text", "article"] | None, Query(description="Only texts or only articles")] = None,
    type: Annotated[str | None, Query(description="Legal text type id", examples=["decree"])] = None,
) -> list[m.LawSummary] | Response:
    """Legal texts and their articles."""
    items = laws.list_laws(state.read, lang, kind, type)
    return listed(items, chosen, lang, lambda to: table(items, m.LawSummary, "laws", to))


@router.get("/laws/{id:path}", response_model=m.LawDetail, responses=ERRORS)
async def get_law(id: Annotated[str, id_path("decret-2021-254")], state: State, lang: LangDep) -> m.LawDetail:
    """A legal text or article: dates, articles, and the obligations and criteria resting on it."""
    return laws.law_detail(state.read, id, lang)
