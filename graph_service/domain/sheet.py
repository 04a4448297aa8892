"""The buyer's procurement sheet of a purchase category, a family or a CPV code, on a date.

Plain typed objects, no HTTP: the web pages, the CSV lists and the tender annex are all written from
one `Sheet`. The answers come from the read model and the CPV profiler (shares in force on a date,
labels inherited from a broader category); this module only gathers them in the guide's terms:
legal obligations, labels a buyer may require (type I first), the rules for labels as proof, and the
criteria and clauses grouped by their role in a tender.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from graph_service.domain import models as m
from graph_service.domain.index import Resource
from graph_service.domain.profile import CpvProfiler
from graph_service.domain.readmodel import (
    ANR,
    CATEGORY,
    CRITERION,
    ELI,
    FAMILY,
    OBLIGATION,
    SCHEMA_URL,
    SHARE,
    SUPERSEDED_ON,
    TEXT,
    VOC,
    ReadModel,
    as_date,
    iris,
    literal,
    literals,
)
from graph_service.prefixes import PREFIXES

SheetKind = Literal["category", "family", "cpv"]
RDFS_SEE_ALSO = PREFIXES["rdfs"] + "seeAlso"
LABEL_RULE = ANR + "LabelBuyingRule"
# The order a tender file follows: what every bid must meet, how bids are ranked, what the contractor
# does, who may bid; then the buyer's own preparation.
ROLE_ORDER = tuple(
    VOC + r
    for r in (
        "technical-specification",
        "award-criterion",
        "performance-condition",
        "selection-criterion",
        "exclusion-ground",
        "reserved-contract",
        "sourcing-question",
    )
)


@dataclass(frozen=True)
class Named:
    """A resource of the graph: short id, IRI, name in the sheet's language."""

    id: str
    iri: str
    name: str


@dataclass(frozen=True)
class LegalBasis:
    """A legal text or one of its articles, with its dates and official link."""

    ref: Named
    title: str | None
    number: str | None
    signed: dt.date | None
    in_force_from: dt.date | None
    part_of: Named | None
    url: str | None

    @property
    def text(self) -> Named:
        """The text itself (the article's text, or this one)."""
        return self.part_of or self.ref


@dataclass(frozen=True)
class Duty:
    """A legal obligation: a minimum share of reused or recycled purchases, or another duty."""

    ref: Named
    description: str | None
    applies_to: list[str]
    applies_from: dt.date | None
    applies_until: dt.date | None
    in_force: bool
    legal_basis: list[LegalBasis]
    sources: list[str]
    reused_or_recycled_percent: float | None = None
    reused_percent: float | None = None

    @property
    def is_share(self) -> bool:
        """Whether this is a minimum share of purchases."""
        return self.reused_or_recycled_percent is not None


@dataclass(frozen=True)
class SheetLabel:
    """A label a buyer may require, and why it applies here."""

    ref: Named
    type_1: bool
    kinds: list[Named]
    description: str | None
    covers: list[Named]
    attests: list[Named]
    levels: list[Named]
    issuers: list[Named]
    validity_years: int | None
    caveats: list[str]
    url: str | None
    via: list[Named]
    inherited_from: Named | None
    sources: list[str]


@dataclass(frozen=True)
class ProofRule:
    """How a label (or an equivalent) is proven: by whom, on what conditions."""

    ref: Named
    description: str | None
    provided_by: list[Named]
    conditions: list[Named]
    legal_basis: list[LegalBasis]
    sources: list[str]


@dataclass(frozen=True)
class LabelRule:
    """The guide's rule for requiring labels, with its proof requirements."""

    ref: Named
    description: str | None
    used_as: list[Named]
    fallback: list[Named]
    proofs: list[ProofRule]
    legal_basis: list[LegalBasis]
    sources: list[str]


@dataclass(frozen=True)
class Clause:
    """A criterion or clause of the guide."""

    ref: Named
    description: str | None
    minimum_weighting_percent: float | None
    legal_basis: list[LegalBasis]
    sources: list[str]


