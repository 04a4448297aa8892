"""What a contract notice (eForms) takes for a lot of a purchase category: the rule.

The notice carries, per lot, three code lists of the eForms SDK (data/eforms.ttl, CC BY 4.0):
BT-06 strategic procurement, BT-774 green procurement (environmental impact) and BT-805 green
procurement criteria; and the project adds the EU green public procurement (GPP) criteria that a
guide criterion reaching the category meets. Everything is derived from facts the graph holds,
read from the Oxigraph store through the read model; nothing is decided per category:

- a criterion « counts » when it reaches the category (the scope rule, domain/scope.py) and is a
  technical specification, award criterion, performance condition or selection criterion (the four
  places the SDK's lists name; sourcing questions, exclusion grounds and reserved contracts are not);
- BT-06 ``env-imp`` when an environmental criterion counts or a minimum share of décret n° 2021-254
  (reused or recycled-content purchases) is in force for the category on the date; ``soc-obj`` when a
  social criterion counts; ``none`` when neither (the guide has no innovative-purchase criterion, so
  ``inn-pur`` is never given);
- BT-774: the impact each counting environmental criterion reduces (``anr:environmentalImpact``, a
  classification in data/eforms.ttl: energy → ``clim-mitig``, reuse, repair, recycled content and
  end of life → ``circ-econ``, hazardous substances and pollutant emissions → ``pollu-prev``), plus
  ``circ-econ`` for a décret 2021-254 share in force; nothing when no environmental aim;
- EU GPP matches: a counting criterion's ``anr:euGppMatch`` whose EU criterion covers the category or
  a broader one (``anr:euGppScope``), with whether its identifier was verified;
- BT-805 ``eu`` when there is such a match; ``national`` when an environmental criterion counts (the
  guide is the French State's own reference); ``none`` when no environmental criterion counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, Field

from graph_service.domain import models as m
from graph_service.domain.errors import InvalidValueError
from graph_service.domain.lookup import lookup
from graph_service.domain.readmodel import ANR, CATEGORY, ELI, SHARE, SKOS, VOC, ReadModel, as_date, iris

EFORMS = "https://w3id.org/achats-numeriques-responsables/id/eforms/"
STRATEGIC, IMPACT, GPP_CRITERIA = (
    EFORMS + s for s in ("eforms-strategic-procurement", "eforms-environmental-impact", "eforms-gpp-criteria")
)
ENV_IMP, SOC_OBJ, STRATEGIC_NONE = (EFORMS + s for s in ("bt-06-env-imp", "bt-06-soc-obj", "bt-06-none"))
CIRC_ECON = EFORMS + "bt-774-circ-econ"
GPP_EU, GPP_NATIONAL, GPP_NONE = (EFORMS + s for s in ("bt-805-eu", "bt-805-national", "bt-805-none"))
# The code IRIs this rule can give besides the per-criterion BT-774 facts (tests check they exist).
RULE_CODES = (ENV_IMP, SOC_OBJ, STRATEGIC_NONE, CIRC_ECON, GPP_EU, GPP_NATIONAL, GPP_NONE)
# Roles the SDK's code lists name: specifications, award criteria, performance conditions, selection.
COUNTING_ROLES = frozenset(
    VOC + r for r in ("technical-specification", "award-criterion", "performance-condition", "selection-criterion")
)
ENVIRONMENTAL, SOCIAL = VOC + "environmental", VOC + "social"
DECREE_2021_254 = "https://w3id.org/achats-numeriques-responsables/id/legal/decret-2021-254"


class NoticeCode(BaseModel):
    """One code of an eForms list for the lot, and the facts of the graph that give it."""

    code: str = Field(description="The official code (skos:notation), as the notice takes it")
    iri: str
    name: str
    because: list[m.Ref] = Field(default=[], description="Criteria and obligations that give the code")


class NoticeField(BaseModel):
    """The codes of one business term (BT) for the lot."""

    bt: str = Field(description="Business term, e.g. BT-06")
    list_id: str = Field(description="The eForms code list, e.g. strategic-procurement")
    scheme: m.Ref
    codes: list[NoticeCode]


class GppMatch(BaseModel):
    """An EU GPP criterion that a guide criterion reaching the category meets."""

    criterion: m.Ref = Field(description="The guide's criterion")
    gpp: m.Ref = Field(description="The EU GPP criterion")
    identifier: str = Field(description="Its identifier in the EU criteria set, e.g. TS4")
    criteria_set: m.Ref
    verified: bool = Field(description="Whether the identifier was checked against the Commission's document")
    note: str | None = None
    sources: list[str] = []


class NoticeValues(BaseModel):
    """What the contract notice takes for a lot of this category, on a date."""

    category: m.Ref
    date: dt.date
    strategic_procurement: NoticeField
    green_procurement: NoticeField
    gpp_criteria: NoticeField
    eu_gpp: list[GppMatch]
    sources: list[str] = Field(default=[], description="The eForms SDK files the codes come from")


@dataclass(frozen=True)
class _Facts:
    environmental: list[str]
    social: list[str]
    shares: list[str]


def _counting(read: ReadModel, category: str) -> _Facts:
    """The criteria that count for the category, by dimension, and the 2021-254 shares reaching it."""
    family = read.family_of(category)
    env: list[str] = []
    soc: list[str] = []
    for crit in read.criteria_for([family] if family else [], [category]):
        props = read.props(crit)
        if not COUNTING_ROLES.intersection(iris(props.get(ANR + "role"))):
            continue
        dims = iris(props.get(ANR + "dimension"))
        if ENVIRONMENTAL in dims:
            env.append(crit)
        if SOCIAL in dims:
            soc.append(crit)
    shares = [r for r in read.reaching(SHARE, [category]) if DECREE_2021_254 in _texts(read, r)]
    return _Facts(sorted(env), sorted(soc), sorted(shares))


def _texts(read: ReadModel, iri: str) -> set[str]:
    """The legal bases of a resource and the texts they are articles of."""
    bases = iris(read.props(iri).get(ANR + "legalBasis"))
    return set(bases) | {t for b in bases for t in iris(read.props(b).get(ELI + "is_part_of"))}


def _in_force(read: ReadModel, iri: str, on: dt.date) -> bool:
    props = read.props(iri)
    start, until = as_date(props.get(ANR + "appliesFrom")), as_date(props.get(ANR + "appliesUntil"))
    return (start is None or start <= on) and (until is None or on <= until)


def _notation(read: ReadModel, iri: str) -> str:
    values = read.props(iri).get(SKOS + "notation", [])
    return values[0].value if values else iri.rsplit("/", 1)[-1]


def _field(read: ReadModel, scheme: str, given: dict[str, list[str]], lang: str) -> NoticeField:
    codes = [
        NoticeCode(
            code=_notation(read, iri),
            iri=iri,
            name=read.ref(iri, lang).name,
            because=sorted(read.refs(because, lang), key=lambda r: r.id),
        )
        for iri, because in given.items()
    ]
    return NoticeField(
        bt=_literal(read, scheme, ANR + "businessTerm"),
        list_id=_notation(read, scheme),
        scheme=read.ref(scheme, lang),
        codes=sorted(codes, key=lambda c: c.code),
    )


def _literal(read: ReadModel, iri: str, pred: str) -> str:
    values = read.props(iri).get(pred, [])
    return values[0].value if values else ""


def _note(read: ReadModel, iri: str, lang: str) -> str | None:
    notes = read.props(iri).get(SKOS + "editorialNote", [])
    chosen = [n.value for n in notes if getattr(n, "language", None) == lang] or [n.value for n in notes]
    return chosen[0] if chosen else None


def _matches(read: ReadModel, category: str, criteria: list[str], lang: str) -> list[GppMatch]:
    """EU GPP criteria met by the counting criteria, where the EU criterion covers the category."""
    lineage = {category, *read.ancestors(category)}
    out = []
    for crit in criteria:
        for gpp in iris(read.props(crit).get(ANR + "euGppMatch")):
            props = read.props(gpp)
            if not lineage.intersection(iris(props.get(ANR + "euGppScope"))):
                continue
            scheme = next(iter(iris(props.get(SKOS + "inScheme"))), gpp)
            verified = props.get(ANR + "identifierVerified", [])
            res = read.index.get(gpp)
            out.append(
                GppMatch(
                    criterion=read.ref(crit, lang),
                    gpp=read.ref(gpp, lang),
                    identifier=_notation(read, gpp),
                    criteria_set=read.ref(scheme, lang),
                    verified=bool(verified) and verified[0].value == "true",
                    note=_note(read, gpp, lang),
                    sources=res.sources if res else [],
                )
            )
    return sorted(out, key=lambda g: (g.criteria_set.name, g.identifier, g.criterion.id))


def notice_values(read: ReadModel, category: str, lang: str, on: dt.date | None = None) -> NoticeValues:
    """The eForms values of a lot of this category (IRI), on a date (today by default); see the module."""
    on = on or dt.date.today()
    facts = _counting(read, category)
    shares = [s for s in facts.shares if _in_force(read, s, on)]
    strategic: dict[str, list[str]] = {}
    if facts.environmental or shares:
        strategic[ENV_IMP] = [*facts.environmental, *shares]
    if facts.social:
        strategic[SOC_OBJ] = facts.social
    if not strategic:
        strategic[STRATEGIC_NONE] = []
    impacts: dict[str, list[str]] = {}
    for crit in facts.environmental:
        for code in iris(read.props(crit).get(ANR + "environmentalImpact")):
            impacts.setdefault(code, []).append(crit)
    if shares:
        impacts.setdefault(CIRC_ECON, []).extend(shares)
    matches = _matches(read, category, facts.environmental, lang)
    gpp: dict[str, list[str]] = {}
    if matches:
        gpp[GPP_EU] = list(dict.fromkeys(g.criterion.iri for g in matches))
    if facts.environmental:
        gpp[GPP_NATIONAL] = facts.environmental
    else:
        gpp[GPP_NONE] = []
    schemes = (STRATEGIC, IMPACT, GPP_CRITERIA)
    sources = sorted({s for scheme in schemes if (res := read.index.get(scheme)) for s in res.sources})
    return NoticeValues(
        category=read.ref(category, lang),
        date=on,
        strategic_procurement=_field(read, STRATEGIC, strategic, lang),
        green_procurement=_field(read, IMPACT, impacts, lang),
        gpp_criteria=_field(read, GPP_CRITERIA, gpp, lang),
        eu_gpp=matches,
        sources=sources,
    )


def category_notice_values(read: ReadModel, id: str, day: str | None, lang: str) -> NoticeValues:
    """The eForms values of a category given by id, as of a day YYYY-MM-DD (today when None);
    UnknownResourceError for no category, InvalidValueError for a bad day."""
    res = lookup(read.index, id, CATEGORY, "category", lang)
    try:
        on = dt.date.fromisoformat(day) if day else dt.date.today()
    except ValueError:
        raise InvalidValueError(f"date {day!r}: expected a day YYYY-MM-DD, e.g. 2024-01-01") from None
    return notice_values(read, res.iri, lang, on)
