"""What matters first on a resource page, by class: a label, a legal text, a category, an obligation.

`summary(views, graph, iri)` returns the facts to show above the plain table of triples, and the
properties they already show (left out of that table). Facts are computed from the graph: the
categories a label covers (with the narrower ones, said so), the obligations a legal text sets
(through its articles too), the labels and obligations of a category (inherited from a broader
category, said so), the share of an obligation as a percentage with its dates and legal basis.
`render_summary(graph)` is the whole graph's summary (`graph-service summary`): its size and classes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pyoxigraph as ox

from graph_service.domain.readmodel import ReadModel
from graph_service.prefixes import PREFIXES, sparql_prologue
from graph_service.publishing.storegraph import GraphLike, Vocabulary, resource
from graph_service.publishing.terms import RDF_TYPE, is_literal
from graph_service.publishing.terms import iri as text_of
from graph_service.rendering import message

if TYPE_CHECKING:
    from graph_service.publishing.pages import Views

ELI = PREFIXES["eli"]
SKOS = PREFIXES["skos"]
ANR = Vocabulary(PREFIXES["anr"])
Node = Any  # a term of the graph, read through publishing/terms.py
TYPE = resource(RDF_TYPE)
BROADER = resource(SKOS + "broader")
SCHEMA_URL = resource(PREFIXES["schema"] + "url")


def eli(term: str) -> Node:
    """A term of the ELI ontology."""
    return resource(ELI + term)


LEGAL_CLASSES = (eli("LegalResource"), eli("LegalResourceSubdivision"))
LABEL_CLASSES = (ANR.Label, ANR.LabelLevel)
CATEGORY_CLASSES = (ANR.PurchaseCategory, ANR.PurchaseFamily)
OBLIGATION_CLASSES = (ANR.Obligation, ANR.MinimumShareRequirement)
SHARES = (ANR.minimumShareReusedOrRecycledPercent, ANR.minimumShareReusedPercent)


@dataclass(frozen=True)
class Item:
    """One entry of a fact: a value (link or text) and notes in words (`hérité de …`, `20 %`)."""

    kind: ClassVar[str] = "item"
    value: object
    notes: tuple[object, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A line of the summary: a title in the page's language and its entries."""

    title: str
    items: tuple[Item, ...]


@dataclass
class Summary:
    """The facts of a page and the properties they show."""

    facts: list[Fact] = field(default_factory=list)
    shown: set[Node] = field(default_factory=set)


class Summarizer:
    """Builds the summary of one resource with a `pages.Views` (names, links, literals)."""

    def __init__(self, views: Views, graph: GraphLike, read: ReadModel) -> None:
        self.v = views
        self.g = graph
        self.read = read
        self.out = Summary()

    # -- helpers ---------------------------------------------------------------------------------

    def say(self, key: str, **values: object) -> str:
        """A wording of messages.json in the page's language."""
        return message(key, self.v.lang, **values)

    def add(self, title: str, items: Iterable[Item]) -> None:
        """A fact, when it has entries."""
        found = tuple(items)
        if found:
            self.out.facts.append(Fact(title, found))

    def prop_fact(self, subject: Node, prop: Node) -> None:
        """The values of one property, titled by its label, formatted by language."""
        values = self.v.pick_language(list(self.g.objects(subject, prop)))
        self.add(self.v.prop(prop).text, (Item(self.v.value_of(self.g, o, prop)) for o in self.v.ordered(values)))
        self.out.shown.add(prop)

    def links(self, nodes: Iterable[Node]) -> list[Item]:
        """Nodes as linked entries, by name."""
        return [Item(self.v.link(n)) for n in sorted(set(nodes), key=lambda n: self.v.label(n).lower())]

    def types(self, node: Node) -> set[Node]:
        """The classes of a node."""
        return set(self.g.objects(node, TYPE))

    def ancestors(self, node: Node) -> list[Node]:
        """Broader categories, nearest first (the read model's hierarchy)."""
        return [resource(i) for i in self.read.ancestors(text_of(node))]

    def descendants(self, node: Node) -> list[tuple[Node, Node]]:
        """Narrower categories at any depth, each with the category it hangs from."""
        found: list[tuple[Node, Node]] = []
        frontier = [text_of(node)]
        seen = {text_of(node)}
        while frontier:
            item = frontier.pop(0)
            for narrower in sorted(self.read.narrower.get(item, [])):
                if narrower not in seen:
                    seen.add(narrower)
                    found.append((resource(narrower), resource(item)))
                    frontier.append(narrower)
        return found

    def share_notes(self, obligation: Node) -> list[object]:
        """The share, dates of an obligation, as words."""
        notes: list[object] = []
        for prop, key in zip(SHARES, ("summary.share", "summary.share_reused"), strict=True):
            for value in self.g.objects(obligation, prop):
                if is_literal(value):
                    notes.append(self.say(key, value=self.v.readable(value, prop)))
        for prop, key in ((ANR.appliesFrom, "summary.from"), (ANR.appliesUntil, "summary.until")):
            for value in self.g.objects(obligation, prop):
                if is_literal(value):
                    notes.append(self.say(key, date=self.v.readable(value, prop)))
        return notes

    # -- per class -------------------------------------------------------------------------------

    def label(self, iri: Node) -> None:
        """Kind, issuer, levels, validity, categories covered (narrower ones too), what it attests."""
        for prop in (ANR.labelKind, ANR.issuer, ANR.levelOf):
            self.prop_fact(iri, prop)
        self.add(self.say("summary.levels"), self.links(self.g.subjects(ANR.levelOf, iri)))
        self.prop_fact(iri, ANR.validityPeriodYears)
        covered: list[Node] = [resource(c) for c in self.read.covered_categories(text_of(iri))]
        items = [Item(self.v.link(c)) for c in covered]
        for category in covered:
            for narrower, parent in self.descendants(category):
                if narrower not in covered:
                    note = self.say("summary.narrower_of", name=self.v.label(parent))
                    items.append(Item(self.v.link(narrower), (note,)))
        self.add(self.say("resource.covered"), items)
        self.prop_fact(iri, ANR.attests)
        self.prop_fact(iri, ANR.caveat)
        self.prop_fact(iri, SCHEMA_URL)

    def legal(self, iri: Node) -> None:
        """Title, dates, obligations it sets (through its articles too), categories, articles, links."""
        for prop in (
            eli("title"),
            eli("type_document"),
            eli("id_local"),
            eli("date_document"),
            eli("date_publication"),
            eli("first_date_entry_in_force"),
            eli("is_part_of"),
        ):
            self.prop_fact(iri, prop)
        parts = sorted(self.g.subjects(eli("is_part_of"), iri), key=lambda n: self.v.label(n).lower())
        obligations: list[Item] = []
        seen: set[Node] = set()
        categories: set[Node] = set()
        for text in (iri, *parts):
            for subject in sorted(self.g.subjects(ANR.legalBasis, text), key=lambda n: self.v.label(n).lower()):
                if subject in seen or not self.types(subject) & set(OBLIGATION_CLASSES):
                    continue
                seen.add(subject)
                notes = self.share_notes(subject)
                if text != iri:
                    notes.append(self.say("summary.through", name=self.v.label(text)))
                obligations.append(Item(self.v.link(subject), tuple(notes)))
                categories.update(resource(c) for c in self.read.scope.categories_of(text_of(subject)))
                categories.update(self.g.objects(subject, ANR.appliesToFamily))
        self.add(self.say("summary.sets"), obligations)
        self.add(self.say("summary.for_categories"), self.links(categories))
        self.add(self.say("summary.articles"), self.links(parts))
        for prop in (eli("amends"), eli("repeals"), eli("based_on")):
            self.prop_fact(iri, prop)
        for prop, key in (
            (eli("amends"), "summary.amended_by"),
            (eli("repeals"), "summary.repealed_by"),
            (eli("based_on"), "summary.applied_by"),
        ):
            self.add(self.say(key), self.links(self.g.subjects(prop, iri)))

    def category(self, iri: Node) -> None:
        """Broader and narrower, labels (inherited said so), obligations and shares, CPV codes."""
        self.prop_fact(iri, BROADER)
        self.add(self.say("summary.narrower"), self.links(self.g.subjects(BROADER, iri)))
        labels = []
        for found in self.read.category_labels(text_of(iri), self.v.lang):
            notes: list[object] = [self.v.link(resource(k.iri)) for k in found.kinds]
            if found.how != "direct":
                notes.append(self.say("summary.inherited", name=found.via.name))
            labels.append(
                (
                    self.read.kind_rank(found.iri),
                    found.name.lower(),
                    Item(self.v.link(resource(found.iri)), tuple(notes)),
                )
            )
        self.add(self.say("resource.covering"), (item for _r, _n, item in sorted(labels, key=lambda x: x[:2])))
        duties: list[tuple[str, Item]] = []
        # the scope rule (domain/scope.py): by the category, a broader one, its family or its CPV codes
        for name, links in sorted(self.read.scope.for_subject(text_of(iri)).items()):
            duty = resource(name)
            if not self.types(duty) & set(OBLIGATION_CLASSES):
                continue
            notes = self.share_notes(duty)
            bases = sorted(self.g.objects(duty, ANR.legalBasis), key=text_of)
            notes += [self.v.link(b) for b in bases]
            cpv = [link.via for link in links if link.route == "cpv"]
            via = links[0].via
            if cpv:  # the nearest code: the one with the fewest trailing zeros
                code = max(cpv, key=lambda c: len(c.rstrip("0")))
                notation = self.read.props(code).get(SKOS + "notation")
                notes.append(self.say("summary.by_cpv", code=notation[0].value if notation else code.rsplit("/", 1)[1]))
            elif via != text_of(iri):
                notes.append(self.say("summary.inherited", name=self.v.label(resource(via))))
            first = "0" if any((duty, p, None) in self.g for p in SHARES) else "1"
            duties.append((first + self.v.label(duty).lower(), Item(self.v.link(duty), tuple(notes))))
        self.add(self.say("summary.obligations"), (item for _k, item in sorted(duties, key=lambda x: x[0])))
        self.prop_fact(iri, ANR.cpvCode)

    def obligation(self, iri: Node) -> None:
        """Shares as percentages, dates, legal basis (linked), who, categories, CPV codes."""
        for prop in (*SHARES, ANR.appliesFrom, ANR.appliesUntil, ANR.legalBasis, ANR.bearsOn, ANR.appliesToFamily):
            self.prop_fact(iri, prop)
        # the categories the scope rule reaches (named, or under one of its CPV codes)
        reached = [resource(c) for c in self.read.scope.categories_of(text_of(iri))]
        self.add(self.v.prop(ANR.appliesToCategory).text, self.links(reached))
        self.out.shown.add(ANR.appliesToCategory)
        self.prop_fact(iri, ANR.cpvCode)


