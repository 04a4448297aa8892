"""What the pages ask of an RDF term: its IRI (or text), literal or not, datatype, language.

The terms are Oxigraph's (`pyoxigraph`); a plain string reads as an IRI.
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
    """Whether the term is a literal."""
    return isinstance(term, ox.Literal)


def language(term: object) -> str | None:
    """The language tag of a literal, else None."""
    return term.language or None if isinstance(term, ox.Literal) else None


def datatype(term: object) -> str | None:
    """The datatype IRI of a literal with neither language nor plain string type, else None."""
    if not isinstance(term, ox.Literal) or term.language:
        return None
    text = term.datatype.value
    return None if text in (XSD_STRING, LANG_STRING) else text


def is_blank(term: object) -> bool:
    """Whether the term is a blank node."""
    return isinstance(term, ox.BlankNode)


def is_named(term: object) -> bool:
    """Whether the term is an IRI."""
    return isinstance(term, ox.NamedNode)
