"""Model clauses (data/clauses.ttl): one per criterion a sheet proposes, read through the domain accessor."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from graph_service.domain.clauses import ClauseBook
from graph_service.domain.index import build_index
from graph_service.domain.readmodel import CATEGORY, CRITERION, FAMILY, ReadModel
from graph_service.domain.sheet import folded
from graph_service.namespaces import BASE_IRI, sparql_prologue

CRIT, VOC, LAW = BASE_IRI + "id/criterion/", BASE_IRI + "id/vocab/", BASE_IRI + "id/legal/"
# Where a clause may go, by the role of its criterion.
DOCUMENTS_BY_ROLE = {
    "technical-specification": {"cctp", "rc", "response-annex", "bpu"},
    "award-criterion": {"rc", "response-annex", "cctp"},
    "performance-condition": {"ccap", "cctp", "response-annex", "bpu"},
    "sourcing-question": {"sourcing-questionnaire"},
    "exclusion-ground": {"rc"},
    "reserved-contract": {"rc"},
}


@pytest.fixture(scope="module")
def read(store: ox.Store) -> ReadModel:
    return ReadModel(store, build_index(store, BASE_IRI))


@pytest.fixture(scope="module")
def book(read: ReadModel) -> ClauseBook:
    return ClauseBook(read)


def proposed_criteria(read: ReadModel) -> set[str]:
    """Every criterion some category or family sheet proposes (the sheets' own selection)."""
    found: set[str] = set()
    for res in read.index.of_type(CATEGORY):
        family = read.family_of(res.iri)
        found.update(read.criteria_for([family] if family else [], [res.iri]))
    for res in read.index.of_type(FAMILY):
        cats = [c for c in read.descendants(res.iri) if read.index.is_a(c, CATEGORY)]
        found.update(read.criteria_for([res.iri], cats))
    return found


def clause_counts(store: ox.Store) -> dict[str, int]:
    rows = store.query(
        sparql_prologue()
        + """
        SELECT ?criterion (COUNT(DISTINCT ?clause) AS ?n) WHERE {
          ?criterion a anr:Criterion . OPTIONAL { ?clause a anr:ModelClause ; anr:clauseFor ?criterion }
        } GROUP BY ?criterion"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {r["criterion"].value: int(r["n"].value) for r in rows}


def test_every_criterion_a_sheet_proposes_has_exactly_one_clause(read: ReadModel, store: ox.Store) -> None:
    proposed = proposed_criteria(read)
    assert len(proposed) >= 80  # the sheets propose about ninety criteria
    counts = clause_counts(store)
    wrong = {c.removeprefix(CRIT): counts.get(c, 0) for c in proposed if counts.get(c, 0) != 1}
    assert wrong == {}, f"criteria without exactly one model clause: {wrong}"


def test_the_book_finds_no_criterion_without_a_clause(read: ReadModel, book: ClauseBook) -> None:
    assert book.criteria_without_clause(proposed_criteria(read)) == []
    assert book.criteria_without_clause([CRIT + "no-such-criterion"]) == [CRIT + "no-such-criterion"]
    assert book.clause_for(CRIT + "no-such-criterion", "fr") is None


def test_a_label_clause_in_french(book: ClauseBook) -> None:
    clause = book.clause_for(CRIT + "ecolabelled-equipment", "fr")
    assert clause is not None
    assert clause.criterion.iri == CRIT + "ecolabelled-equipment"
    assert clause.criterion.name == "Matériels écolabellisés"
    assert "ou équivalent" in clause.text and "[" in clause.text
    assert clause.document.ref.iri == VOC + "cctp"
    assert "CCTP" in clause.document.ref.name and clause.document.description
    assert [p.iri for p in clause.proofs] == [VOC + "label-or-equivalent"]
    articles = {b.ref.iri: b for b in clause.legal_basis}
    assert {LAW + "ccp-r2111-13", LAW + "ccp-r2111-16", LAW + "ccp-r2111-17"} <= set(articles)
    part_of = articles[LAW + "ccp-r2111-16"].part_of
    assert part_of is not None
    assert part_of.iri == LAW + "code-commande-publique"
    assert any("/fiches-pratiques/bureautique/#exemples" in s for s in clause.sources)
    assert "conseil juridique" in clause.disclaimer
    assert clause.how_to_adapt and clause.how_to_adapt.startswith("À adapter")


def test_the_same_clause_in_english(book: ClauseBook) -> None:
    clause = book.clause_for(CRIT + "ecolabelled-equipment", "en")
    assert clause is not None
    assert "or equivalent" in clause.text and "ou équivalent" not in clause.text
    assert clause.criterion.name == "Ecolabelled equipment"
    assert "legal advice" in clause.disclaimer


def test_each_clause_goes_in_a_document_that_fits_its_criterions_role(read: ReadModel, book: ClauseBook) -> None:
    wrong = {}
    for res in read.index.of_type(CRITERION):
        clause = book.clause_for(res.iri, "fr")
        if clause is None:
            continue
        roles = {r.value.removeprefix(VOC) for r in read.props(res.iri).get(BASE_IRI + "def/role", [])}
        allowed = set().union(*(DOCUMENTS_BY_ROLE[r] for r in roles))
        document = clause.document.ref.iri.removeprefix(VOC)
        if document not in allowed:
            wrong[res.id] = (sorted(roles), document)
    assert wrong == {}


def test_clauses_cite_the_sources_and_legal_basis_of_their_criterion(read: ReadModel, book: ClauseBook) -> None:
    for res in read.index.of_type(CRITERION):
        clause = book.clause_for(res.iri, "en")
        if clause is None:
            continue
        assert set(res.sources) <= set(clause.sources), res.id
        criterion_basis = {t.value for t in read.props(res.iri).get(BASE_IRI + "def/legalBasis", [])}
        assert criterion_basis <= {b.ref.iri for b in clause.legal_basis}, res.id


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_clause_texts_are_well_formed(read: ReadModel, book: ClauseBook, lang: str) -> None:
    for res in read.index.of_type(CRITERION):
        clause = book.clause_for(res.iri, lang)
        if clause is None:
            continue
        text = clause.text
        assert text.count("[") == text.count("]"), (res.id, text)
        assert re.search(r"\[[^\]]*\[", text) is None, res.id  # no nested brackets
        assert text[0].isupper() or text[0] in "«[", res.id
        assert text.endswith((".", "?", ")", "]")), res.id
        assert "  " not in text, res.id
        if lang == "fr":
            assert not re.search(r"\b(the|and|with|shall)\b", text), res.id
        else:
            assert not re.search(r"«|»|\b(le|les|des|du|et|pour)\b", text), res.id


def test_clauses_grouped_by_document_in_tender_order(read: ReadModel, book: ClauseBook) -> None:
    laptop = BASE_IRI + "id/category/laptop"
    family = read.family_of(laptop)
    criteria = read.criteria_for([family] if family else [], [laptop])
    groups = book.by_document(criteria, "fr")
    documents = [doc.ref.iri.removeprefix(VOC) for doc, _ in groups]
    assert documents == ["rc", "ccap", "cctp", "response-annex", "sourcing-questionnaire"]
    assert sum(len(clauses) for _, clauses in groups) == len(criteria)
    rc = dict((doc.ref.iri.removeprefix(VOC), clauses) for doc, clauses in groups)["rc"]
    assert {c.criterion.iri.removeprefix(CRIT) for c in rc} >= {"repairability-index", "duty-of-vigilance-exclusion"}
    names = [c.criterion.name for c in rc]
    assert names == sorted(names, key=folded)
