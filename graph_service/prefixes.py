"""The project's prefixes as plain strings: what the service reads at request time (no RDF library).

`graph_service/namespaces.py` builds rdflib's Namespace objects from these for the code that checks
the files (loading, validation, the CLI); the pages and the API take the strings from here.
"""

from __future__ import annotations

BASE_IRI = "https://w3id.org/achats-numeriques-responsables/"
GUIDE = "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/"

PREFIXES: dict[str, str] = {
    "anr": BASE_IRI + "def/",
    "voc": BASE_IRI + "id/vocab/",
    "lbl": BASE_IRI + "id/label/",
    "cov": BASE_IRI + "id/coverage/",
    "cat": BASE_IRI + "id/category/",
    "law": BASE_IRI + "id/legal/",
    "obl": BASE_IRI + "id/obligation/",
    "crit": BASE_IRI + "id/criterion/",
    "agent": BASE_IRI + "id/organisation/",
    "cpv": "http://data.europa.eu/cpv/cpv/",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}

# What names a resource, strongest first: the one list the resource index, the pages and the RDF
# descriptions read names from.
NAME_IRIS: tuple[str, ...] = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://data.europa.eu/eli/ontology#title",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",
)


def sparql_prologue() -> str:
    """Return PREFIX declarations for every project prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
