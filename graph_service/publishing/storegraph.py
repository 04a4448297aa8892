"""The graphs the pages read, in Oxigraph's terms: a view of the store, and small graphs built per answer.

Both answer the few reading calls the pages, descriptions and catalogues make (`objects`, `subjects`,
`value`, `(s, p, o) in graph`, `triples` by pattern...). `StoreGraph` asks them of one or more
Oxigraph stores (the union of their graphs, each triple once per call), so no second copy of the data
is kept in memory; `BuiltGraph` holds the few triples built for one answer (a catalogue, a VoID, a
description), indexed by subject and by object. Terms are `pyoxigraph`'s; `publishing/terms.py` reads them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Pattern = tuple[Term | None, Term | None, Term | None]
Triple = tuple[Term, Term, Term]


class GraphLike(ABC):
    """What the pages read: the triples matching a pattern, and the usual questions built on it."""

    @abstractmethod
    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching the pattern (None: any), each once."""

    def ox_triples(self) -> Iterator[ox.Triple]:
        """Every triple as an Oxigraph triple (to serialise)."""
        return (ox.Triple(s, p, o) for s, p, o in self)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Triple]:
        return self.triples((None, None, None))

    def __contains__(self, pattern: Pattern) -> bool:
        return next(self.triples(pattern), None) is not None

    def __len__(self) -> int:
        """The number of distinct triples (a walk over the graph)."""
        return sum(1 for _triple in self)

    def subjects(self, predicate: Term | None = None, obj: Term | None = None) -> Iterator[Term]:
        """Subjects of the matching triples."""
        return (s for s, _p, _o in self.triples((None, predicate, obj)))

    def objects(self, subject: Term | None = None, predicate: Term | None = None) -> Iterator[Term]:
        """Objects of the matching triples."""
        return (o for _s, _p, o in self.triples((subject, predicate, None)))

    def predicates(self, subject: Term | None = None, obj: Term | None = None) -> Iterator[Term]:
        """Predicates of the matching triples."""
        return (p for _s, p, _o in self.triples((subject, None, obj)))

    def subject_predicates(self, obj: Term | None = None) -> Iterator[tuple[Term, Term]]:
        """(subject, predicate) of the triples with that object."""
        return ((s, p) for s, p, _o in self.triples((None, None, obj)))

    def predicate_objects(self, subject: Term | None = None) -> Iterator[tuple[Term, Term]]:
        """(predicate, object) of the triples with that subject."""
        return ((p, o) for _s, p, o in self.triples((subject, None, None)))

    def subject_objects(self, predicate: Term | None = None) -> Iterator[tuple[Term, Term]]:
        """(subject, object) of the triples with that predicate."""
        return ((s, o) for s, _p, o in self.triples((None, predicate, None)))

    def value(self, subject: Term | None = None, predicate: Term | None = None, obj: Term | None = None) -> Term | None:
        """One value of the missing position, or None."""
        for s, p, o in self.triples((subject, predicate, obj)):
            return o if obj is None else s if subject is None else p
        return None

    def all_nodes(self) -> set[Term]:
        """Every subject and object."""
        return {n for s, _p, o in self for n in (s, o)}


class StoreGraph(GraphLike):
    """Read-only: the union of the graphs of the given stores."""

    def __init__(self, *stores: ox.Store) -> None:
        self.stores = stores
        self._predicates: list[ox.NamedNode] | None = None

    def predicate_set(self) -> list[ox.NamedNode]:
        """Every predicate of the stores, sorted: one walk of the data the first time, then kept (as many
        as the vocabularies' properties, whatever the size of the data)."""
        if self._predicates is None:
            found: set[str] = set()
            for store in self.stores:
                result = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                assert isinstance(result, ox.QuerySolutions)
                found.update(row["p"].value for row in result)
            self._predicates = [ox.NamedNode(p) for p in sorted(found)]
        return self._predicates

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching the pattern (None: any), each once."""
        s, p, o = pattern
        if isinstance(s, ox.Literal) or (p is not None and not isinstance(p, ox.NamedNode)):
            return
        seen: set[ox.Triple] = set()  # a triple stated in several files is in several named graphs
        for store in self.stores:
            for quad in store.quads_for_pattern(s, p, o):
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    yield quad.subject, quad.predicate, quad.object  # type: ignore[misc]

    def ox_triples(self) -> Iterator[ox.Triple]:
        """Every triple as Oxigraph's, each once."""
        seen: set[ox.Triple] = set()
        for store in self.stores:
            for quad in store.quads_for_pattern(None, None, None):
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    yield triple

    def with_graph(self, graph: BuiltGraph) -> StoreGraph:
        """This view and a small built graph (a catalogue built for one answer) read as one."""
        extra = ox.Store()
        extra.extend(ox.Quad(s, p, o) for s, p, o in graph)  # type: ignore[arg-type]
        return StoreGraph(*self.stores, extra)


class BuiltGraph(GraphLike):
    """A small graph built for one answer: its triples in the order added, indexed by subject and object."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = {}
        self._by_subject: dict[Term, dict[Triple, None]] = {}
        self._by_object: dict[Term, dict[Triple, None]] = {}
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> None:
        """Add a triple (once)."""
        if triple in self._triples:
            return
        self._triples[triple] = None
        self._by_subject.setdefault(triple[0], {})[triple] = None
        self._by_object.setdefault(triple[2], {})[triple] = None

    def remove(self, pattern: Pattern) -> None:
        """Remove the triples matching the pattern."""
        for triple in list(self.triples(pattern)):
            del self._triples[triple]
            del self._by_subject[triple[0]][triple]
            del self._by_object[triple[2]][triple]

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching the pattern (None: any)."""
        s, p, o = pattern
        if s is not None:
            found = self._by_subject.get(s, {})
        elif o is not None:
            found = self._by_object.get(o, {})
        else:
            found = self._triples
        for triple in list(found):
            if (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple

    def __len__(self) -> int:
        return len(self._triples)


def resource(iri: str) -> ox.NamedNode:
    """The term for the resource named `iri` (ValueError if it is not an IRI)."""
    return ox.NamedNode(iri)


def blank(label: str) -> ox.BlankNode:
    """A blank node of a built graph, with a stable label (so dumps do not change between runs)."""
    return ox.BlankNode(label)


def literal(text: str, lang: str | None = None, datatype: ox.NamedNode | None = None) -> ox.Literal:
    """The term for a literal of a built graph: a language tag, a datatype, or neither (a plain string)."""
    if lang:
        return ox.Literal(text, language=lang)
    return ox.Literal(text, datatype=datatype) if datatype is not None else ox.Literal(text)


class Vocabulary:
    """A namespace whose attributes are its terms: `Vocabulary(ns).name` is the resource `ns + name`."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return ox.NamedNode(self._base + name)

    def __str__(self) -> str:
        return self._base
