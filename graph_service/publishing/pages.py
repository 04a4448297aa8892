"""What the HTML pages show, as plain values for the templates: links, literals, property rows.

No markup here: `templates/*.html` turn these values into HTML (autoescaped), `rendering.render`
fills them. Each `*_page` function returns the context of one template.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar
from urllib.parse import urlencode

from graph_service.domain.index import ResourceIndex
from graph_service.domain.readmodel import ReadModel
from graph_service.formats.representations import GRAPHS
from graph_service.prefixes import PREFIXES
from graph_service.publishing.context import ALL_PREFIXES, compact
from graph_service.publishing.describe import name
from graph_service.publishing.dumps import Dumps
from graph_service.publishing.iris import Site
from graph_service.publishing.readable import readable
from graph_service.publishing.storegraph import GraphLike, StoreGraph, Vocabulary, resource
from graph_service.publishing.summaries import summary
from graph_service.publishing.terms import iri as text_of
from graph_service.publishing.terms import is_blank, is_literal, is_named, language

Node = Any  # a term of the graph, read through publishing/terms.py
DCTERMS, OWL, RDF = Vocabulary(PREFIXES["dcterms"]), Vocabulary(PREFIXES["owl"]), Vocabulary(PREFIXES["rdf"])
RDFS, SH, SKOS = Vocabulary(PREFIXES["rdfs"]), Vocabulary(PREFIXES["sh"]), Vocabulary(PREFIXES["skos"])

SHOWN_APART = (RDF.type, DCTERMS.description, DCTERMS.source)
NAMESPACE_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
SHAPE_KINDS = (SH.NodeShape,)
MAX_DEPTH = 6  # blank nodes shown inline up to this depth
# links to a resource shown per property on its page; past it the page links to the SPARQL query that lists
# them all, so that a page of a resource many others point to (a label's thousands of certificates) costs
# a bounded number of index look-ups, not one per link
INCOMING_PER_PROPERTY = 50


@dataclass(frozen=True)
class Link:
    """A link to an IRI: to the service when it describes it; `curie` follows a property's name."""

    kind: ClassVar[str] = "link"
    href: str
    text: str
    curie: str = ""
    external: bool = False


@dataclass(frozen=True)
class Text:
    """A literal with its language or (compact) datatype; `url` when its text is a web address."""

    kind: ClassVar[str] = "text"
    text: str
    lang: str = ""
    datatype: str = ""
    url: bool = False
    href: str = ""


@dataclass(frozen=True)
class Row:
    """One property of a subject and its values."""

    prop: Link
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Blank:
    """A blank node shown inline: an RDF list (`items`), else its properties (`rows`)."""

    kind: ClassVar[str] = "blank"
    rows: tuple[Row, ...] = ()
    items: tuple[Value, ...] | None = None


Value = Link | Text | Blank


@dataclass(frozen=True)
class Heading:
    """The title block of a page: the name in the page's language, the other name, the IRI, the kinds."""

    title: str
    other: str
    other_lang: str
    iri: str
    kinds: tuple[Link, ...]


