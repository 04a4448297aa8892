"""The procurement profile of a CPV code: category, family, minimum shares, labels, criteria.

A code missing from the graph is answered by its nearest ancestor: CPV ancestors are obtained by
zeroing digits from the right (30213100 -> 30213000 -> 30210000 -> 30200000 -> 30000000), and
skos:broader links between CPV concepts are followed as well.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from graph_service.bounded import BoundedCache
from graph_service.domain import models as m
from graph_service.domain.errors import InvalidValueError, UnknownResourceError
from graph_service.domain.readmodel import (
    ANR,
    CATEGORY,
    CPV_CODE,
    FAMILY,
    SHARE,
    SKOS,
    SUPERSEDED_ON,
    ReadModel,
    as_date,
    as_float,
    iris,
    literal,
)
from graph_service.formats.formatting import long_date
from graph_service.prefixes import PREFIXES
from graph_service.problems import Suggestion
from graph_service.rendering import message

CPV = PREFIXES["cpv"]
CODE_RE = re.compile(r"^(?P<digits>\d{8})(?:-(?P<check>\d))?$")
CODE_EXPECTED = "expected a CPV code: 8 digits and an optional check digit, e.g. 30213100-6"


def zeroed_ancestors(digits: str) -> list[str]:
    """30213100 -> [30213000, 30210000, 30200000, 30000000]: zero digits from the right."""
    out: list[str] = []
    for keep in range(7, 1, -1):
        candidate = digits[:keep] + "0" * (8 - keep)
        if candidate != digits and candidate not in out and int(candidate[:keep] or 0) > 0:
            out.append(candidate)
    return out


def parse_code(code: str) -> tuple[str, str | None]:
    """The 8 digits and the check digit, or InvalidValueError."""
    match = CODE_RE.match(code.strip())
    if not match:
        raise InvalidValueError(f"{code!r}: {CODE_EXPECTED}", expected=CODE_EXPECTED)
    return match["digits"], match["check"]


class CpvProfiler:
    """Builds CpvProfile answers from the read model."""

    def __init__(self, read: ReadModel, cache_size: int = 256) -> None:
        self.read = read
        self.index = read.index
        # answers by (code as asked, day, language): the graph does not change while served; bounded
        # because the code and the day come from the request
        self._answers: BoundedCache[tuple[str, dt.date, str], m.CpvProfile] = BoundedCache(cache_size)

    def concept(self, digits: str) -> str | None:
        """The CPV concept IRI of 8 digits, if the graph has it."""
        iri = CPV + digits
        return iri if self.index.is_a(iri, CPV_CODE) else None

    def lineage(self, start: str) -> list[str]:
        """The concept and its ancestors (skos:broader and zeroed digits), nearest first."""
        out: list[str] = []
        frontier = [start]
        while frontier:
            nxt: list[str] = []
            for iri in frontier:
                if iri in out:
                    continue
                out.append(iri)
                nxt.extend(self.read.broader.get(iri, []))
                for digits in zeroed_ancestors(iri.removeprefix(CPV)):
                    parent = self.concept(digits)
                    if parent:
                        nxt.append(parent)
                        break
            frontier = nxt
        return out

    def nearest(self, lineage: list[str], cls: str | tuple[str, ...]) -> tuple[str | None, list[str]]:
        """The first concept of the lineage named (anr:cpvCode) by resources of `cls`, and those."""
        classes = (cls,) if isinstance(cls, str) else cls
        for concept in lineage:
            found = [
                s for s in self.read.citing(concept, ANR + "cpvCode") if any(self.index.is_a(s, c) for c in classes)
            ]
            if found:
                return concept, found
        return None, []

    def profile_on(self, code: str, day: str | None, lang: str) -> m.CpvProfile:
        """The profile as of a day given as YYYY-MM-DD (today when None); InvalidValueError for a bad day."""
        try:
            on = dt.date.fromisoformat(day) if day else dt.date.today()
        except ValueError:
            raise InvalidValueError(f"date {day!r}: expected a day YYYY-MM-DD, e.g. 2024-01-01") from None
        return self.profile(code, on, lang)

    def profile(self, code: str, on: dt.date, lang: str) -> m.CpvProfile:
        """The answer of GET /api/cpv/{code} (built on first use, then kept)."""
        return self._answers.get_or_build((code, on, lang), lambda: self._profile(code, on, lang))

    def _profile(self, code: str, on: dt.date, lang: str) -> m.CpvProfile:
        digits, check = parse_code(code)
        walked = [digits]
        start = self.concept(digits)
        for parent in zeroed_ancestors(digits):
            if start:
                break
            walked.append(parent)
            start = self.concept(parent)
        if start is None:
            raise self._nothing(digits, walked, lang)
        lineage = self.lineage(start)
        warnings = self._warnings(digits, check, start, lang)
        matched, subjects = self.nearest(lineage, (CATEGORY, FAMILY))
        categories = [s for s in subjects if self.index.is_a(s, CATEGORY)]
        families = {f for f in (self.read.family_of(s) for s in subjects) if f}
        # the scope rule: every row whose CPV code is this code or one of its ancestors
        rows = {r: links for r, links in self.read.scope.for_code(start).items() if self.index.is_a(r, SHARE)}
        shares = sorted(rows)
        share_items = [self._share(s, rows[s][0].via, on, lang) for s in shares]
        labels = self._labels(categories or [s for s in subjects if s in families], lang)
        criteria = self.read.criteria_for(families, categories)
        sources = set(self.index.by_iri[start].sources)
        for iri in [*subjects, *shares, *criteria]:
            sources.update(self.index.by_iri[iri].sources)
        for label in labels:
            sources.update(label.sources)
        return m.CpvProfile(
            code=code.strip(),
            date=on,
            cpv=self.read.cpv_refs([CPV + digits], lang)[0] if self.concept(digits) else None,
            matched=self.read.cpv_refs([matched or start], lang)[0],
            walked=[*walked, *(c.removeprefix(CPV) for c in lineage[1:] if c.removeprefix(CPV) not in walked)],
            categories=self.read.refs(categories, lang),
            families=self.read.refs(families, lang),
            shares=[s for s in share_items if s.in_force],
            shares_not_in_force=[s for s in share_items if not s.in_force],
            labels=labels,
            criteria=sorted(
                (self.read.criterion_summary(c, lang) for c in criteria),
                key=lambda c: ([r.id for r in c.roles], c.name.lower()),
            ),
            sources=sorted(sources),
            warnings=warnings,
            **self._in_time(on, [start, *subjects, *shares, *criteria, *(lb.iri for lb in labels)], sources, lang),
        )

    def _in_time(self, on: dt.date, shown: list[str], sources: set[str], lang: str) -> dict[str, Any]:
        """Review date, caveat past it, archived copies of gone pages, later facts overtaking the guide."""
        reviewed = self.read.reviewed
        beyond = reviewed is not None and on > reviewed
        facts: dict[str, list[str]] = {}
        for iri in dict.fromkeys(shown):
            for fact in self.read.superseded(iri):
                facts.setdefault(fact, []).append(iri)
        return {
            "reviewed": reviewed,
            "beyond_review": beyond,
            "caveat": message("sheet.beyond_review", lang, date=long_date(on, lang), reviewed=long_date(reviewed, lang))
            if beyond and reviewed
            else None,
            "archived_sources": {u: link for u in sorted(sources) if (link := self.read.archived(u))},
            "superseded": [
                m.LaterFact(
                    **self.read.ref(fact, lang).model_dump(),
                    description=self.index.by_iri[fact].description(lang),
                    since=as_date(self.read.props(fact).get(SUPERSEDED_ON)),
                    concerns=self.read.refs(concerned, lang),
                    sources=self.index.by_iri[fact].sources,
                )
                for fact, concerned in sorted(facts.items())
                if fact in self.index.by_iri
            ],
        }

    def _share(self, iri: str, via: str, on: dt.date, lang: str) -> m.Share:
        props = self.read.props(iri)
        start = as_date(props.get(ANR + "appliesFrom"))
        until = as_date(props.get(ANR + "appliesUntil"))
        notation = literal(self.read.props(via).get(SKOS + "notation")) or via.removeprefix(CPV)
        return m.Share(
            **self.read.ref(iri, lang).model_dump(),
            reused_or_recycled_percent=as_float(props.get(ANR + "minimumShareReusedOrRecycledPercent")),
            reused_percent=as_float(props.get(ANR + "minimumShareReusedPercent")),
            applies_from=start,
            applies_until=until,
            in_force=(start is None or start <= on) and (until is None or on <= until),
            legal_basis=self.read.refs(iris(props.get(ANR + "legalBasis")), lang),
            via_cpv=notation,
            sources=self.index.by_iri[iri].sources,
        )

    def _labels(self, categories: list[str], lang: str) -> list[m.ProofLabel]:
        best: dict[str, m.CategoryLabel] = {}
        for category in categories:
            for item in self.read.category_labels(category, lang):
                if item.iri not in best or (item.how == "direct" and best[item.iri].how != "direct"):
                    best[item.iri] = item
        order = self.read.sort_labels(best, lang)
        return [m.ProofLabel.model_validate(best[i].model_dump()) for i in order]

    def _warnings(self, digits: str, check: str | None, start: str, lang: str) -> list[str]:
        out = []
        exact = self.concept(digits)
        if exact and check:
            notation = literal(self.read.props(exact).get(SKOS + "notation")) or ""
            if notation and not notation.endswith(f"-{check}"):
                out.append(f"check digit {check} differs from the graph's notation {notation}")
        if not exact:
            nearest = self.read.cpv_refs([start], lang)[0]
            out.append(f"{digits} is not in the graph; the answer is that of its ancestor {nearest.code}")
        return out

    def _nothing(self, digits: str, walked: list[str], lang: str) -> Exception:
        codes = {
            c.iri.removeprefix(CPV): c for c in self.read.cpv_refs((r.iri for r in self.index.of_type(CPV_CODE)), lang)
        }
        close = difflib.get_close_matches(digits, list(codes), n=5, cutoff=0.5)
        known = ", ".join(sorted({c.code or c.id for c in codes.values()}))
        return UnknownResourceError(
            f"no CPV code of the graph matches {digits} or its ancestors ({', '.join(walked[1:])}); "
            f"the graph knows {known}",
            [Suggestion(r.id, r.iri, r.name(lang)) for r in (self.index.by_iri[codes[c].iri] for c in close)],
        )
