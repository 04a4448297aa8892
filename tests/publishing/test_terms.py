"""publishing/terms.py reads rdflib's terms and Oxigraph's alike, so the pages need neither's classes."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph_service.publishing.terms import datatype, iri, is_blank, is_literal, is_named, language

IRI = "https://w3id.org/achats-numeriques-responsables/id/x"


def test_both_libraries_read_the_same() -> None:
    pairs = [
        (URIRef(IRI), ox.NamedNode(IRI)),
        (BNode("b1"), ox.BlankNode("b1")),
        (Literal("plain"), ox.Literal("plain")),
        (Literal("mot", lang="fr"), ox.Literal("mot", language="fr")),
        (Literal("2021-01-01", datatype=XSD.date), ox.Literal("2021-01-01", datatype=ox.NamedNode(str(XSD.date)))),
    ]
    for old, new in pairs:
        read = [(f(old), f(new)) for f in (iri, is_literal, is_named, is_blank, language, datatype)]
        assert all(a == b for a, b in read), (old, read)


def test_what_each_term_is() -> None:
    assert iri(ox.NamedNode(IRI)) == IRI and is_named(ox.NamedNode(IRI)) and not is_blank(ox.NamedNode(IRI))
    assert is_blank(ox.BlankNode("b1")) and not is_literal(ox.BlankNode("b1"))
    assert is_literal(ox.Literal("x")) and datatype(ox.Literal("x")) is None  # a plain string has no datatype shown
    assert language(ox.Literal("x", language="en")) == "en" and datatype(ox.Literal("x", language="en")) is None
    assert datatype(ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))) == str(XSD.integer)
