"""Model clauses: the wording ready to adapt for each criterion a sheet proposes (data/clauses.ttl).

Each criterion has one anr:ModelClause: its text in French and English, the tender document it goes
in, the proof it asks for, its legal basis and the guide sections it comes from, and the notice of
the set it belongs to (a model to adapt, not legal advice). Read from the read model, which is
materialised once from the Oxigraph store: answering runs no query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_service.domain.readmodel import ANR, DCT, ELI, TEXT, VOC, ReadModel, as_date, iris, literal
from graph_service.domain.sheet import RDFS_SEE_ALSO, LegalBasis, Named, folded

MODEL_CLAUSE = ANR + "ModelClause"
CLAUSE_FOR = ANR + "clauseFor"
# The order a tender file is read in: the consultation's rules, the contract's terms, its annexes; the
# sourcing questionnaire, sent before the tender, comes last.
DOCUMENT_ORDER = tuple(VOC + d for d in ("rc", "ccap", "cctp", "response-annex", "bpu", "sourcing-questionnaire"))


@dataclass(frozen=True)
class TenderDocument:
    """The tender document a clause goes in (règlement de la consultation, CCAP, CCTP…)."""

    ref: Named
    description: str | None


@dataclass(frozen=True)
class ModelClause:
    """The model wording of one criterion, in one language."""

    ref: Named
    criterion: Named
    text: str
    how_to_adapt: str | None
    document: TenderDocument
    proofs: list[Named]
    legal_basis: list[LegalBasis]
    sources: list[str]
    disclaimer: str
    lang: str


class ClauseBook:
    """The model clauses by criterion (built once from the read model, read-only)."""

    def __init__(self, read: ReadModel) -> None:
        self.read = read
        self.index = read.index
        self._by_criterion: dict[str, str] = {}
        for res in self.index.of_type(MODEL_CLAUSE):
            for criterion in iris(read.props(res.iri).get(CLAUSE_FOR)):
                self._by_criterion.setdefault(criterion, res.iri)

    def clause_for(self, criterion: str, lang: str) -> ModelClause | None:
        """The model clause of a criterion (its IRI), in `lang` (fr or en); None if it has none."""
        iri = self._by_criterion.get(criterion)
        return self._clause(iri, criterion, lang) if iri else None

    def clauses_for(self, criteria: Iterable[str], lang: str) -> list[ModelClause]:
        """The model clauses of several criteria, in the order given, skipping those without one."""
        found = (self.clause_for(c, lang) for c in dict.fromkeys(criteria))
        return [c for c in found if c is not None]

    def by_document(self, criteria: Iterable[str], lang: str) -> list[tuple[TenderDocument, list[ModelClause]]]:
        """The clauses of these criteria grouped by tender document, in DOCUMENT_ORDER, by criterion name within."""
        groups: dict[str, tuple[TenderDocument, list[ModelClause]]] = {}
        for clause in self.clauses_for(criteria, lang):
            groups.setdefault(clause.document.ref.iri, (clause.document, []))[1].append(clause)

        def rank(iri: str) -> tuple[int, str]:
            return (DOCUMENT_ORDER.index(iri) if iri in DOCUMENT_ORDER else len(DOCUMENT_ORDER), iri)

        return [
            (doc, sorted(clauses, key=lambda c: folded(c.criterion.name)))
            for iri, (doc, clauses) in sorted(groups.items(), key=lambda item: rank(item[0]))
        ]

    def criteria_without_clause(self, criteria: Iterable[str]) -> list[str]:
        """The criteria among these that have no model clause."""
        return sorted(c for c in set(criteria) if c not in self._by_criterion)

    # -- parts -----------------------------------------------------------------------------

    def _named(self, iri: str, lang: str) -> Named:
        ref = self.read.ref(iri, lang)
        return Named(ref.id, ref.iri, ref.name)

    def _clause(self, iri: str, criterion: str, lang: str) -> ModelClause:
        props = self.read.props(iri)
        res = self.index.by_iri[iri]
        document = next(iter(iris(props.get(ANR + "tenderDocument"))))
        doc_res = self.index.get(document)
        clause_set = next(iter(iris(props.get(DCT + "isPartOf"))), None)
        disclaimer = literal(self.read.props(clause_set).get(ANR + "disclaimer"), lang) if clause_set else None
        return ModelClause(
            ref=self._named(iri, lang),
            criterion=self._named(criterion, lang),
            text=literal(props.get(ANR + "clauseText"), lang) or "",
            how_to_adapt=res.description(lang),
            document=TenderDocument(self._named(document, lang), doc_res.description(lang) if doc_res else None),
            proofs=[self._named(p, lang) for p in iris(props.get(ANR + "proofMeans"))],
            legal_basis=legal_bases(self.read, iris(props.get(ANR + "legalBasis")), lang),
            sources=res.sources,
            disclaimer=disclaimer or "",
            lang=lang,
        )


def legal_bases(read: ReadModel, values: list[str], lang: str) -> list[LegalBasis]:
    """Legal texts and articles with their dates and official link: texts first, then articles by name."""
    out = []
    for iri in values:
        props = read.props(iri)
        parent = iris(props.get(ELI + "is_part_of"))
        parent_props = read.props(parent[0]) if parent else {}
        ref = read.ref(iri, lang)
        out.append(
            LegalBasis(
                ref=Named(ref.id, ref.iri, ref.name),
                title=literal(props.get(ELI + "title"), lang),
                number=literal(props.get(ELI + "id_local")),
                signed=as_date(props.get(ELI + "date_document") or parent_props.get(ELI + "date_document")),
                in_force_from=as_date(props.get(ELI + "first_date_entry_in_force")),
                part_of=Named(*_ref(read, parent[0], lang)) if parent else None,
                url=next(iter(iris(props.get(RDFS_SEE_ALSO) or parent_props.get(RDFS_SEE_ALSO))), None),
            )
        )
    return sorted(out, key=lambda b: (read.index.is_a(b.ref.iri, TEXT) is False, folded(b.ref.name)))


def _ref(read: ReadModel, iri: str, lang: str) -> tuple[str, str, str]:
    ref = read.ref(iri, lang)
    return ref.id, ref.iri, ref.name
