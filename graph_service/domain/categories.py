"""The answers of /api/categories: the tree of families and categories, one category, its labels."""

from __future__ import annotations

from graph_service.domain import models as m
from graph_service.domain.lookup import lookup
from graph_service.domain.readmodel import ANR, CATEGORY, FAMILY, ReadModel, iris

KINDS = (FAMILY, CATEGORY)


def _is_category(read: ReadModel, iri: str) -> bool:
    return read.index.get(iri) is not None and any(read.index.is_a(iri, k) for k in KINDS)


def _node(read: ReadModel, iri: str, lang: str, seen: frozenset[str]) -> m.CategoryNode:
    """A tree node and its narrower categories (cycle-safe)."""
    children = [c for c in read.narrower.get(iri, []) if c not in seen and _is_category(read, c)]
    return m.CategoryNode(
        **read.ref(iri, lang).model_dump(),
        kind=read.category_kind(iri),  # type: ignore[arg-type]
        cpv_codes=read.cpv_refs(iris(read.props(iri).get(ANR + "cpvCode")), lang),
        children=sorted((_node(read, c, lang, seen | {iri}) for c in children), key=lambda n: n.name.lower()),
    )


def category_tree(read: ReadModel, lang: str) -> list[m.CategoryNode]:
    """Purchase families with their categories (skos:broader), and the categories under no family."""
    roots = [r.iri for r in read.index.of_type(FAMILY)]
    orphans = [
        r.iri
        for r in read.index.of_type(CATEGORY)
        if not any(_is_category(read, b) for b in read.broader.get(r.iri, []))
    ]
    return sorted((_node(read, i, lang, frozenset()) for i in [*roots, *orphans]), key=lambda n: n.name.lower())


def category_labels(read: ReadModel, id: str, lang: str) -> m.CategoryLabels:
    """Labels covering the category directly or through a broader one; UnknownResourceError for no category."""
    res = lookup(read.index, id, KINDS, "category", lang)
    return m.CategoryLabels(category=read.ref(res.iri, lang), labels=read.category_labels(res.iri, lang))


def category_detail(read: ReadModel, id: str, lang: str) -> m.CategoryDetail:
    """A family or category: broader and narrower categories, family, CPV codes; UnknownResourceError for
    no category."""
    res = lookup(read.index, id, KINDS, "category", lang)
    family = read.family_of(res.iri)
    return m.CategoryDetail(
        **read.described(res, lang),
        kind=read.category_kind(res.iri),  # type: ignore[arg-type]
        broader=read.refs(read.broader.get(res.iri, []), lang),
        narrower=read.refs(read.narrower.get(res.iri, []), lang),
        family=read.ref(family, lang) if family else None,
        cpv_codes=read.cpv_refs(iris(read.props(res.iri).get(ANR + "cpvCode")), lang),
    )