@dataclass
class Views:
    """Turns nodes and triples into values for the templates; knows which IRIs the service describes.

    Names come from the resource index (the names /api and the path explanations give); `names` (a
    graph of naming triples) names what the index does not hold: shapes, catalogue nodes."""

    site: Site
    names: GraphLike
    described: Callable[[str], bool]
    lang: str = "fr"
    index: ResourceIndex | None = None

    def name(self, node: Node, lang: str) -> str | None:
        """The node's name in `lang` (else in the other language), or None."""
        res = self.index.get(text_of(node)) if self.index is not None else None
        if res is not None and res.names:
            return res.name(lang)
        return name(self.names, node, lang)

    def label(self, node: Node) -> str:
        """A readable name: the node's name in the page's language, else its compact IRI."""
        found = self.name(node, self.lang)
        return found if found else compact(text_of(node), ALL_PREFIXES)

    def link(self, node: Node, prop: Node | None = None) -> Value:
        """An IRI as a link (to the service if it describes it), a literal as text (formatted for `prop`)."""
        if is_literal(node):
            return self.literal(node, prop)
        if is_blank(node):
            return Blank()
        iri = text_of(node)
        href = self.site.href(iri, described=self.described(iri))
        return Link(href, self.label(node), external=href == iri)

    def readable(self, value: object, prop: object | None = None) -> str:
        """A literal's text in the page's language (dates in words, percentages, numbers)."""
        return readable(value, self.lang, prop)

    def literal(self, value: Node, prop: Node | None = None) -> Text:
        """A literal as people read it, with its language (never its datatype)."""
        text = self.readable(value, prop)
        lang = language(value) or ""
        url = text.startswith(("http://", "https://")) and " " not in text
        href = self.site.href(text, described=self.described(text)) if url else ""
        return Text(text, lang if lang != self.lang else "", "", url, href)

    def prop(self, prop: Node) -> Link:
        """A property: its name (rdfs:label) in the page's language, else its compact IRI; linked."""
        curie = compact(text_of(prop), ALL_PREFIXES)
        found = self.name(prop, self.lang)
        href = self.site.href(text_of(prop), described=self.described(text_of(prop)))
        return Link(href, found or curie)

    def pick_language(self, values: list[Node]) -> list[Node]:
        """Texts in the page's language when there are some (the others are dropped), else all."""
        mine = [v for v in values if is_literal(v) and language(v) == self.lang]
        if not mine:
            return values
        return [v for v in values if not (is_literal(v) and language(v) and language(v) != self.lang)]

    def ordered(self, values: Iterable[Node]) -> list[Node]:
        """Values in a stable order: texts first, then links by name."""
        return sorted(values, key=lambda n: (*_value_order(n)[:2], self.label(n).lower(), text_of(n)))

    def value_of(self, graph: GraphLike, node: Node, prop: Node | None = None, depth: int = 0) -> Value:
        """A value of `prop`; blank nodes are shown inline (lists as ordered lists)."""
        if is_blank(node) and depth < MAX_DEPTH:
            items = rdf_list(graph, node)
            if items is not None:
                return Blank(items=tuple(self.value_of(graph, i, None, depth + 1) for i in items))
            return Blank(rows=self.rows(graph, node, depth=depth + 1))
        return self.link(node, prop)

    def value(self, graph: GraphLike, node: Node, depth: int) -> Value:
        """A value without a property (list items)."""
        return self.value_of(graph, node, None, depth)

    def rows(self, graph: GraphLike, subject: Node, exclude: Iterable[Node] = (), depth: int = 0) -> tuple[Row, ...]:
        """All properties of `subject` in `graph`, grouped by property, texts in the page's language."""
        skip = set(exclude)
        props = sorted({p for p in graph.predicates(subject) if p not in skip}, key=_prop_order)
        rows = []
        for p in props:
            values = self.ordered(self.pick_language(list(graph.objects(subject, p))))
            rows.append(Row(self.prop(p), tuple(self.value_of(graph, o, p, depth) for o in values)))
        return tuple(rows)

    def incoming(self, graph: GraphLike, focus: Node) -> list[tuple[Value, Link]]:
        """Links to `focus`: who points to it, and by which property (at most INCOMING_PER_PROPERTY each)."""
        return self.incoming_links(graph, focus)[0]

    def incoming_links(self, graph: GraphLike, focus: Node) -> tuple[list[tuple[Value, Link]], list[tuple[Link, str]]]:
        """The links to `focus`, per property (sorted), the first INCOMING_PER_PROPERTY of each by name; and
        the properties that have more, each with the address of the SPARQL query that lists them all.
        One index look-up per property of the data, each reading at most INCOMING_PER_PROPERTY + 1 triples."""
        preds: list[Node]
        if isinstance(graph, StoreGraph):
            preds = list(graph.predicate_set())
        else:
            preds = sorted(set(graph.predicates(None, focus)), key=text_of)
        links: list[tuple[Value, Link]] = []
        cut: list[tuple[Link, str]] = []
        for p in preds:
            subjects = [s for s in islice(graph.subjects(p, focus), INCOMING_PER_PROPERTY + 1) if not is_blank(s)]
            if len(subjects) > INCOMING_PER_PROPERTY:
                subjects = subjects[:INCOMING_PER_PROPERTY]
                query = f"SELECT ?resource WHERE {{ ?resource <{text_of(p)}> <{text_of(focus)}> }} ORDER BY ?resource"
                cut.append((self.prop(p), self.site.url("/sparql?" + urlencode({"query": query}))))
            named = sorted((self.label(s), text_of(s)) for s in set(subjects))
            links.extend((self.link(resource(iri)), self.prop(p)) for _name, iri in named)
        return links, cut

    def heading(self, graph: GraphLike, iri: Node) -> Heading:
        """Names in the page's language and the other one, the IRI, the kinds."""
        other_lang = "en" if self.lang == "fr" else "fr"
        mine = self.name(iri, self.lang) or name(graph, iri, self.lang)
        other = self.name(iri, other_lang) or name(graph, iri, other_lang)
        res = self.index.get(text_of(iri)) if self.index is not None else None
        types = [resource(k) for k in res.kinds] if res else sorted(graph.objects(iri, RDF.type), key=text_of)
        kinds = tuple(self.link(t) for t in types)
        return Heading(
            mine or compact(text_of(iri), ALL_PREFIXES),
            other if other and other != mine else "",
            other_lang,
            text_of(iri),
            tuple(k for k in kinds if isinstance(k, Link)),
        )

    def descriptions(self, graph: GraphLike, iri: Node) -> list[Text]:
        """The resource's descriptions, the page's language first."""
        values = sorted(
            (v for v in self.pick_language(list(graph.objects(iri, DCTERMS.description))) if is_literal(v)),
            key=lambda v: (language(v) != self.lang, language(v) or ""),
        )
        return [self.literal(v) for v in values]

    def links(self, nodes: Iterable[Node]) -> list[Value]:
        """Several nodes as links."""
        return [self.link(n) for n in nodes]

    def source_links(self, nodes: Iterable[Node]) -> list[Value]:
        """Sources as links to the public pages themselves (their pins are described, not their text)."""
        out: list[Value] = []
        for node in nodes:
            iri = text_of(node)
            served = self.site.path_of(iri) is not None
            if is_named(node) and iri.startswith(("http://", "https://")) and not served:
                out.append(Link(iri, self.label(node), external=True))
            else:
                out.append(self.link(node))
        return out


