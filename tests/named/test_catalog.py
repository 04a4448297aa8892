"""The `.rq` catalog: headers parse, tell the truth about their query, and bad headers are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.config import Settings
from graph_service.named.binding import BindingError, bind
from graph_service.named.catalog import check_spec, load_catalog
from graph_service.named.header import HeaderError, parse_header

REQUIRED = {
    "labels-for-category",
    "categories-for-label",
    "type-1-ecolabels",
    "obligations-by-cpv",
    "criteria-of-family",
    "legal-texts-by-family",
}


def test_catalog_has_the_required_questions(settings: Settings) -> None:
    catalog = load_catalog(settings.queries_dir)
    assert set(catalog.names()) >= REQUIRED
    for spec in catalog:
        assert spec.titles["fr"] and spec.titles["en"]
        assert spec.examples, f"{spec.name} has no example"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text)
    return path


GOOD_HEAD = "#+ name: q\n#+ title@en: Q\n#+ title@fr: Q\n#+ returns: select\n"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("#+ name: q\n#+ title@en: Q\n#+ returns: select\nSELECT * {}", "missing required key 'title@fr'"),
        (GOOD_HEAD + "#+ colour: blue\nSELECT * {}", "unknown key 'colour'"),
        (GOOD_HEAD + "#+ param: ?x colour required — x\nSELECT ?x {}", "param type 'colour'"),
        (GOOD_HEAD + "#+ param: ?x iri required — x\nSELECT * { ?s ?p ?o }", "not used in the query"),
        (GOOD_HEAD.replace("select", "ask") + "SELECT * {}", "the query is a select"),
        (GOOD_HEAD + "SELECT * { ?s ?p }", "does not parse"),
        (GOOD_HEAD + "#+ param: ?s iri required — s\nSELECT ?o { ?s ?p ?o }", "must be in the SELECT projection"),
        (GOOD_HEAD.replace("name: q", "name: other"), "must be kebab-case and equal the file name"),
    ],
)
def test_bad_headers_are_refused_with_file_and_line(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, "q", text)
    with pytest.raises(HeaderError) as info:
        check_spec(parse_header(path, text))
    assert needle in str(info.value)
    assert str(path) in str(info.value)


def test_values_are_typed_and_hostile_values_refused(tmp_path: Path) -> None:
    text = (
        GOOD_HEAD
        + "#+ param: ?c iri required — c\n#+ param: ?n integer optional default=3 — n\n"
        + "#+ param: ?d date optional — d\nSELECT ?c ?n ?d { ?c ?p ?o } LIMIT 1\n"
    )
    spec = parse_header(write(tmp_path, "q", text), text)
    bound = bind(spec, {"c": "cat:laptop"})
    assert bound["c"].value.endswith("/id/category/laptop")
    assert int(bound["n"].value) == 3  # Oxigraph terms
    for hostile in ("<x> } ; DROP ALL", "cat:laptop> . ?s ?p ?o", "javascript:alert(1)"):
        with pytest.raises(BindingError):
            bind(spec, {"c": hostile})
    with pytest.raises(BindingError):
        bind(spec, {"c": "cat:laptop", "d": "2021-13-45"})
    with pytest.raises(BindingError):
        bind(spec, {"c": "cat:laptop", "n": "1; DROP"})
    with pytest.raises(BindingError):
        bind(spec, {"c": "cat:laptop", "unknown": "1"})
    with pytest.raises(BindingError):
        bind(spec, {})
