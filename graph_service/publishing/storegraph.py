"""The pages' view of the Oxigraph store: the few reading methods of a graph they use, asked of the store.

The pages, descriptions and catalogues were written against rdflib's `Graph` (`objects`, `subjects`,
`value`, `(s, p, o) in graph`...). `StoreGraph` answers the same calls from one or more Oxigraph stores
(the union of their graphs, each triple once per call), converting terms on the way, so that no second
copy of the data is kept in memory: every call is a `quads_for_pattern` of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph_service.publishing.context import ALL_PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
Pattern = tuple[Node | None, Node | None, Node | None]
Triple = tuple[Node, Node, Node]


def to_rdf(term: object) -> Node:
    """An Oxigraph term as rdflib's (a plain string literal has no datatype, as rdflib reads Turtle)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as Oxigraph's."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    assert isinstance(node, Literal)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype is not None:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


class StoreGraph:
    """Read-only: the union of the graphs of the given stores, through rdflib's reading methods."""

    def __init__(self, *stores: ox.Store) -> None:
        self.stores = stores
        self._predicates: list[URIRef] | None = None

    def predicate_set(self) -> list[URIRef]:
        """Every predicate of the stores, sorted: one walk of the data the first time, then kept (as many
        as the vocabularies' properties, whatever the size of the data)."""
        if self._predicates is None:
            found: set[str] = set()
            for store in self.stores:
                result = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                assert isinstance(result, ox.QuerySolutions)
                found.update(row["p"].value for row in result)
            self._predicates = [URIRef(p) for p in sorted(found)]
        return self._predicates

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching the pattern (None: any), each once."""
        s, p, o = pattern
        if isinstance(s, Literal) or (p is not None and not isinstance(p, URIRef)):
            return
        subject = to_ox(s) if s is not None else None
        predicate = ox.NamedNode(str(p)) if p is not None else None
        obj = to_ox(o) if o is not None else None
        seen: set[ox.Triple] = set()  # a triple stated in several files is in several named graphs
        for store in self.stores:
            for quad in store.quads_for_pattern(subject, predicate, obj):  # type: ignore[arg-type]
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    yield to_rdf(quad.subject), to_rdf(quad.predicate), to_rdf(quad.object)

    def __iter__(self) -> Iterator[Triple]:
        return self.triples((None, None, None))

    def __contains__(self, pattern: Pattern) -> bool:
        return next(self.triples(pattern), None) is not None

    def __len__(self) -> int:
        """The number of distinct triples (a walk over the stores)."""
        return sum(1 for _triple in self.ox_triples())

    def subjects(self, predicate: Node | None = None, obj: Node | None = None, unique: bool = False) -> Iterator[Node]:
        """Subjects of the matching triples (each once when `unique`)."""
        found = (s for s, _p, _o in self.triples((None, predicate, obj)))
        yield from (dict.fromkeys(found) if unique else found)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """Objects of the matching triples."""
        return (o for _s, _p, o in self.triples((subject, predicate, None)))

    def predicates(self, subject: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        """Predicates of the matching triples."""
        return (p for _s, p, _o in self.triples((subject, None, obj)))

    def subject_predicates(self, obj: Node | None = None) -> Iterator[tuple[Node, Node]]:
        """(subject, predicate) of the triples with that object."""
        return ((s, p) for s, p, _o in self.triples((None, None, obj)))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        """(predicate, object) of the triples with that subject."""
        return ((p, o) for _s, p, o in self.triples((subject, None, None)))

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        """(subject, object) of the triples with that predicate."""
        return ((s, o) for s, _p, o in self.triples((None, predicate, None)))

    def value(self, subject: Node | None = None, predicate: Node | None = None, obj: Node | None = None) -> Node | None:
        """One value of the missing position, or None."""
        for s, p, o in self.triples((subject, predicate, obj)):
            return o if obj is None else s if subject is None else p
        return None

    def all_nodes(self) -> set[Node]:
        """Every subject and object."""
        return {n for s, _p, o in self for n in (s, o)}

    def serialize(self, format: str = "nt", encoding: str = "utf-8") -> bytes:
        """N-Triples (the one format asked of a view: `publishing/serialize.py` writes the others)."""
        if format not in ("nt", "ntriples"):
            raise ValueError(f"a store view serialises N-Triples only, not {format!r}")
        return ox.serialize(self.ox_triples(), format=ox.RdfFormat.N_TRIPLES) or b""

    def with_graph(self, graph: Graph) -> StoreGraph:
        """This view and a small rdflib graph (a catalogue built for one answer) read as one."""
        extra = ox.Store()
        extra.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
        return StoreGraph(*self.stores, extra)

    def ox_triples(self) -> Iterable[ox.Triple]:
        """Every triple as Oxigraph's, each once."""
        seen: set[ox.Triple] = set()
        for store in self.stores:
            for quad in store.quads_for_pattern(None, None, None):
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    yield triple


GraphLike = Graph | StoreGraph  # what the pages read: a small graph built for one answer, or the store


BuiltGraph = Graph  # a small graph built for one answer (a catalogue, a VoID, a description)


def resource(iri: str) -> URIRef:
    """The term the pages and descriptions take for the resource named `iri`."""
    return URIRef(iri)


def blank(label: str) -> BNode:
    """A blank node of a built graph, with a stable label (so dumps do not change between runs)."""
    return BNode(label)


class Vocabulary:
    """A namespace whose attributes are its terms: `Vocabulary(ns).name` is the resource `ns + name`."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        return URIRef(self._base + name)

    def __str__(self) -> str:
        return self._base


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> Literal:
    """The term for a literal of a built graph: a language tag, a datatype IRI, or neither."""
    return Literal(text, lang=lang, datatype=URIRef(datatype) if datatype else None)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in ALL_PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph
