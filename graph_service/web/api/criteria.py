"""GET /api/criteria and /api/criteria/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from graph_service.domain import models as m
from graph_service.domain.readmodel import ANR, CRITERION, FAMILY, as_float, iris
from graph_service.listing import table
from graph_service.web.api.common import (
    ERRORS,
    LIST_RESPONSES,
    Chosen,
    LangDep,
    State,
    api_routes,
    filter_value,
    id_path,
    listed,
    lookup,
)

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
    family_iri = filter_value(state, family, FAMILY, "purchase family", lang)
    role_iri = filter_value(state, role, ANR + "CriterionRole", "criterion role", lang)
    dimension_iri = filter_value(state, dimension, ANR + "Dimension", "dimension", lang)
    out = []
    for res in state.index.of_type(CRITERION):
        item = state.read.criterion_summary(res.iri, lang)
        if family_iri and family_iri not in {f.iri for f in item.families}:
            continue
        if role_iri and role_iri not in {r.iri for r in item.roles}:
            continue
        if dimension_iri and dimension_iri not in {d.iri for d in item.dimensions}:
            continue
        out.append(item)
    items = sorted(out, key=lambda c: c.name.lower())
    return listed(items, chosen, lang, lambda to: table(items, m.CriterionSummary, "criteria", to))


@router.get("/criteria/{id:path}", response_model=m.CriterionDetail, responses=ERRORS)
async def get_criterion(
    id: Annotated[str, id_path("ecolabelled-equipment")], state: State, lang: LangDep
) -> m.CriterionDetail:
    """A criterion or clause: role, weighting, legal basis, requirement bands, labels attesting it."""
    read = state.read
    res = lookup(state, id, CRITERION, "criterion", lang)
    props = read.props(res.iri)
    bands = []
    for band in iris(props.get(ANR + "hasRequirementBand")):
        bp = read.props(band)
        bands.append(m.RequirementBand(
            iri=band,
            amount_above=as_float(bp.get(ANR + "contractAmountAbove")),
            amount_up_to=as_float(bp.get(ANR + "contractAmountUpTo")),
            hours=int(h) if (h := as_float(bp.get(ANR + "requiredHours"))) is not None else None,
            months=as_float(bp.get(ANR + "requiredMonths")),
        ))
    bands.sort(key=lambda b: (b.amount_above or 0.0, b.iri))
    summary = read.criterion_summary(res.iri, lang).model_dump()
    return m.CriterionDetail(
        **{**summary, **read.described(res, lang)},
        legal_basis=read.refs(iris(props.get(ANR + "legalBasis")), lang),
        bands=bands,
        attested_by=read.refs(read.citing(res.iri, ANR + "attests"), lang),
    )