@dataclass(frozen=True)
class ClauseGroup:
    """The clauses of one role (technical specification, award criterion…)."""

    role: Named
    description: str | None
    clauses: list[Clause]


@dataclass(frozen=True)
class Update:
    """A later fact that overtakes a statement of the guide the sheet shows (anr:SupersededFact)."""

    ref: Named
    description: str | None
    on: dt.date | None
    concerns: list[Named]
    sources: list[str]


@dataclass(frozen=True)
class Sheet:
    """Everything a buyer needs for one purchase, on one date."""

    kind: SheetKind
    subject: Named
    description: str | None
    date: dt.date
    lang: str
    family: Named | None
    broader: list[Named]
    narrower: list[Named]
    categories: list[Named]
    cpv_codes: list[Named]
    shares: list[Duty]
    obligations: list[Duty]
    not_in_force: list[Duty]
    labels: list[SheetLabel]
    label_rules: list[LabelRule]
    clause_groups: list[ClauseGroup]
    warnings: list[str] = field(default_factory=list)
    reviewed: dt.date | None = None
    updates: list[Update] = field(default_factory=list)
    archives: dict[str, str] = field(default_factory=dict)

    @property
    def beyond_review(self) -> bool:
        """Whether the sheet is asked for a day after the data's last review (the answer may be out of date)."""
        return self.reviewed is not None and self.date > self.reviewed

    @property
    def sources(self) -> list[str]:
        """Every guide page the sheet's facts come from."""
        found: set[str] = set()
        for duty in [*self.shares, *self.obligations]:
            found.update(duty.sources)
        for label in self.labels:
            found.update(label.sources)
        for group in self.clause_groups:
            for clause in group.clauses:
                found.update(clause.sources)
        return sorted(found)


class UnknownSubjectError(LookupError):
    """No category, family or CPV code of that id; `suggestions` are close ones."""

    def __init__(self, kind: str, key: str, suggestions: list[Named]) -> None:
        super().__init__(f"no {kind} {key!r}")
        self.kind, self.key, self.suggestions = kind, key, suggestions


