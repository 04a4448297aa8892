"""publishing/terms.py reads Oxigraph's terms (the pages need no library's classes of their own)."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.publishing.terms import XSD, datatype, iri, is_blank, is_literal, is_named, language

IRI = "https://w3id.org/achats-numeriques-responsables/id/x"


def test_what_each_term_is() -> None:
    assert iri(ox.NamedNode(IRI)) == IRI and is_named(ox.NamedNode(IRI)) and not is_blank(ox.NamedNode(IRI))
    assert is_blank(ox.BlankNode("b1")) and not is_literal(ox.BlankNode("b1")) and iri(ox.BlankNode("b1")) == "b1"
    assert is_literal(ox.Literal("x")) and datatype(ox.Literal("x")) is None  # a plain string has no datatype shown
    assert language(ox.Literal("x", language="en")) == "en" and datatype(ox.Literal("x", language="en")) is None
    assert datatype(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))) == XSD + "integer"
    assert language(ox.Literal("x")) is None and language(ox.NamedNode(IRI)) is None


def test_a_plain_string_reads_as_an_iri() -> None:
    assert iri(IRI) == IRI and not is_named(IRI) and not is_literal(IRI)
