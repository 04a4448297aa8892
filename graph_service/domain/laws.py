"""The answers of /api/laws: legal texts and articles (ELI), and one text's or article's detail."""

from __future__ import annotations

from typing import Any

from graph_service.domain import models as m
from graph_service.domain.index import Resource
from graph_service.domain.lookup import filter_value, lookup
from graph_service.domain.readmodel import ANR, ARTICLE, ELI, TEXT, ReadModel, as_date, iris, literal

RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"


def summary_fields(read: ReadModel, res: Resource, lang: str) -> dict[str, Any]:
    """The fields of models.LawSummary."""
    props = read.props(res.iri)
    kind = "article" if ARTICLE in res.types else "text"
    parent = iris(props.get(ELI + "is_part_of"))
    types = iris(props.get(ELI + "type_document"))
    return {
        **read.ref(res.iri, lang).model_dump(),
        "kind": kind,
        "type": read.ref(types[0], lang) if types else None,
        "number": literal(props.get(ELI + "id_local")),
        "date": as_date(props.get(ELI + "date_document")),
        "part_of": read.ref(parent[0], lang) if parent else None,
    }


def list_laws(read: ReadModel, lang: str, kind: str | None = None, type: str | None = None) -> list[m.LawSummary]:
    """Legal texts and their articles, texts first; filtered by kind (text, article) or type of text (an id;
    InvalidValueError for an unknown one)."""
    index = read.index
    type_iri = filter_value(index, type, ANR + "LegalTextType", "legal text type", lang)
    items = []
    for res in {r.iri: r for c in (TEXT, ARTICLE) for r in index.of_type(c)}.values():
        item = m.LawSummary.model_validate(summary_fields(read, res, lang))
        if (kind and item.kind != kind) or (type_iri and (item.type is None or item.type.iri != type_iri)):
            continue
        items.append(item)
    items.sort(key=lambda i: (i.kind, i.name.lower()))
    return items


def law_detail(read: ReadModel, id: str, lang: str) -> m.LawDetail:
    """A legal text or article: dates, articles, and the obligations and criteria resting on it;
    UnknownResourceError when `id` is neither."""
    res = lookup(read.index, id, (TEXT, ARTICLE), "legal text", lang)
    props = read.props(res.iri)
    articles = read.citing(res.iri, ELI + "is_part_of")
    citing = {*read.citing(res.iri, ANR + "legalBasis")}
    for article in articles:
        citing.update(read.citing(article, ANR + "legalBasis"))
    return m.LawDetail(
        **{**summary_fields(read, res, lang), **read.described(res, lang)},
        title=literal(props.get(ELI + "title"), lang),
        entry_into_force=as_date(props.get(ELI + "first_date_entry_in_force")),
        see_also=iris(props.get(RDFS_SEE_ALSO)),
        articles=read.refs(articles, lang),
        cited_by=read.refs(citing, lang),
    )
