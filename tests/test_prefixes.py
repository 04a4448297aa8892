"""prefixes.py (plain strings, read at request time) and namespaces.py (rdflib, for the checks) agree."""

from __future__ import annotations

from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from graph_service import namespaces, prefixes


def test_the_rdflib_namespaces_are_the_prefix_strings() -> None:
    assert namespaces.PREFIXES is prefixes.PREFIXES
    ours = {"anr": namespaces.ANR, "voc": namespaces.VOC, "cpv": namespaces.CPV, "eli": namespaces.ELI}
    ours |= {"void": namespaces.VOID, "sd": namespaces.SD, "schema": namespaces.SCHEMA, "agent": namespaces.AGENT}
    theirs = {"skos": SKOS, "dcterms": DCTERMS, "dcat": DCAT, "prov": PROV, "rdf": RDF, "rdfs": RDFS}
    theirs |= {"owl": OWL, "xsd": XSD, "sh": SH}
    for prefix, ns in {**ours, **theirs}.items():
        assert prefixes.PREFIXES[prefix] == str(ns), prefix
    assert [str(p) for p in namespaces.NAME_PROPERTIES] == list(prefixes.NAME_IRIS)
    assert prefixes.NAME_IRIS[0] == str(SKOS.prefLabel)
