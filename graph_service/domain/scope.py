"""The graph's one scope rule: which obligations, criteria and advice reach which purchase categories.

A resource reaches a purchase category when
1. it names the category, or a broader category, with anr:appliesToCategory ("category");
2. it names the category's purchase family with anr:appliesToFamily ("family");
3. one of its CPV codes (anr:cpvCode) is a CPV code of the category or an ancestor of one in the
   CPV tree (skos:broader*): a code on a legal row covers its descendants ("cpv").
It reaches a family when it names the family or reaches one of the family's categories.

The API, the sheets, the /id pages and the exports ask this module; the named query
queries/obligations-by-category.rq is the same rule in SPARQL (anr:cpvCode/skos:broader* for the
CPV route), and tests/graph/test_scope_rule.py checks that both give the same answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from graph_service.domain.readmodel import ReadModel

Route = Literal["category", "family", "cpv"]
ANR = "https://w3id.org/achats-numeriques-responsables/def/"
APPLIES_TO_CATEGORY, APPLIES_TO_FAMILY, CPV_CODE = ANR + "appliesToCategory", ANR + "appliesToFamily", ANR + "cpvCode"
CATEGORY, FAMILY = ANR + "PurchaseCategory", ANR + "PurchaseFamily"


@dataclass(frozen=True, order=True)
class Link:
    """Why a resource reaches a category: the route and the category, family or CPV code it goes through."""

    route: Route
    via: str


class ScopeRule:
    """The scope of every resource that carries anr:appliesToCategory, anr:appliesToFamily or anr:cpvCode
    (categories and families themselves excepted), computed once from the read model."""

    def __init__(self, read: ReadModel) -> None:
        self.read = read
        index = read.index
        self.categories = sorted(r.iri for r in index.of_type(CATEGORY) if not index.is_a(r.iri, FAMILY))
        self.families = sorted(r.iri for r in index.of_type(FAMILY))
        subjects: set[str] = set()
        for target in self.categories:
            subjects.update(read.citing(target, APPLIES_TO_CATEGORY))
        for target in self.families:
            subjects.update(read.citing(target, APPLIES_TO_FAMILY))
        for concept in index.of_type(ANR + "CpvCode"):
            subjects.update(read.citing(concept.iri, CPV_CODE))
        self.resources = sorted(s for s in subjects if s not in self.categories and s not in self.families)
        self._by_category: dict[str, dict[str, list[Link]]] = {c: defaultdict(list) for c in self.categories}
        for category in self.categories:
            self._fill(category)

    def cpv_ancestors(self, concept: str) -> list[str]:
        """The CPV concept and its ancestors in the graph's CPV tree (skos:broader*), nearest first."""
        return [concept, *self.read.ancestors(concept)]

    def _fill(self, category: str) -> None:
        read, out = self.read, self._by_category[category]
        lineage = [category, *read.ancestors(category)]
        for via in lineage:
            if self.read.index.is_a(via, FAMILY):
                for res in read.citing(via, APPLIES_TO_FAMILY):
                    out[res].append(Link("family", via))
            elif self.read.index.is_a(via, CATEGORY):
                for res in read.citing(via, APPLIES_TO_CATEGORY):
                    out[res].append(Link("category", via))
        codes = [t.value for t in read.props(category).get(CPV_CODE, [])]
        seen: set[str] = set()
        for code in codes:
            for via in self.cpv_ancestors(code):
                if via in seen:
                    continue
                seen.add(via)
                for res in read.citing(via, CPV_CODE):
                    if res not in self.categories and res not in self.families:
                        out[res].append(Link("cpv", via))
        for res in list(out):
            out[res] = sorted(set(out[res]))

    # -- questions -------------------------------------------------------------------------

    def for_category(self, category: str) -> dict[str, list[Link]]:
        """Every resource reaching the category, with the links it goes through."""
        return dict(self._by_category.get(category, {}))

    def for_family(self, family: str) -> dict[str, list[Link]]:
        """Every resource naming the family, or reaching one of its categories, with its links."""
        out: dict[str, set[Link]] = defaultdict(set)
        for res in self.read.citing(family, APPLIES_TO_FAMILY):
            out[res].add(Link("family", family))
        for category in self.read.descendants(family):
            for res, links in self._by_category.get(category, {}).items():
                out[res].update(links)
        return {res: sorted(links) for res, links in out.items()}

    def for_subject(self, iri: str) -> dict[str, list[Link]]:
        """for_family for a family, for_category for a category."""
        return self.for_family(iri) if iri in self.families else self.for_category(iri)

    def links(self, resource: str, category: str) -> list[Link]:
        """How `resource` reaches `category` (empty: it does not)."""
        return list(self._by_category.get(category, {}).get(resource, []))

    def categories_of(self, resource: str) -> list[str]:
        """The categories a resource reaches."""
        return [c for c in self.categories if resource in self._by_category[c]]

    def families_of(self, resource: str) -> list[str]:
        """The families a resource names or reaches through one of their categories."""
        named = {t.value for t in self.read.props(resource).get(APPLIES_TO_FAMILY, [])}
        reached = {f for c in self.categories_of(resource) if (f := self.read.family_of(c))}
        return sorted(named | reached)

    def reaches(self, resource: str, categories: Iterable[str], families: Iterable[str] = ()) -> bool:
        """Whether the resource reaches one of the categories, or names one of the families (a family sheet
        passes the family and all its categories; a category sheet, the category and its family)."""
        if any(resource in self._by_category.get(c, {}) for c in categories):
            return True
        named = {t.value for t in self.read.props(resource).get(APPLIES_TO_FAMILY, [])}
        return bool(named & set(families))

    def for_code(self, concept: str) -> dict[str, list[Link]]:
        """Resources whose CPV code is the concept or one of its ancestors (the CPV rule for a code asked
        directly, as /api/cpv does)."""
        out: dict[str, list[Link]] = defaultdict(list)
        for via in self.cpv_ancestors(concept):
            for res in self.read.citing(via, CPV_CODE):
                if res not in self.categories and res not in self.families:
                    out[res].append(Link("cpv", via))
        return dict(out)
