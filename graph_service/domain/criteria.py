"""The answers of /api/criteria: the criteria, filtered, and one criterion's detail."""

from __future__ import annotations

from graph_service.domain import models as m
from graph_service.domain.lookup import filter_value, lookup
from graph_service.domain.readmodel import ANR, CRITERION, FAMILY, ReadModel, as_float, iris


def list_criteria(
    read: ReadModel, lang: str, family: str | None = None, role: str | None = None, dimension: str | None = None
) -> list[m.CriterionSummary]:
    """Criteria and clauses by name; filtered by family, role or dimension (ids; InvalidValueError for an
    unknown one)."""
    index = read.index
    family_iri = filter_value(index, family, FAMILY, "purchase family", lang)
    role_iri = filter_value(index, role, ANR + "CriterionRole", "criterion role", lang)
    dimension_iri = filter_value(index, dimension, ANR + "Dimension", "dimension", lang)
    out = []
    for res in index.of_type(CRITERION):
        item = read.criterion_summary(res.iri, lang)
        if family_iri and family_iri not in {f.iri for f in item.families}:
            continue
        if role_iri and role_iri not in {r.iri for r in item.roles}:
            continue
        if dimension_iri and dimension_iri not in {d.iri for d in item.dimensions}:
            continue
        out.append(item)
    return sorted(out, key=lambda c: c.name.lower())


def criterion_detail(read: ReadModel, id: str, lang: str) -> m.CriterionDetail:
    """A criterion or clause: role, weighting, legal basis, requirement bands, labels attesting it;
    UnknownResourceError when `id` is no criterion."""
    res = lookup(read.index, id, CRITERION, "criterion", lang)
    props = read.props(res.iri)
    bands = []
    for band in iris(props.get(ANR + "hasRequirementBand")):
        bp = read.props(band)
        bands.append(
            m.RequirementBand(
                iri=band,
                amount_above=as_float(bp.get(ANR + "contractAmountAbove")),
                amount_up_to=as_float(bp.get(ANR + "contractAmountUpTo")),
                hours=int(h) if (h := as_float(bp.get(ANR + "requiredHours"))) is not None else None,
                months=as_float(bp.get(ANR + "requiredMonths")),
            )
        )
    bands.sort(key=lambda b: (b.amount_above or 0.0, b.iri))
    summary = read.criterion_summary(res.iri, lang).model_dump()
    return m.CriterionDetail(
        **{**summary, **read.described(res, lang)},
        legal_basis=read.refs(iris(props.get(ANR + "legalBasis")), lang),
        bands=bands,
        attested_by=read.refs(read.citing(res.iri, ANR + "attests"), lang),
    )
