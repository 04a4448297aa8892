"""What the pages ask of an RDF term, whichever library made it: its IRI, literal or not, datatype, language.

Oxigraph's terms (`pyoxigraph`) and the older rdflib-shaped ones read the same way here, by their
attributes alone, so a module that only reads terms needs neither library's classes.
"""

from __future__ import annotations

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"
LANG_STRING = RDF + "langString"


def iri(term: object) -> str:
    """The IRI (or blank node id, or lexical form) of a term, without brackets or quotes."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(term)


def is_literal(term: object) -> bool:
    """Whether the term is a literal (it has a datatype and a language slot)."""
    return isinstance(term, ox.Literal) or (hasattr(term, "datatype") and hasattr(term, "language"))


def language(term: object) -> str | None:
    """The language tag of a literal, else None."""
    tag = getattr(term, "language", None) if is_literal(term) else None
    return str(tag) if tag else None


def datatype(term: object) -> str | None:
    """The datatype IRI of a literal with neither language nor plain string type, else None."""
    if not is_literal(term) or language(term):
        return None
    found = getattr(term, "datatype", None)
    if found is None:
        return None
    text = iri(found)
    return None if text in (XSD_STRING, LANG_STRING) else text


def _form(term: object) -> str:
    """The N-Triples form of a term (rdflib's terms write it with `n3()`, Oxigraph's with `str`)."""
    n3 = getattr(term, "n3", None)
    return str(n3()) if callable(n3) else str(term)


def is_blank(term: object) -> bool:
    """Whether the term is a blank node."""
    return _form(term).startswith("_:")


def is_named(term: object) -> bool:
    """Whether the term is an IRI."""
    return _form(term).startswith("<")
