"""rdflib Namespace objects for the code that checks the files; the strings live in prefixes.py."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from graph_service.prefixes import BASE_IRI as BASE_IRI
from graph_service.prefixes import GUIDE as GUIDE
from graph_service.prefixes import NAME_IRIS
from graph_service.prefixes import PREFIXES as PREFIXES
from graph_service.prefixes import sparql_prologue as sparql_prologue

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
NAME_PROPERTIES: tuple[URIRef, ...] = tuple(URIRef(i) for i in NAME_IRIS)
