"""GET /api/families and /api/families/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from graph_service.domain import models as m
from graph_service.domain.readmodel import ANR, ELI, FAMILY, OBLIGATION, TEXT, ReadModel, iris
from graph_service.web.api.common import ERRORS, INVALID, JsonRoute, LangDep, State, id_path, lookup

router = APIRouter(route_class=JsonRoute, tags=["families"])


def applies_to(read: ReadModel, iri: str, scope: set[str]) -> bool:
    """Whether a criterion or obligation applies to the family or one of its categories."""
    props = read.props(iri)
    return bool(scope & {*iris(props.get(ANR + "appliesToFamily")), *iris(props.get(ANR + "appliesToCategory"))})


def text_of(read: ReadModel, basis: str) -> str:
    """The legal text an article is part of (the basis itself for a text)."""
    current, seen = basis, {basis}
    while not read.index.is_a(current, TEXT):
        parents = iris(read.props(current).get(ELI + "is_part_of"))
        if not parents or parents[0] in seen:
            return basis
        current = parents[0]
        seen.add(current)
    return current


@router.get("/families", response_model=list[m.FamilySummary], responses=INVALID)
async def list_families(state: State, lang: LangDep) -> list[m.FamilySummary]:
    """The six purchase families of the guide's practical sheets, with their categories."""
    read = state.read
    return sorted(
        (m.FamilySummary(**read.ref(r.iri, lang).model_dump(), categories=read.refs(read.descendants(r.iri), lang))
         for r in state.index.of_type(FAMILY)),
        key=lambda f: f.name.lower(),
    )


@router.get("/families/{id:path}", response_model=m.FamilyDetail, responses=ERRORS)
async def get_family(id: Annotated[str, id_path("office-equipment")], state: State, lang: LangDep) -> m.FamilyDetail:
    """A family: categories, criteria (role, weighting), legal texts, obligations and labels."""
    read = state.read
    res = lookup(state, id, FAMILY, "purchase family", lang)
    categories = read.descendants(res.iri)
    scope = {res.iri, *categories}
    criteria = read.criteria_for([res.iri], categories)
    obligations = [o.iri for o in state.index.of_type(OBLIGATION) if applies_to(read, o.iri, scope)]
    texts = {text_of(read, b) for i in [*criteria, *obligations] for b in iris(read.props(i).get(ANR + "legalBasis"))}
    statements = read.coverage_statements()
    labels = read.sort_labels({label for label, cat in statements if cat in scope}, lang)
    return m.FamilyDetail(
        **read.described(res, lang),
        categories=read.refs(categories, lang),
        criteria=sorted((read.criterion_summary(c, lang) for c in criteria),
                        key=lambda c: ([r.id for r in c.roles], c.name.lower())),
        legal_texts=read.refs(texts, lang),
        obligations=read.refs(obligations, lang),
        labels=[read.label_summary(i, lang) for i in labels],
    )