def alternates_for(base_href: str) -> list[tuple[str, str]]:
    """Links to the RDF representations of a page (`href.ttl`, ...)."""
    return [(base_href + f.suffix, f.media_type) for f in GRAPHS]


def rdf_list(graph: GraphLike, node: Node) -> list[Node] | None:
    """The items of an RDF list starting at `node`, or None if it is not one."""
    items: list[Node] = []
    seen: set[Node] = set()
    while node != RDF.nil:
        first = graph.value(node, RDF.first)
        if first is None or node in seen:
            return None
        seen.add(node)
        items.append(first)
        rest = graph.value(node, RDF.rest)
        if rest is None:
            return None
        node = rest
    return items


def resource_page(v: Views, graph: GraphLike, iri: Node, read: ReadModel) -> dict[str, Any]:
    """A resource: names, kinds, descriptions, what matters for its class (coverage from the read model,
    like /api), the other properties, sources, incoming links."""
    found = summary(v, graph, iri, read)
    incoming, cut = v.incoming_links(graph, iri)
    return {
        "heading": v.heading(graph, iri),
        "descriptions": v.descriptions(graph, iri),
        "facts": found.facts,
        "rows": v.rows(graph, iri, exclude=(*SHOWN_APART, *found.shown)),
        "sources": v.source_links(sorted(graph.objects(iri, DCTERMS.source), key=text_of)),
        "incoming": incoming,
        "incoming_cut": cut,
        "incoming_per_property": INCOMING_PER_PROPERTY,
    }


