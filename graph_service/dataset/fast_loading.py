"""Read the project's files into one rdflib graph for SHACL, parsed by Oxigraph instead of rdflib.

rdflib's Turtle and N-Triples parsers are pure Python (about 90 s of CPU for 600,000 triples); Oxigraph
parses the same files in a second or two, and the rdflib graph is then filled with the converted terms.
The graph is the one `loading.load_files` builds, term for term, with two exceptions where Oxigraph
normalises what rdflib keeps, so such files are read by rdflib as before: a language tag with a capital
letter (Oxigraph writes it in lower case) and an explicit `^^xsd:string` (Oxigraph drops the datatype's
mention, rdflib keeps it). A file Oxigraph refuses is read by rdflib too, so a syntax error is reported
exactly as before (`loading.parse_file`: file, line, reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph_service.dataset import loading
from graph_service.dataset.loading import LoadedGraph, check_file_limits, parse_file
from graph_service.prefixes import PREFIXES

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
# What Oxigraph would read differently from rdflib (see above); a match sends the file to rdflib.
_RDFLIB_ONLY = re.compile(r"[\"']@[A-Za-z0-9-]*[A-Z]|\^\^\s*(<[^>]*string>|[\w.-]*:string\b)")
Triple = tuple[Node, Node, Node]


class _Terms:
    """Oxigraph terms to rdflib terms; IRIs and datatypes are shared, blank nodes are kept apart per file."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {str(RDF.type): RDF.type}

    def iri(self, value: str) -> URIRef:
        found = self.iris.get(value)
        if found is None:
            found = self.iris[value] = URIRef(value)
        return found

    def triples(self, quads: Iterator[ox.Quad], blank_prefix: str) -> list[Triple]:
        """The quads' triples; ValueError on an RDF 1.2 triple term (rdflib reads none: it decides)."""
        iri, out = self.iri, list[Triple]()
        for quad in quads:
            s, p, o = quad.subject, quad.predicate, quad.object
            if isinstance(s, ox.NamedNode):
                subject: Node = iri(s.value)
            elif isinstance(s, ox.BlankNode):
                subject = BNode(blank_prefix + s.value)
            else:
                raise ValueError("a triple term")
            if isinstance(o, ox.NamedNode):
                obj: Node = iri(o.value)
            elif isinstance(o, ox.Literal):
                if o.language is not None:
                    obj = Literal(o.value, lang=o.language)
                elif o.datatype.value == _XSD_STRING:
                    obj = Literal(o.value)
                else:
                    obj = Literal(o.value, datatype=iri(o.datatype.value))
            elif isinstance(o, ox.BlankNode):
                obj = BNode(blank_prefix + o.value)
            else:
                raise ValueError("a triple term")
            out.append((subject, iri(p.value), obj))
        return out


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def within_limits(data: bytes) -> bool:
    """True when the file cannot be past `loading.check_file_limits`'s bounds, from counts made in C: no
    more mentions of "prefix" than MAX_PREFIXES, and no literal longer than MAX_LITERAL_CHARS, since
    without long strings (triple quotes) or escaped line ends a literal ends with its line at the latest.
    False says nothing: the exact scan decides."""
    if len(data) > loading.MAX_FILE_BYTES:
        return False
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
    if text.lower().count("prefix") > loading.MAX_PREFIXES:
        return False
    if len(text) <= loading.MAX_LITERAL_CHARS:
        return True
    if '"""' in text or "'''" in text or "\\\n" in text:
        return False
    return max(map(len, text.split("\n"))) <= loading.MAX_LITERAL_CHARS


def read_file(path: Path, terms: _Terms, index: int) -> list[Triple]:
    """The triples of one file as rdflib terms: Oxigraph's parse when it reads the file as rdflib would,
    else rdflib's (which also names the line of a syntax error). The file's bounds are checked first."""
    fmt = FORMATS.get(path.suffix)
    data = path.read_bytes()
    if not within_limits(data):
        check_file_limits(path)  # raises DataLimitError, naming the bound, when one is met
    if fmt is not None and not _RDFLIB_ONLY.search(data.decode("utf-8", errors="replace")):
        try:
            quads = ox.parse(data, format=fmt, base_iri=path.absolute().as_uri())
            return terms.triples(iter(quads), f"f{index}b")
        except (SyntaxError, ValueError):
            pass  # rdflib reports it (or reads what Oxigraph would not)
    return list(parse_file(path))


def load_files(files: Sequence[Path]) -> LoadedGraph:
    """Like `loading.load_files`: one graph of the files, and the file where each subject is typed."""
    merged = Graph()
    file_of_subject: dict[Node, Path] = {}
    untyped: list[tuple[Node, Path]] = []
    terms = _Terms()
    rdf_type = RDF.type
    for index, path in enumerate(files):
        triples = read_file(path, terms, index)
        for subject, predicate, _ in triples:
            if predicate is rdf_type:  # the one URIRef of rdf:type (see _Terms)
                file_of_subject.setdefault(subject, path)
        untyped.extend((subject, path) for subject in dict.fromkeys(t[0] for t in triples))
        merged.addN((s, p, o, merged) for s, p, o in triples)
    for subject, path in untyped:  # a subject typed nowhere is reported where it first appears
        file_of_subject.setdefault(subject, path)
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace, override=True)
    return LoadedGraph(graph=merged, files=tuple(files), file_of_subject=file_of_subject)