class SheetBuilder:
    """Builds sheets from the read model and the CPV profiler (built once, read-only)."""

    def __init__(self, read: ReadModel, profiler: CpvProfiler) -> None:
        self.read = read
        self.index = read.index
        self.profiler = profiler

    # -- entry points ----------------------------------------------------------------------

    def category(self, key: str, on: dt.date, lang: str) -> Sheet:
        """The sheet of a purchase category (or of a family given by id)."""
        res = self._resolve(key, CATEGORY, "category", lang)
        cats = [res.iri]
        family = self.read.family_of(res.iri)
        shares = self._shares_for(cats, [], on, lang)
        labels = self._labels(self.read.category_labels(res.iri, lang), res.iri, lang)
        clauses = self.read.criteria_for([family] if family else [], cats)
        return self._sheet("category", res, on, lang, cats, [family] if family else [], shares, labels, clauses)

    def family(self, key: str, on: dt.date, lang: str) -> Sheet:
        """The sheet of a purchase family: every category in it."""
        res = self._resolve(key, FAMILY, "family", lang)
        cats = [c for c in self.read.descendants(res.iri) if self.index.is_a(c, CATEGORY)]
        shares = self._shares_for(cats, [res.iri], on, lang)
        found = [item for cat in cats for item in self.read.category_labels(cat, lang) if item.how == "direct"]
        labels = self._labels(found, None, lang)
        clauses = self.read.criteria_for([res.iri], cats)
        return self._sheet("family", res, on, lang, cats, [res.iri], shares, labels, clauses)

    def cpv(self, code: str, on: dt.date, lang: str) -> Sheet:
        """The sheet of a CPV code, from its profile (nearest code of the graph, shares on the date)."""
        profile = self.profiler.profile(code, on, lang)
        res = self.index.by_iri[profile.matched.iri]
        cats = [c.iri for c in profile.categories]
        families = [f.iri for f in profile.families]
        share_iris = [s.iri for s in [*profile.shares, *profile.shares_not_in_force]]
        shares = [self._duty(i, on, lang) for i in share_iris]
        labels = self._labels(profile.labels, cats[0] if len(cats) == 1 else None, lang)
        clauses = [c.iri for c in profile.criteria]
        return self._sheet("cpv", res, on, lang, cats, families, shares, labels, clauses, profile.warnings)

    # -- parts -----------------------------------------------------------------------------

    def _resolve(self, key: str, cls: str, kind: str, lang: str) -> Resource:
        res = self.index.resolve(key)
        if res is None or cls not in res.types:
            close = self.index.suggest(key, cls)
            raise UnknownSubjectError(kind, key, [self._named(r.iri, lang) for r in close])
        return res

    def _named(self, iri: str, lang: str) -> Named:
        ref = self.read.ref(iri, lang)
        return Named(ref.id, ref.iri, ref.name)

    def _names(self, values: list[str], lang: str) -> list[Named]:
        return [Named(r.id, r.iri, r.name) for r in self.read.refs(values, lang)]

    def _sheet(
        self,
        kind: SheetKind,
        res: Resource,
        on: dt.date,
        lang: str,
        cats: list[str],
        families: list[str],
        duties: list[Duty],
        labels: list[SheetLabel],
        clauses: list[str],
        warnings: list[str] | None = None,
    ) -> Sheet:
        broader = (
            []
            if kind == "family"
            else [b for b in self.read.ancestors(res.iri) if self.index.is_a(b, CATEGORY) or self.index.is_a(b, FAMILY)]
        )
        obligations = self._obligations(cats, families, on, lang)
        every = duties + obligations
        groups = self._clause_groups(clauses, lang)
        shown = self._shown_iris(every, labels, groups)
        sources = (
            {u for d in every for u in d.sources}
            | {u for lb in labels for u in lb.sources}
            | {u for g in groups for c in g.clauses for u in c.sources}
        )
        rules = self._label_rules(lang) if labels else []
        sources |= {u for r in rules for u in [*r.sources, *(x for p in r.proofs for x in p.sources)]}
        archives = {u: link for u in sorted(sources) if (link := self.read.archived(u))}
        cpv = self.read.cpv_refs(iris(self.read.props(res.iri).get(ANR + "cpvCode")), lang) if kind != "cpv" else []
        return Sheet(
            kind=kind,
            subject=self._named(res.iri, lang),
            description=res.description(lang),
            date=on,
            lang=lang,
            family=self._named(families[0], lang) if len(families) == 1 and kind != "family" else None,
            broader=[self._named(b, lang) for b in broader],
            narrower=self._names([n for n in self.read.narrower.get(res.iri, []) if self.index.is_a(n, CATEGORY)], lang)
            if kind != "cpv"
            else [],
            categories=self._names(cats, lang),
            cpv_codes=[Named(c.id, c.iri, f"{c.code or c.id} {c.name}") for c in cpv],
            shares=[d for d in duties if d.in_force],
            obligations=[d for d in obligations if d.in_force],
            not_in_force=[d for d in every if not d.in_force],
            labels=labels,
            label_rules=rules,
            clause_groups=groups,
            warnings=list(warnings or []),
            reviewed=self.read.reviewed,
            updates=self._updates(shown, lang),
            archives=archives,
        )

    def _shown_iris(self, duties: list[Duty], labels: list[SheetLabel], groups: list[ClauseGroup]) -> list[str]:
        """Every resource the sheet states something about (duties, labels, clauses and their legal bases)."""
        out: list[str] = []
        for duty in duties:
            out += [duty.ref.iri, *(b.ref.iri for b in duty.legal_basis), *(b.text.iri for b in duty.legal_basis)]
        for label in labels:
            out += [label.ref.iri, *(i.iri for i in label.issuers)]
        for group in groups:
            for clause in group.clauses:
                out += [clause.ref.iri, *(b.ref.iri for b in clause.legal_basis)]
        return list(dict.fromkeys(out))

    def _updates(self, shown: list[str], lang: str) -> list[Update]:
        """The later facts that overtake what the sheet shows, oldest change first."""
        found: dict[str, list[str]] = {}
        for iri in shown:
            for fact in self.read.superseded(iri):
                found.setdefault(fact, []).append(iri)
        out = [
            Update(
                ref=self._named(fact, lang),
                description=self.index.by_iri[fact].description(lang),
                on=as_date(self.read.props(fact).get(SUPERSEDED_ON)),
                concerns=[self._named(i, lang) for i in concerned],
                sources=self.index.by_iri[fact].sources,
            )
            for fact, concerned in found.items()
            if fact in self.index.by_iri
        ]
        return sorted(out, key=lambda u: (u.on or dt.date.min, u.ref.id))

    def _legal(self, values: list[str], lang: str) -> list[LegalBasis]:
        out = []
        for iri in values:
            props = self.read.props(iri)
            parent = iris(props.get(ELI + "is_part_of"))
            parent_props = self.read.props(parent[0]) if parent else {}
            out.append(
                LegalBasis(
                    ref=self._named(iri, lang),
                    title=literal(props.get(ELI + "title"), lang),
                    number=literal(props.get(ELI + "id_local")),
                    signed=as_date(props.get(ELI + "date_document") or parent_props.get(ELI + "date_document")),
                    in_force_from=as_date(props.get(ELI + "first_date_entry_in_force")),
                    part_of=self._named(parent[0], lang) if parent else None,
                    url=next(iter(iris(props.get(RDFS_SEE_ALSO) or parent_props.get(RDFS_SEE_ALSO))), None),
                )
            )
        # Texts before their articles, then by name.
        return sorted(out, key=lambda b: (self.index.is_a(b.ref.iri, TEXT) is False, b.ref.name.lower()))

    def _duty(self, iri: str, on: dt.date, lang: str) -> Duty:
        props = self.read.props(iri)
        start, until = as_date(props.get(ANR + "appliesFrom")), as_date(props.get(ANR + "appliesUntil"))
        res = self.index.by_iri[iri]
        share = self.read.props(iri).get(ANR + "minimumShareReusedOrRecycledPercent")
        reused = props.get(ANR + "minimumShareReusedPercent")
        return Duty(
            ref=self._named(iri, lang),
            description=res.description(lang),
            applies_to=literals(props.get(ANR + "bearsOn"), lang),
            applies_from=start,
            applies_until=until,
            in_force=(start is None or start <= on) and (until is None or on <= until),
            legal_basis=self._legal(iris(props.get(ANR + "legalBasis")), lang),
            sources=res.sources,
            reused_or_recycled_percent=float(share[0].value) if share else None,
            reused_percent=float(reused[0].value) if reused else None,
        )

    def _shares_for(self, cats: list[str], families: list[str], on: dt.date, lang: str) -> list[Duty]:
        """Shares reaching the categories (by their CPV codes), or the family for a family sheet."""
        found = self.read.reaching(SHARE, cats, families)
        return sorted((self._duty(i, on, lang) for i in found), key=lambda d: folded(d.ref.name))

    def _obligations(self, cats: list[str], families: list[str], on: dt.date, lang: str) -> list[Duty]:
        """Duties other than shares that apply to the categories or their family."""
        found = [i for i in self.read.reaching(OBLIGATION, cats, families) if not self.index.is_a(i, SHARE)]
        return sorted((self._duty(i, on, lang) for i in found), key=lambda d: folded(d.ref.name))

    def _labels(self, items: Sequence[m.CategoryLabel], subject: str | None, lang: str) -> list[SheetLabel]:
        """One entry per label: type I first (the read model's order), every category it is cited for."""
        vias: dict[str, list[str]] = {}
        inherited: dict[str, str | None] = {}
        for item in items:
            vias.setdefault(item.iri, [])
            if item.via.iri not in vias[item.iri]:
                vias[item.iri].append(item.via.iri)
            direct = subject is None or item.via.iri == subject
            if direct:
                inherited[item.iri] = None
            else:
                inherited.setdefault(item.iri, item.via.iri)
        statements = self.read.coverage_statements()
        out = []
        for iri in sorted(vias, key=lambda i: (self.read.kind_rank(i), folded(self.read.ref(i, lang).name))):
            props = self.read.props(iri)
            res = self.index.by_iri[iri]
            validity = literal(props.get(ANR + "validityPeriodYears"))
            covers = [cat for (label, cat) in statements if label == iri]
            sources = {
                s
                for (label, cat), (_cov, srcs) in statements.items()
                if label == iri and cat in vias[iri]
                for s in srcs
            }
            via_inherited = inherited.get(iri)
            out.append(
                SheetLabel(
                    ref=self._named(iri, lang),
                    type_1=self.read.kind_rank(iri) == 0,
                    kinds=self._names(iris(props.get(ANR + "labelKind")), lang),
                    description=res.description(lang),
                    covers=self._names(covers, lang),
                    attests=self._names(iris(props.get(ANR + "attests")), lang),
                    levels=self._names(self.read.citing(iri, ANR + "levelOf"), lang),
                    issuers=self._names(iris(props.get(ANR + "issuer")), lang),
                    validity_years=int(validity) if validity and validity.isdigit() else None,
                    caveats=literals(props.get(ANR + "caveat"), lang),
                    url=next(iter(iris(props.get(SCHEMA_URL))), None),
                    via=self._names(vias[iri], lang),
                    inherited_from=self._named(via_inherited, lang) if via_inherited else None,
                    sources=sorted(sources),
                )
            )
        return out

    def _label_rules(self, lang: str) -> list[LabelRule]:
        out = []
        for res in self.index.of_type(LABEL_RULE):
            props = self.read.props(res.iri)
            proofs = []
            for proof in iris(props.get(ANR + "hasProofRequirement")):
                pp = self.read.props(proof)
                proofs.append(
                    ProofRule(
                        ref=self._named(proof, lang),
                        description=self.index.by_iri[proof].description(lang),
                        provided_by=self._names(iris(pp.get(ANR + "providedBy")), lang),
                        conditions=self._names(iris(pp.get(ANR + "proofCondition")), lang),
                        legal_basis=self._legal(iris(pp.get(ANR + "legalBasis")), lang),
                        sources=self.index.by_iri[proof].sources,
                    )
                )
            out.append(
                LabelRule(
                    ref=self._named(res.iri, lang),
                    description=res.description(lang),
                    used_as=self._names(iris(props.get(ANR + "usedAs")), lang),
                    fallback=[
                        self._named(i, lang)
                        for i in self.read.sort_labels(iris(props.get(ANR + "fallbackLabel")), lang)
                    ],
                    proofs=sorted(proofs, key=lambda p: p.ref.name.lower()),
                    legal_basis=self._legal(iris(props.get(ANR + "legalBasis")), lang),
                    sources=res.sources,
                )
            )
        return out

    def _clause_groups(self, clauses: list[str], lang: str) -> list[ClauseGroup]:
        by_role: dict[str, list[Clause]] = {}
        for iri in clauses:
            if not self.index.is_a(iri, CRITERION):
                continue
            props = self.read.props(iri)
            weighting = props.get(ANR + "minimumWeightingPercent")
            clause = Clause(
                ref=self._named(iri, lang),
                description=self.index.by_iri[iri].description(lang),
                minimum_weighting_percent=float(weighting[0].value) if weighting else None,
                legal_basis=self._legal(iris(props.get(ANR + "legalBasis")), lang),
                sources=self.index.by_iri[iri].sources,
            )
            for role in iris(props.get(ANR + "role")):
                by_role.setdefault(role, []).append(clause)

        def rank(role: str) -> tuple[int, str]:
            return (ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER), role)

        return [
            ClauseGroup(
                role=self._named(role, lang),
                description=self.index.by_iri[role].description(lang) if role in self.index.by_iri else None,
                clauses=sorted(by_role[role], key=lambda c: folded(c.ref.name)),
            )
            for role in sorted(by_role, key=rank)
        ]


def folded(text: str) -> str:
    """Lower case without accents, for sorting and matching French names (Écolabel under E)."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def label_names(sheet: Sheet) -> list[str]:
    """The labels' names in the sheet's order (type I first)."""
    return [label.ref.name for label in sheet.labels]