def namespace_page(v: Views, graph: GraphLike, iri: Node, kinds: tuple[Node, ...]) -> dict[str, Any]:
    """An ontology or shapes document: its own properties, then its terms by kind."""
    sections = []
    for kind in kinds:
        terms = sorted(
            (s for s in graph.subjects(RDF.type, kind) if is_named(s) and text_of(s).startswith(text_of(iri))),
            key=text_of,
        )
        if terms:
            sections.append((v.link(kind), [(v.link(t), _comment(graph, t, v.lang)) for t in terms]))
    return {
        "heading": v.heading(graph, iri),
        "descriptions": v.descriptions(graph, iri),
        "rows": v.rows(graph, iri, exclude=SHOWN_APART),
        "sections": sections,
    }


def shape_page(v: Views, shapes: GraphLike, iri: Node) -> dict[str, Any]:
    """A SHACL shape with its property shapes shown inline."""
    return {
        "heading": v.heading(shapes, iri),
        "comments": [text_of(c) for c in sorted(shapes.objects(iri, RDFS.comment), key=text_of)],
        "rows": v.rows(shapes, iri, exclude=(RDF.type, RDFS.comment)),
    }


def catalog_page(v: Views, catalog: GraphLike, catalog_iri: Node, dumps: Dumps, version: str) -> dict[str, Any]:
    """The catalogue for people: downloads first, then every DCAT statement."""
    subjects = sorted({s for s in catalog.subjects(RDF.type, None) if is_named(s)}, key=text_of)
    return {
        "version": version,
        "files": [f for f, _fmt in dumps.graph_dumps()],
        "sections": [
            (text_of(s).rpartition("#")[2], v.label(s), text_of(s), v.rows(catalog, s))
            for s in [catalog_iri, *[s for s in subjects if s != catalog_iri]]
        ],
    }


def void_page(v: Views, void: GraphLike, node: Node) -> dict[str, Any]:
    """The VoID description for people: the dataset node and its statements."""
    return {"iri": text_of(node), "rows": v.rows(void, node)}


def dumps_page(dumps: Dumps, version: str) -> dict[str, Any]:
    """The list of files of the export."""
    return {"version": version, "files": sorted(dumps.files.values(), key=lambda f: f.name)}


def index_page(v: Views, graph: GraphLike, iris: list[str], prefix: str) -> dict[str, Any]:
    """Resources whose IRI starts with `prefix` (a kind under /id/), or the kinds themselves."""
    rest = [i[len(prefix) :] for i in iris if i.startswith(prefix)]
    if prefix.endswith("/id/"):
        kinds = Counter(x.split("/", 1)[0] for x in rest if "/" in x)
        return {"prefix": prefix, "kinds": sorted(kinds.items()), "members": []}
    members = sorted({prefix + x for x in rest if x and "/" not in x and (resource(prefix + x), None, None) in graph})
    return {"prefix": prefix, "kinds": [], "members": [(v.link(resource(i)), i[len(prefix) :]) for i in members]}


def closest_paths(path: str, known_paths: list[str], n: int = 8) -> list[str]:
    """Known paths closest to `path`, by whole path and by last segment (the slug)."""
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    by_slug: dict[str, list[str]] = {}
    for p in known_paths:
        by_slug.setdefault(p.rstrip("/").rsplit("/", 1)[-1], []).append(p)
    found = [p for s in difflib.get_close_matches(slug, list(by_slug), n=n, cutoff=0.5) for p in by_slug[s]]
    found += difflib.get_close_matches(path, known_paths, n=n, cutoff=0.6)
    return list(dict.fromkeys(found))[:n]


def _comment(graph: GraphLike, term: Node, lang: str) -> str:
    for prop in (RDFS.comment, SKOS.definition, DCTERMS.description):
        for value in sorted(graph.objects(term, prop), key=lambda v: (language(v) != lang, text_of(v))):
            return text_of(value)
    return name(graph, term, lang) or ""


def _prop_order(prop: Node) -> tuple[int, str]:
    first = (RDF.type, SKOS.prefLabel, DCTERMS.description)
    return (first.index(prop) if prop in first else len(first), compact(text_of(prop), ALL_PREFIXES))


def _value_order(node: Node) -> tuple[int, str, str]:
    lang = language(node) or ""
    return (0 if is_literal(node) else 1, {"fr": "0", "en": "1"}.get(lang, lang), text_of(node))