def summary(views: Views, graph: GraphLike, iri: Node, read: ReadModel) -> Summary:
    """The summary of `iri` by its classes (empty for the other classes)."""
    s = Summarizer(views, graph, read)
    kinds = s.types(iri)
    if kinds & set(LABEL_CLASSES):
        s.label(iri)
    elif kinds & set(LEGAL_CLASSES):
        s.legal(iri)
    elif kinds & set(CATEGORY_CLASSES):
        s.category(iri)
    elif kinds & set(OBLIGATION_CLASSES):
        s.obligation(iri)
    return s.out


# -- the whole graph's summary (`graph-service summary`) ----------------------------------------------


ONTOLOGY_KINDS = ("owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty", "owl:Ontology")
CLASS_COUNTS = (
    sparql_prologue()
    + """
SELECT ?class (COUNT(*) AS ?n) (SAMPLE(?fr) AS ?any) (SAMPLE(?en) AS ?english) WHERE {
  { SELECT DISTINCT ?s ?class WHERE { ?s rdf:type ?class . FILTER (isIRI(?class)
      && ?class NOT IN ("""
    + ", ".join(ONTOLOGY_KINDS)
    + """)) } }
  OPTIONAL { ?class rdfs:label|skos:prefLabel ?fr }
  OPTIONAL { ?class rdfs:label ?en . FILTER (lang(?en) = "en") }
} GROUP BY ?class"""
)
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def class_counts(store: ox.Store) -> list[tuple[str, int]]:
    """Number of instances of each class used in the data (ontology declarations left out)."""
    rows = []
    result = store.query(CLASS_COUNTS, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        cls, n = row["class"], row["n"]
        assert isinstance(cls, ox.NamedNode) and isinstance(n, ox.Literal)
        label = row["english"] or row["any"]
        name = _class_name(cls.value)
        rows.append((f"{name} ({label.value})" if label is not None else name, int(n.value)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _class_name(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and iri[len(ns) :]:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def render_summary(store: ox.Store) -> str:
    """A short table of the graph's size and its classes."""
    result = store.query(TRIPLES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    total = next(iter(result))["n"]
    lines = [f"{total.value if total is not None else 0} triples", "instances per class:"]
    lines += [f"  {n:5d}  {name}" for name, n in class_counts(store)]
    return "\n".join(lines)
