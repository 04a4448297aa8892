"""GET /api/categories (the tree), /api/categories/{id}, /api/categories/{id}/labels and
/api/categories/{id}/eforms (the contract notice's eForms values, domain/eforms.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query, Request, Response

from graph_service.domain import models as m
from graph_service.domain.eforms import NoticeValues, notice_values
from graph_service.domain.readmodel import ANR, CATEGORY, FAMILY, ReadModel, iris
from graph_service.listing import table, tree_table
from graph_service.problems import unprocessable
from graph_service.web.api.common import (
    ERRORS,
    LIST_BY_ID_RESPONSES,
    LIST_RESPONSES,
    Chosen,
    LangDep,
    State,
    api_routes,
    id_path,
    listed,
    lookup,
)
from graph_service.web.caching import for_today

router = api_routes("categories")
KINDS = (FAMILY, CATEGORY)


def node(read: ReadModel, iri: str, lang: str, seen: frozenset[str]) -> m.CategoryNode:
    """A tree node and its narrower categories (cycle-safe)."""
    children = [c for c in read.narrower.get(iri, []) if c not in seen and read.index.get(c)
                and any(read.index.is_a(c, k) for k in KINDS)]
    return m.CategoryNode(
        **read.ref(iri, lang).model_dump(),
        kind=read.category_kind(iri),  # type: ignore[arg-type]
        cpv_codes=read.cpv_refs(iris(read.props(iri).get(ANR + "cpvCode")), lang),
        children=sorted((node(read, c, lang, seen | {iri}) for c in children), key=lambda n: n.name.lower()),
    )


@router.get("/categories", response_model=list[m.CategoryNode], responses=LIST_RESPONSES)
async def category_tree(chosen: Chosen, state: State, lang: LangDep) -> list[m.CategoryNode] | Response:
    """Purchase families with their categories, as a tree (skos:broader)."""
    read = state.read
    roots = [r.iri for r in state.index.of_type(FAMILY)]
    orphans = [r.iri for r in state.index.of_type(CATEGORY)
               if not any(read.index.get(b) and any(read.index.is_a(b, k) for k in KINDS)
                          for b in read.broader.get(r.iri, []))]
    items = sorted((node(read, i, lang, frozenset()) for i in [*roots, *orphans]), key=lambda n: n.name.lower())
    return listed(items, chosen, lang, lambda to: tree_table(items, "categories", to))


@router.get("/categories/{id:path}/labels", response_model=m.CategoryLabels, responses=LIST_BY_ID_RESPONSES)
async def category_labels(
    id: Annotated[str, id_path("laptop")], chosen: Chosen, state: State, lang: LangDep
) -> m.CategoryLabels | Response:
    """Labels covering the category directly or through a broader category, with how and sources."""
    res = lookup(state, id, KINDS, "category", lang)
    answer = m.CategoryLabels(category=state.read.ref(res.iri, lang), labels=state.read.category_labels(res.iri, lang))
    return listed(answer, chosen, lang, lambda to: table(answer.labels, m.CategoryLabel, f"labels-{res.id}", to))


@router.get("/categories/{id:path}/eforms", response_model=NoticeValues, responses=ERRORS)
async def category_eforms(
    request: Request,
    id: Annotated[str, id_path("laptop")],
    state: State,
    lang: LangDep,
    date: Annotated[str | None, Query(description="Answer as of this day (YYYY-MM-DD); default today",
                                      examples=["2024-01-01"], pattern=r"^\d{4}-\d{2}-\d{2}$",
                                      json_schema_extra={"format": "date"})] = None,
) -> NoticeValues:
    """What a contract notice (eForms) takes for a lot of this category: strategic procurement
    (BT-06), green procurement (BT-774) and green procurement criteria (BT-805) codes, each with the
    criteria and obligations that give it, and the EU GPP criteria close to the guide's criteria
    (with whether their identifier was verified)."""
    res = lookup(state, id, CATEGORY, "category", lang)
    if not date:
        for_today(request)
    try:
        on = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise unprocessable(f"date {date!r}: expected a day YYYY-MM-DD, e.g. 2024-01-01") from None
    return notice_values(state.read, res.iri, lang, on)


@router.get("/categories/{id:path}", response_model=m.CategoryDetail, responses=ERRORS)
async def get_category(id: Annotated[str, id_path("computers")], state: State, lang: LangDep) -> m.CategoryDetail:
    """A family or category: broader and narrower categories, family, CPV codes."""
    read = state.read
    res = lookup(state, id, KINDS, "category", lang)
    family = read.family_of(res.iri)
    return m.CategoryDetail(
        **read.described(res, lang),
        kind=read.category_kind(res.iri),  # type: ignore[arg-type]
        broader=read.refs(read.broader.get(res.iri, []), lang),
        narrower=read.refs(read.narrower.get(res.iri, []), lang),
        family=read.ref(family, lang) if family else None,
        cpv_codes=read.cpv_refs(iris(read.props(res.iri).get(ANR + "cpvCode")), lang),
    )
