"""GET /api/labels and /api/labels/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from graph_service.domain import models as m
from graph_service.domain.readmodel import (
    ANR,
    CATEGORY,
    CRITERION,
    DCT,
    FAMILY,
    LABEL,
    SCHEMA_URL,
    iris,
    literal,
    literals,
)
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
    read = state.read
    kind_iri = filter_value(state, kind, ANR + "LabelKind", "label kind", lang)
    category_iri = filter_value(state, category, (CATEGORY, FAMILY), "category", lang)
    criterion_iri = filter_value(state, criterion, CRITERION, "criterion", lang)
    selected = []
    covering = {item.iri for item in read.category_labels(category_iri, lang)} if category_iri else None
    for res in state.index.of_type(LABEL):
        props = read.props(res.iri)
        if kind_iri and kind_iri not in iris(props.get(ANR + "labelKind")):
            continue
        if criterion_iri and criterion_iri not in iris(props.get(ANR + "attests")):
            continue
        if covering is not None and res.iri not in covering:
            continue
        selected.append(res.iri)
    items = [read.label_summary(i, lang) for i in read.sort_labels(selected, lang)]
    return listed(items, chosen, lang, lambda to: table(items, m.LabelSummary, "labels", to))


@router.get("/labels/{id:path}", response_model=m.LabelDetail, responses=ERRORS)
async def get_label(id: Annotated[str, id_path("tco-certified")], state: State, lang: LangDep) -> m.LabelDetail:
    """A label: kinds, issuers, levels, the categories it covers (with sources), criteria it attests."""
    read = state.read
    res = lookup(state, id, LABEL, "label", lang)
    props = read.props(res.iri)
    statements = read.coverage_statements()
    covers = [
        m.CoverageStatement(coverage=cov, category=read.ref(cat, lang), sources=sources)
        for (label, cat), (cov, sources) in sorted(statements.items())
        if label == res.iri
    ]
    created = literal(props.get(DCT + "created"))
    validity = literal(props.get(ANR + "validityPeriodYears"))
    usable = literal(props.get(ANR + "usableToSelectBids"))
    return m.LabelDetail(
        **read.label_fields(res.iri, lang),
        **{k: v for k, v in read.described(res, lang).items() if k not in {"id", "iri", "name"}},
        issuers=read.refs(iris(props.get(ANR + "issuer")), lang),
        creators=read.refs(iris(props.get(DCT + "creator")), lang),
        places=read.refs(iris(props.get(DCT + "spatial")), lang),
        created=created,
        url=next(iter(iris(props.get(SCHEMA_URL))), None),
        caveats=literals(props.get(ANR + "caveat"), lang),
        usable_to_select_bids=None if usable is None else usable in ("true", "1"),
        validity_period_years=int(validity) if validity and validity.isdigit() else None,
        levels=read.refs(read.citing(res.iri, ANR + "levelOf"), lang),
        themes=read.refs(read.citing(res.iri, ANR + "themeOf"), lang),
        covers=sorted(covers, key=lambda c: c.category.name.lower()),
        attests=read.refs(iris(props.get(ANR + "attests")), lang),
    )
