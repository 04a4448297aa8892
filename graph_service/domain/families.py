"""The answer of GET /api/families/{id}: a family's categories, criteria, legal texts, obligations and
labels, built once per family and language (the graph does not change while served)."""

from __future__ import annotations

from graph_service.domain import models as m
from graph_service.domain.lookup import lookup
from graph_service.domain.readmodel import ANR, ELI, FAMILY, OBLIGATION, TEXT, ReadModel, iris


class Families:
    """Family answers from the read model, each built on first use and kept."""

    def __init__(self, read: ReadModel) -> None:
        self.read = read
        self.index = read.index
        self._details: dict[tuple[str, str], m.FamilyDetail] = {}  # keys: known families x languages

    def summaries(self, lang: str) -> list[m.FamilySummary]:
        """Every family with its categories, by name."""
        read = self.read
        return sorted(
            (
                m.FamilySummary(
                    **read.ref(r.iri, lang).model_dump(), categories=read.refs(read.descendants(r.iri), lang)
                )
                for r in self.index.of_type(FAMILY)
            ),
            key=lambda f: f.name.lower(),
        )

    def detail_of(self, id: str, lang: str) -> m.FamilyDetail:
        """The answer for the family of that id; UnknownResourceError when it is no family."""
        return self.detail(lookup(self.index, id, FAMILY, "purchase family", lang).iri, lang)

    def detail(self, iri: str, lang: str) -> m.FamilyDetail:
        """The answer for one family (an IRI the index knows as a family)."""
        key = (iri, lang)
        if key not in self._details:
            self._details[key] = self._build(iri, lang)
        return self._details[key]

    def _build(self, iri: str, lang: str) -> m.FamilyDetail:
        read = self.read
        res = self.index.by_iri[iri]
        categories = read.descendants(iri)
        covered = {iri, *categories}
        criteria = read.criteria_for([iri], categories)
        obligations = read.reaching(OBLIGATION, categories, [iri])
        bases = [b for i in [*criteria, *obligations] for b in iris(read.props(i).get(ANR + "legalBasis"))]
        texts = {self._text_of(b) for b in bases}
        labels = read.sort_labels({label for label, cat in read.coverage_statements() if cat in covered}, lang)
        return m.FamilyDetail(
            **read.described(res, lang),
            categories=read.refs(categories, lang),
            criteria=sorted(
                (read.criterion_summary(c, lang) for c in criteria),
                key=lambda c: ([r.id for r in c.roles], c.name.lower()),
            ),
            legal_texts=read.refs(texts, lang),
            obligations=read.refs(obligations, lang),
            labels=[read.label_summary(i, lang) for i in labels],
        )

    def _text_of(self, basis: str) -> str:
        """The legal text an article is part of (the basis itself for a text)."""
        current, seen = basis, {basis}
        while not self.index.is_a(current, TEXT):
            parents = iris(self.read.props(current).get(ELI + "is_part_of"))
            if not parents or parents[0] in seen:
                return basis
            current = parents[0]
            seen.add(current)
        return current
