"""The answers of /api/labels: the labels, filtered, and one label's detail."""

from __future__ import annotations

from graph_service.domain import models as m
from graph_service.domain.lookup import filter_value, lookup
from graph_service.domain.readmodel import (
    ANR,
    CATEGORY,
    CRITERION,
    DCT,
    FAMILY,
    LABEL,
    SCHEMA_URL,
    ReadModel,
    iris,
    literal,
    literals,
)


def list_labels(
    read: ReadModel, lang: str, kind: str | None = None, category: str | None = None, criterion: str | None = None
) -> list[m.LabelSummary]:
    """Labels and label levels, type I ecolabels first; filtered by kind, equipment covered (directly or
    by a broader category) or criterion attested (ids; InvalidValueError for an unknown one)."""
    index = read.index
    kind_iri = filter_value(index, kind, ANR + "LabelKind", "label kind", lang)
    category_iri = filter_value(index, category, (CATEGORY, FAMILY), "category", lang)
    criterion_iri = filter_value(index, criterion, CRITERION, "criterion", lang)
    selected = []
    covering = {item.iri for item in read.category_labels(category_iri, lang)} if category_iri else None
    for res in index.of_type(LABEL):
        if covering is not None and res.iri not in covering:
            continue
        props = read.props(res.iri) if kind_iri or criterion_iri else {}
        if kind_iri and kind_iri not in iris(props.get(ANR + "labelKind")):
            continue
        if criterion_iri and criterion_iri not in iris(props.get(ANR + "attests")):
            continue
        selected.append(res.iri)
    return [read.label_summary(i, lang) for i in read.sort_labels(selected, lang)]


def label_detail(read: ReadModel, id: str, lang: str) -> m.LabelDetail:
    """A label: kinds, issuers, levels, the categories it covers (with sources), criteria it attests;
    UnknownResourceError when `id` is no label."""
    res = lookup(read.index, id, LABEL, "label", lang)
    props = read.props(res.iri)
    covers = [
        m.CoverageStatement(coverage=cov, category=read.ref(cat, lang), sources=sources)
        for cat, (cov, sources) in sorted(read.label_coverage(res.iri).items())
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
