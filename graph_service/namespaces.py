"""Namespaces and the prefix map shared by data, queries and output."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

BASE_IRI = "https://w3id.org/achats-numeriques-responsables/"

ANR = Namespace(BASE_IRI + "def/")
ID = Namespace(BASE_IRI + "id/")
VOC = Namespace(BASE_IRI + "id/vocab/")
LBL = Namespace(BASE_IRI + "id/label/")
COV = Namespace(BASE_IRI + "id/coverage/")
CAT = Namespace(BASE_IRI + "id/category/")
LAW = Namespace(BASE_IRI + "id/legal/")
OBL = Namespace(BASE_IRI + "id/obligation/")
CRIT = Namespace(BASE_IRI + "id/criterion/")
AGENT = Namespace(BASE_IRI + "id/organisation/")
SHAPES = Namespace(BASE_IRI + "shapes/")
CPV = Namespace("http://data.europa.eu/cpv/cpv/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# What names a resource, strongest first: the one list the resource index, the pages and the RDF
# descriptions read names from.
NAME_PROPERTIES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, ELI.title, FOAF.name, DCTERMS.title)

GUIDE = "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/"

PREFIXES: dict[str, str] = {
    "anr": str(ANR),
    "voc": str(VOC),
    "lbl": str(LBL),
    "cov": str(COV),
    "cat": str(CAT),
    "law": str(LAW),
    "obl": str(OBL),
    "crit": str(CRIT),
    "agent": str(AGENT),
    "cpv": str(CPV),
    "country": str(COUNTRY),
    "eli": str(ELI),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "void": str(VOID),
    "sd": str(SD),
}


def sparql_prologue() -> str:
    """Return PREFIX declarations for every project prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
