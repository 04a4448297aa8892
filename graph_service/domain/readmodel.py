"""Read model of the JSON API, the sheets and the pages: one reader of the Oxigraph store.

What it keeps is bounded by the number of categories, labels and coverage statements, not by the
triples: the category hierarchy (skos:broader), the coverage statements, the rank of each label's kind
and the data's review date, read at start-up. A resource's own values (`props`) and the resources
pointing at it (`citing`) are asked of the store when needed, over the union of the named graphs, and
the last PROPS_CACHE answers of each are kept. Names come from the ResourceIndex so that every item
carries id, iri and name in the requested language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from graph_service.bounded import BoundedCache
from graph_service.domain import models as m
from graph_service.domain.index import Resource, ResourceIndex, short_id
from graph_service.prefixes import PREFIXES, sparql_prologue

if TYPE_CHECKING:
    from graph_service.domain.scope import ScopeRule

ANR, SKOS, ELI, DCT = PREFIXES["anr"], PREFIXES["skos"], PREFIXES["eli"], PREFIXES["dcterms"]
VOC = PREFIXES["voc"]
LABEL, FAMILY, CATEGORY = ANR + "Label", ANR + "PurchaseFamily", ANR + "PurchaseCategory"
CRITERION, OBLIGATION, SHARE = ANR + "Criterion", ANR + "Obligation", ANR + "MinimumShareRequirement"
CPV_CODE, TEXT, ARTICLE = ANR + "CpvCode", ELI + "LegalResource", ELI + "LegalResourceSubdivision"
TYPE_1 = VOC + "type-1-ecolabel"
SCHEMA_URL = PREFIXES["schema"] + "url"
LAST_REVIEWED = PREFIXES["schema"] + "lastReviewed"
SUPERSEDES, SUPERSEDED_ON = ANR + "supersedes", ANR + "supersededOn"
# Label kinds from the strongest assurance to the weakest, as the guide presents them
# (labels/produits: type I ecolabels, then environmental declarations, then energy programmes).
KIND_ORDER = (
    TYPE_1,
    VOC + "type-2-self-declaration",
    VOC + "energy-efficiency-programme",
    VOC + "social-certification",
    VOC + "management-system-certification",
    VOC + "organisation-label",
    VOC + "digital-service-label",
)

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Row = dict[str, Term]

ALL_LINKS = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . FILTER (isIRI(?s) && isIRI(?o)) }"
REVIEWS = "SELECT DISTINCT ?s ?d WHERE { ?s schema:lastReviewed ?d . FILTER (isIRI(?s)) }"
PROPS_CACHE = 4096  # descriptions kept (one resource's values each): the answers of a page touch tens
ALL_COVERAGE = """
SELECT DISTINCT ?cov ?label ?category ?source WHERE {
  ?cov a anr:Coverage ; anr:coverageOf ?label ; anr:coveredCategory ?category .
  OPTIONAL { ?cov dcterms:source ?source }
}"""
BROADER_LINKS = "SELECT DISTINCT ?c ?b WHERE { ?c skos:broader ?b }"


class ReadModel:
    """Answers of the /api routes, built from the store and the index."""

    def __init__(self, store: ox.Store, index: ResourceIndex) -> None:
        self.store = store
        self.index = index
        self.broader: dict[str, list[str]] = defaultdict(list)
        self.narrower: dict[str, list[str]] = defaultdict(list)
        for row in self.select(BROADER_LINKS):
            self.broader[row["c"].value].append(row["b"].value)
            self.narrower[row["b"].value].append(row["c"].value)
        self._props: BoundedCache[str, dict[str, list[Term]]] = BoundedCache(PROPS_CACHE)
        self._citing: BoundedCache[tuple[str, tuple[str, ...]], list[str]] = BoundedCache(PROPS_CACHE)
        self._statements = self._read_coverage()
        self._kind_ranks: dict[str, int] = {}  # one per label asked for
        first: dict[str, list[Term]] = defaultdict(list)
        for row in self.select(REVIEWS):
            first[row["s"].value].append(row["d"])
        reviews = [d for values in first.values() if (d := as_date(sorted(values, key=lambda t: t.value)))]
        # The data's « à jour au »: the earliest review of any source, so that no fact claims more.
        self.reviewed: dt.date | None = min(reviews) if reviews else None

    # -- generic ---------------------------------------------------------------------------

    def select(self, body: str, **bindings: str) -> list[Row]:
        """Rows of a SELECT; keyword values are IRIs bound to the variables of those names.

        Oxigraph substitutes only variables of the SELECT projection: project them."""
        subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
        result = self.store.query(
            sparql_prologue() + body,
            substitutions=subs,  # type: ignore[arg-type]
            use_default_graph_as_union=True,
        )
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def props(self, iri: str) -> dict[str, list[Term]]:
        """Outgoing values of a resource, by predicate IRI (no duplicates, sorted), asked of the store."""
        return self._props.get_or_build(iri, lambda: self._read_props(iri))

    def _read_props(self, iri: str) -> dict[str, list[Term]]:
        found: dict[str, set[Term]] = defaultdict(set)
        for quad in self.store.quads_for_pattern(ox.NamedNode(iri), None, None):
            found[quad.predicate.value].add(quad.object)  # type: ignore[arg-type]
        return {p: sorted(v, key=lambda t: t.value) for p, v in found.items()}

    def citing(self, iri: str, *preds: str) -> list[str]:
        """Subjects (IRIs) pointing at `iri` with one of the predicates, asked of the store (the last
        PROPS_CACHE answers kept)."""
        return list(self._citing.get_or_build((iri, preds), lambda: self._read_citing(iri, preds)))

    def _read_citing(self, iri: str, preds: tuple[str, ...]) -> list[str]:
        target = ox.NamedNode(iri)
        return sorted(
            {
                q.subject.value
                for p in preds
                for q in self.store.quads_for_pattern(None, ox.NamedNode(p), target)
                if isinstance(q.subject, ox.NamedNode)
            }
        )

    def archived(self, source: str) -> str | None:
        """The permalink of a cited page (anchor ignored) that the site no longer builds, else None."""
        page = self.props(source.split("#", 1)[0])
        built = page.get(ANR + "stillBuilt")
        if not built or built[0].value != "false":
            return None
        return next(iter(iris(page.get(DCT + "hasVersion"))), None)

    def superseded(self, iri: str) -> list[str]:
        """The superseded-fact records (anr:SupersededFact) that overtake this resource's statement."""
        return self.citing(iri, SUPERSEDES)

    def ref(self, iri: str, lang: str) -> m.Ref:
        """id, iri and name."""
        res = self.index.get(iri)
        if res is None:
            return m.Ref(id=short_id(iri), iri=iri, name=short_id(iri))
        return m.Ref(id=res.id, iri=iri, name=res.name(lang))

    def refs(self, iris: Iterable[str], lang: str) -> list[m.Ref]:
        """Refs sorted by name."""
        return sorted((self.ref(i, lang) for i in set(iris)), key=lambda r: (r.name.lower(), r.id))

    def described(self, res: Resource, lang: str) -> dict[str, Any]:
        """The fields of models.Described."""
        return {
            "id": res.id,
            "iri": res.iri,
            "name": res.name(lang),
            "description": res.description(lang),
            "alt_names": res.alt_names.get(lang, []),
            "sources": res.sources,
        }

    # -- labels ----------------------------------------------------------------------------

    def kind_rank(self, label: str) -> int:
        """0 for a type I ecolabel, then by KIND_ORDER; unknown kinds last."""
        if label not in self._kind_ranks:
            kinds = [iri_of(t) for t in self.props(label).get(ANR + "labelKind", [])]
            ranks = [KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER) for k in kinds]
            self._kind_ranks[label] = min(ranks, default=len(KIND_ORDER) + 1)
        return self._kind_ranks[label]

    def label_fields(self, iri: str, lang: str) -> dict[str, Any]:
        """The fields of models.LabelSummary."""
        props = self.props(iri)
        kinds = [iri_of(t) for t in props.get(ANR + "labelKind", [])]
        parent = props.get(ANR + "levelOf")
        return {
            **self.ref(iri, lang).model_dump(),
            "kinds": self.refs(kinds, lang),
            "level_of": self.ref(parent[0].value, lang) if parent else None,
            "type_1": TYPE_1 in kinds,
        }

    def label_summary(self, iri: str, lang: str) -> m.LabelSummary:
        """A label and its kinds."""
        return m.LabelSummary.model_validate(self.label_fields(iri, lang))

    def sort_labels(self, labels: Iterable[str], lang: str) -> list[str]:
        """Type I first, then by kind order, then by name."""
        return sorted(set(labels), key=lambda i: (self.kind_rank(i), self.ref(i, lang).name.lower()))

    # -- categories and coverage -----------------------------------------------------------

    def ancestors(self, iri: str) -> list[str]:
        """Broader concepts, nearest first (breadth-first, cycle-safe)."""
        seen: list[str] = []
        frontier = list(self.broader.get(iri, []))
        while frontier:
            nxt: list[str] = []
            for item in sorted(frontier):
                if item not in seen and item != iri:
                    seen.append(item)
                    nxt.extend(self.broader.get(item, []))
            frontier = nxt
        return seen

    def descendants(self, iri: str) -> list[str]:
        """Narrower concepts at any depth."""
        out: list[str] = []
        frontier = list(self.narrower.get(iri, []))
        while frontier:
            item = frontier.pop(0)
            if item not in out and item != iri:
                out.append(item)
                frontier.extend(self.narrower.get(item, []))
        return out

    def family_of(self, iri: str) -> str | None:
        """The purchase family above a category (itself for a family)."""
        for item in (iri, *self.ancestors(iri)):
            if self.index.is_a(item, FAMILY):
                return item
        return None

    def cpv_refs(self, iris: Iterable[str], lang: str) -> list[m.CpvRef]:
        """CPV concepts with their notation."""
        out = []
        for iri in sorted(set(iris)):
            notation = self.props(iri).get(SKOS + "notation", [])
            out.append(m.CpvRef(**self.ref(iri, lang).model_dump(), code=notation[0].value if notation else None))
        return out

    def category_labels(self, category: str, lang: str) -> list[m.CategoryLabel]:
        """Labels covering the category directly or through a broader one, nearest first."""
        vias = {category, *self.ancestors(category)}
        found = {key: value for key, value in self._statements.items() if key[1] in vias}
        items = []
        for (label, via), (cov, sources) in found.items():
            items.append(
                m.CategoryLabel(
                    **self.label_fields(label, lang),
                    how="direct" if via == category else "inherited",
                    via=self.ref(via, lang),
                    coverage=cov,
                    sources=sorted(sources),
                )
            )
        return sorted(items, key=lambda i: (i.how != "direct", self.kind_rank(i.iri), i.name.lower(), i.via.id))

    def coverage_statements(self) -> dict[tuple[str, str], tuple[str, list[str]]]:
        """(label, category) -> (coverage IRI, sources), for every anr:Coverage: the one reading of the
        qualified coverage, used by /api, the path projection and the /id pages."""
        return dict(self._statements)

    def covered_categories(self, label: str) -> list[str]:
        """The categories a label (or label level) covers directly."""
        return sorted({c for lbl, c in self._statements if lbl == label})

    def label_coverage(self, label: str) -> dict[str, tuple[str, list[str]]]:
        """category -> (coverage IRI, sources) of the categories a label covers directly."""
        return {c: found for (lbl, c), found in self._statements.items() if lbl == label}

    def covering_labels(self, category: str) -> list[str]:
        """The labels that cover a category directly."""
        return sorted({lbl for lbl, c in self._statements if c == category})

    def links(self) -> Iterator[tuple[str, str, str]]:
        """Every triple from one IRI to another: (subject, predicate, object), streamed from the store."""
        result = self.store.query(sparql_prologue() + ALL_LINKS, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            yield row["s"].value, row["p"].value, row["o"].value

    def _read_coverage(self) -> dict[tuple[str, str], tuple[str, list[str]]]:
        out: dict[tuple[str, str], tuple[str, list[str]]] = {}
        for row in self.select(ALL_COVERAGE):
            key = (row["label"].value, row["category"].value)
            _cov, sources = out.setdefault(key, (row["cov"].value, []))
            if "source" in row and row["source"].value not in sources:
                sources.append(row["source"].value)
        return {k: (c, sorted(s)) for k, (c, s) in out.items()}

    def category_kind(self, iri: str) -> str:
        """family or category."""
        return "family" if self.index.is_a(iri, FAMILY) else "category"

    # -- criteria --------------------------------------------------------------------------

    def criterion_summary(self, iri: str, lang: str) -> m.CriterionSummary:
        """Role, dimension, weighting, families and categories of a criterion."""
        props = self.props(iri)
        weighting = props.get(ANR + "minimumWeightingPercent")
        return m.CriterionSummary(
            **self.ref(iri, lang).model_dump(),
            roles=self.refs(iris(props.get(ANR + "role")), lang),
            dimensions=self.refs(iris(props.get(ANR + "dimension")), lang),
            minimum_weighting_percent=float(weighting[0].value) if weighting else None,
            families=self.refs(iris(props.get(ANR + "appliesToFamily")), lang),
            categories=self.refs(iris(props.get(ANR + "appliesToCategory")), lang),
        )

    @cached_property
    def scope(self) -> ScopeRule:
        """The one scope rule (domain/scope.py): what reaches which category, by category, family or CPV code."""
        from graph_service.domain.scope import ScopeRule

        return ScopeRule(self)

    def criteria_for(self, families: Iterable[str], categories: Iterable[str]) -> list[str]:
        """Criteria reaching one of the categories, or naming or reaching one of the families (scope rule)."""
        return self.reaching(CRITERION, categories, families)

    def reaching(self, kind: str, categories: Iterable[str], families: Iterable[str] = ()) -> list[str]:
        """Resources of the class `kind` that reach one of the categories or name one of the families: the
        answer of scope.reaches for each resource of the class, found through the scope rule's index and the
        store, so that its cost is that of the answer, not of the number of resources of the class."""
        found: set[str] = set()
        for category in categories:
            found.update(self.scope.for_category(category))
        for family in families:
            found.update(self.citing(family, ANR + "appliesToFamily"))
        return sorted(r for r in found if self.index.is_a(r, kind))


def iri_of(term: Term) -> str:
    """The IRI string of a term (its value)."""
    return term.value


def iris(terms: list[Term] | None) -> list[str]:
    """The IRI values among terms."""
    return [t.value for t in terms or [] if isinstance(t, ox.NamedNode)]


def literal(terms: list[Term] | None, lang: str | None = None) -> str | None:
    """The first literal (in `lang` if given, else any)."""
    values = [t for t in terms or [] if isinstance(t, ox.Literal)]
    for t in values:
        if lang is None or t.language == lang:
            return t.value
    return values[0].value if values else None


def literals(terms: list[Term] | None, lang: str) -> list[str]:
    """Literals in `lang` (or without language)."""
    return [t.value for t in terms or [] if isinstance(t, ox.Literal) and t.language in (lang, None)]


def as_date(terms: list[Term] | None) -> dt.date | None:
    """The first xsd:date value."""
    value = literal(terms)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def as_float(terms: list[Term] | None) -> float | None:
    """The first numeric value."""
    value = literal(terms)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
