"""GET /api/categories (the tree), /api/categories/{id}, /api/categories/{id}/labels and
/api/categories/{id}/eforms (the contract notice's eForms values, domain/eforms.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Response

from graph_service.domain import categories
from graph_service.domain import models as m
from graph_service.domain.eforms import NoticeValues, category_notice_values
from graph_service.domain.listing import table, tree_table
from graph_service.web.api.common import (
    ERRORS,
    LIST_BY_ID_RESPONSES,
    LIST_RESPONSES,
    Chosen,
    DayQuery,
    LangDep,
    State,
    api_routes,
    id_path,
    listed,
)
from graph_service.web.caching import for_today

router = api_routes("categories")


@router.get("/categories", response_model=list[m.CategoryNode], responses=LIST_RESPONSES)
async def category_tree(chosen: Chosen, state: State, lang: LangDep) -> list[m.CategoryNode] | Response:
    """Purchase families with their categories, as a tree (skos:broader)."""
    items = categories.category_tree(state.read, lang)
    return listed(items, chosen, lang, lambda to: tree_table(items, "categories", to))


@router.get("/categories/{id:path}/labels", response_model=m.CategoryLabels, responses=LIST_BY_ID_RESPONSES)
async def category_labels(
    id: Annotated[str, id_path("laptop")], chosen: Chosen, state: State, lang: LangDep
) -> m.CategoryLabels | Response:
    """Labels covering the category directly or through a broader category, with how and sources."""
    answer = categories.category_labels(state.read, id, lang)
    name = f"labels-{answer.category.id}"
    return listed(answer, chosen, lang, lambda to: table(answer.labels, m.CategoryLabel, name, to))


@router.get("/categories/{id:path}/eforms", response_model=NoticeValues, responses=ERRORS)
async def category_eforms(
    request: Request,
    id: Annotated[str, id_path("laptop")],
    state: State,
    lang: LangDep,
    date: DayQuery = None,
) -> NoticeValues:
    """What a contract notice (eForms) takes for a lot of this category: strategic procurement
    (BT-06), green procurement (BT-774) and green procurement criteria (BT-805) codes, each with the
    criteria and obligations that give it, and the EU GPP criteria close to the guide's criteria
    (with whether their identifier was verified)."""
    if not date:
        for_today(request)
    return category_notice_values(state.read, id, date, lang)


@router.get("/categories/{id:path}", response_model=m.CategoryDetail, responses=ERRORS)
async def get_category(id: Annotated[str, id_path("computers")], state: State, lang: LangDep) -> m.CategoryDetail:
    """A family or category: broader and narrower categories, family, CPV codes."""
    return categories.category_detail(state.read, id, lang)
