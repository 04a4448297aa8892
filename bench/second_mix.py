"""A second mix of distinct queries, written without tuning to the service (issue 24).

Shapes the named queries of `queries/` do not have, or have little of: FILTER with regex and
string functions, OPTIONAL, aggregates with GROUP BY and HAVING, property paths, ASK, VALUES,
DESCRIBE and CONSTRUCT. `python -m bench.targets --mix second` runs the targets on it.
"""

from __future__ import annotations

from bench.workload import WorkItem

_P = (
    "PREFIX anr: <https://w3id.org/achats-numeriques-responsables/def/>\n"
    "PREFIX cat: <https://w3id.org/achats-numeriques-responsables/id/category/>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)

SECOND_MIX = [
    WorkItem(
        "regex-labels",
        _P + "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l . "
        'FILTER (LANG(?l) = "fr" && REGEX(STR(?l), "^(ordi|logi|serv)", "i")) } ORDER BY ?l',
        "select",
    ),
    WorkItem(
        "optional-weighting",
        _P + "SELECT ?c ?name ?w WHERE { ?c a anr:Criterion ; skos:prefLabel ?name . "
        'OPTIONAL { ?c anr:minimumWeightingPercent ?w } FILTER (LANGMATCHES(LANG(?name), "en")) } '
        "LIMIT 50",
        "select",
    ),
    WorkItem(
        "count-per-family",
        _P + "SELECT ?family (COUNT(DISTINCT ?c) AS ?n) WHERE { "
        "?c a anr:Criterion ; anr:appliesToFamily ?family } GROUP BY ?family HAVING (COUNT(?c) > 1) "
        "ORDER BY DESC(?n)",
        "select",
    ),
    WorkItem(
        "types-histogram",
        "SELECT ?type (COUNT(*) AS ?n) (SAMPLE(?s) AS ?example) WHERE { ?s a ?type } "
        "GROUP BY ?type ORDER BY DESC(?n) ?type",
        "select",
    ),
    WorkItem(
        "broader-path",
        _P + "SELECT ?cat ?top WHERE { ?cat a anr:PurchaseCategory ; skos:broader* ?top . "
        "FILTER NOT EXISTS { ?top skos:broader ?above } }",
        "select",
    ),
    WorkItem(
        "label-lengths",
        _P + "SELECT ?s (STRLEN(?l) AS ?len) (UCASE(SUBSTR(?l, 1, 12)) AS ?head) WHERE { "
        '?s skos:prefLabel ?l FILTER (LANG(?l) = "en" && STRLEN(?l) > 20) } ORDER BY DESC(?len) LIMIT 20',
        "select",
    ),
    WorkItem(
        "ask-criterion",
        _P + 'ASK { ?c a anr:Criterion ; skos:prefLabel ?l FILTER CONTAINS(LCASE(?l), "energ") }',
        "ask",
    ),
    WorkItem(
        "values-categories",
        _P + "SELECT ?cat ?label ?cpv WHERE { VALUES ?cat { cat:laptop cat:smartphone "
        "cat:server cat:printer } ?cat skos:prefLabel ?label . OPTIONAL { ?cat anr:cpvCode ?cpv } }",
        "select",
    ),
    WorkItem("describe-category", _P + "DESCRIBE cat:laptop", "describe"),
    WorkItem(
        "construct-broader",
        _P + "CONSTRUCT { ?a skos:related ?b } WHERE { ?a skos:broader ?b . "
        '?b skos:prefLabel ?l FILTER (LANG(?l) = "fr") }',
        "construct",
    ),
    WorkItem(
        "union-labels",
        _P + "SELECT DISTINCT ?s WHERE { { ?s a anr:Label } UNION { ?s a anr:Obligation } "
        "?s ?p ?o FILTER (ISLITERAL(?o) && DATATYPE(?o) = <http://www.w3.org/2001/XMLSchema#string>) } "
        "LIMIT 40",
        "select",
    ),
    WorkItem(
        "minus-bind",
        _P + "SELECT ?c ?kind WHERE { ?c a anr:PurchaseCategory . "
        'MINUS { ?c anr:cpvCode ?code } BIND (IF(BOUND(?c), "no-cpv", "?") AS ?kind) }',
        "select",
    ),
]
