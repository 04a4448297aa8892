"""Accept parsing and format choice: q-values, wildcards, specificity, nothing acceptable."""

from __future__ import annotations

import pytest

from graph_service.sparql.formats import GRAPH_FORMATS, RESULTS_FORMATS, negotiate
from graph_service.sparql.negotiation import choose, parse_accept


def test_q_values_and_wildcards_are_parsed() -> None:
    ranges = parse_accept('text/csv;q=0.5, application/*;q=0.8, */*;q=0.1, text/x;foo="a,b";q=0.9')
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "csv", 0.5), ("application", "*", 0.8), ("*", "*", 0.1), ("text", "x", 0.9),
    ]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.4, text/tab-separated-values;q=0.9", "tsv"),
        ("text/*", "csv"),
        ("application/json", "json"),
        ("text/*;q=0.9, application/sparql-results+xml", "xml"),
        ("*/*;q=0.1, text/csv;q=0", "json"),
        ("text/csv;q=0, */*", "json"),
    ],
)
def test_results_format_choice(accept: str | None, expected: str) -> None:
    chosen = negotiate(accept, RESULTS_FORMATS)
    assert chosen is not None and chosen.name == expected


def test_more_specific_range_overrides_wildcard() -> None:
    chosen = negotiate("text/*;q=0.9, text/csv;q=0.1", RESULTS_FORMATS)
    assert chosen is not None and chosen.name == "tsv"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("application/ld+json", "jsonld"),
        ("application/turtle,text/turtle", "turtle"),
        ("*/*", "turtle"),
    ],
)
def test_graph_format_choice(accept: str, expected: str) -> None:
    chosen = negotiate(accept, GRAPH_FORMATS)
    assert chosen is not None and chosen.name == expected


@pytest.mark.parametrize("accept", ["image/png", "text/html", "text/csv;q=0", "application/sparql-results+json;q=0"])
def test_nothing_acceptable(accept: str) -> None:
    assert negotiate(accept, RESULTS_FORMATS if "csv" in accept else GRAPH_FORMATS) is None


def test_malformed_entries_are_skipped() -> None:
    assert choose("garbage, text/csv;q=abc, text/plain", ["text/csv", "text/plain"]) == "text/plain"


def test_an_entry_with_a_bad_q_is_ignored_not_refused() -> None:
    offers = ["application/sparql-results+json", "text/csv"]
    assert choose("application/sparql-results+json;q=abc", offers) == "application/sparql-results+json"
    assert choose("text/csv;q=2", offers) == "application/sparql-results+json"  # no valid entry left
    assert choose("text/csv;q=2, text/csv;q=0.5", offers) == "text/csv"
