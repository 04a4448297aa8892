"""Accept parsing and format choice: q-values, wildcards, specificity, nothing acceptable."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph_service.formats.negotiation import (
    accepts_encoding,
    entity_tags,
    language,
    negotiate,
    parse_accept,
    parse_weighted,
)
from graph_service.formats.representations import ALL, GRAPHS, HTML, RESULTS, TSV, by_suffix, split_suffix


def name_of(accept: str | None, offers: tuple[object, ...]) -> str | None:
    chosen = negotiate(accept, offers)  # type: ignore[arg-type]
    return chosen.name if chosen else None


def test_q_values_and_wildcards_are_parsed() -> None:
    ranges = parse_accept('text/csv;q=0.5, application/*;q=0.8, */*;q=0.1, text/x;foo="a,b";q=0.9')
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "csv", 0.5),
        ("application", "*", 0.8),
        ("*", "*", 0.1),
        ("text", "x", 0.9),
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
    assert name_of(accept, RESULTS) == expected


def test_more_specific_range_overrides_wildcard() -> None:
    assert negotiate("text/*;q=0.9, text/csv;q=0.1", RESULTS) is TSV


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("application/ld+json", "jsonld"),
        ("application/turtle,text/turtle", "turtle"),
        ("application/x-json+ld", "jsonld"),
        ("*/*", "turtle"),
    ],
)
def test_graph_format_choice(accept: str, expected: str) -> None:
    assert name_of(accept, GRAPHS) == expected


@pytest.mark.parametrize("accept", ["image/png", "text/html", "text/csv;q=0", "application/sparql-results+json;q=0"])
def test_nothing_acceptable(accept: str) -> None:
    assert negotiate(accept, RESULTS if "csv" in accept else GRAPHS) is None


@pytest.mark.parametrize(
    "header", [";", ";;", ",", " , ;q=1", "*/*;q=", "text/html;q=nan", "text/html;q=inf", "a/b/c", '"', "*/html", "é/x"]
)
def test_a_header_with_no_valid_entry_counts_as_absent(header: str) -> None:
    assert negotiate(header, RESULTS) is RESULTS[0]


def test_malformed_entries_are_skipped() -> None:
    assert name_of("garbage, text/csv;q=abc, text/tab-separated-values", RESULTS) == "tsv"


def test_an_entry_with_a_bad_q_is_ignored_not_refused() -> None:
    assert name_of("application/sparql-results+json;q=abc", RESULTS) == "json"
    assert name_of("text/csv;q=2", RESULTS) == "json"  # no valid entry left
    assert name_of("text/csv;q=2, text/csv;q=0.5", RESULTS) == "csv"


def test_named_only_offers_need_their_own_media_type() -> None:
    offers = (HTML, *GRAPHS)
    assert negotiate("*/*", offers, named_only=(HTML,)) is GRAPHS[0]
    assert negotiate("text/*", offers, named_only=(HTML,)) is GRAPHS[0]
    assert negotiate(None, offers, named_only=(HTML,)) is GRAPHS[0]
    assert negotiate("text/html,*/*;q=0.8", offers, named_only=(HTML,)) is HTML
    assert negotiate("text/html;q=0.5, text/turtle", offers, named_only=(HTML,)) is GRAPHS[0]


def test_one_parser_reads_every_accept_header() -> None:
    assert [(e.value, e.q) for e in parse_weighted("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")] == [
        ("fr-ch", 1.0),
        ("fr", 0.9),
        ("en", 0.8),
        ("*", 0.5),
    ]
    assert language("de, fr;q=0.5", ("fr", "en"), "en") == "fr"
    assert language("fr;q=nan, en;q=0.1", ("fr", "en"), "en") == "en"
    assert language(";", ("fr", "en"), "en") == "en"
    assert accepts_encoding("gzip;q=0, *", "gzip") is False
    assert accepts_encoding("br, *;q=0.1", "gzip") is True
    assert accepts_encoding("gzip;q=nan", "gzip") is False
    assert entity_tags('W/"a", "b" , *') == {"a", "b"}  # `*` only stands alone
    assert entity_tags(" * ") == {"*"}
    assert (
        entity_tags(
            'x, "',
        )
        is None
        and entity_tags("W/") is None
    )
    assert entity_tags('"a",,junk, W/"b"') == {"a", "b"}


@pytest.mark.parametrize("rep", [r for r in ALL if r.rdf or r.results], ids=lambda r: r.name)
def test_the_registry_agrees_with_pyoxigraph(rep: object) -> None:
    """Media types and suffixes come from pyoxigraph; every alias pyoxigraph knows maps to the same format."""
    fmt = rep.rdf or rep.results  # type: ignore[attr-defined]
    owner = ox.RdfFormat if rep.rdf else ox.QueryResultsFormat  # type: ignore[attr-defined]
    assert owner.from_media_type(rep.content_type) == fmt  # type: ignore[attr-defined]
    assert by_suffix(rep.suffix, (rep,)) is rep  # type: ignore[arg-type,attr-defined]
    for alias in rep.aliases:  # type: ignore[union-attr]
        known = owner.from_media_type(alias)
        assert known in (None, fmt) or alias in ("application/json", "application/xml", "text/xml")


def test_suffixes_decide_alone() -> None:
    assert split_suffix("/id/label/x.ttl") == ("/id/label/x", GRAPHS[0])
    assert split_suffix("/id/label/x.y") == ("/id/label/x.y", None)
