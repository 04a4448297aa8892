"""The labels pages and the good-practice chapter, fact by fact (expected values in labels_facts.py)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph_service.namespaces import PREFIXES, sparql_prologue
from tests.graph.labels_facts import (
    CATEGORY_FIGURES,
    LABEL_CREATORS,
    LABEL_ISSUERS,
    LABEL_KINDS,
    LABEL_MISSION_THEMES,
    LABEL_VALIDITY_YEARS,
    LABEL_YEARS,
    LEVEL_RECYCLED_CONTENT,
    NORDIC_SWAN_COUNTRIES,
    PAGE_SECTIONS,
)

LBL, VOC, AGENT = PREFIXES["lbl"], PREFIXES["voc"], PREFIXES["agent"]


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as {variable: lexical value}."""
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def slugs(rows: list[dict[str, str]], var: str) -> set[str]:
    return {r[var].rsplit("/", 1)[1] for r in rows if var in r}


@pytest.mark.parametrize(("label", "kinds"), sorted(LABEL_KINDS.items()))
def test_label_kind_as_the_labels_page_classes_it(store: ox.Store, label: str, kinds: set[str]) -> None:
    rows = select(store, f"SELECT ?k WHERE {{ lbl:{label} anr:labelKind ?k }}")
    assert slugs(rows, "k") == kinds


def test_energy_star_counts_among_type_1_ecolabels(store: ox.Store) -> None:
    rows = select(store, "SELECT ?l WHERE { ?l anr:labelKind voc:type-1-ecolabel }")
    assert "energy-star" in slugs(rows, "l")


@pytest.mark.parametrize(("label", "year"), sorted(LABEL_YEARS.items()))
def test_label_year_of_creation(store: ox.Store, label: str, year: str) -> None:
    rows = select(store, f"SELECT ?y WHERE {{ lbl:{label} dcterms:created ?y }}")
    assert [r["y"] for r in rows] == [year]


@pytest.mark.parametrize(("label", "years"), sorted(LABEL_VALIDITY_YEARS.items()))
def test_label_validity_period(store: ox.Store, label: str, years: int) -> None:
    rows = select(store, f"SELECT ?n WHERE {{ lbl:{label} anr:validityPeriodYears ?n }}")
    assert [int(r["n"]) for r in rows] == [years]


@pytest.mark.parametrize(("label", "creators"), sorted(LABEL_CREATORS.items()))
def test_label_creators(store: ox.Store, label: str, creators: set[str]) -> None:
    assert slugs(select(store, f"SELECT ?o WHERE {{ lbl:{label} dcterms:creator ?o }}"), "o") == creators


@pytest.mark.parametrize(("label", "issuers"), sorted(LABEL_ISSUERS.items()))
def test_label_issuers(store: ox.Store, label: str, issuers: set[str]) -> None:
    assert slugs(select(store, f"SELECT ?o WHERE {{ lbl:{label} anr:issuer ?o }}"), "o") == issuers


def test_nordic_swan_countries(store: ox.Store) -> None:
    rows = select(store, "SELECT ?c WHERE { lbl:nordic-swan dcterms:spatial ?c }")
    assert slugs(rows, "c") == NORDIC_SWAN_COUNTRIES


@pytest.mark.parametrize(("label", "category", "percent"), CATEGORY_FIGURES)
def test_figure_that_holds_for_one_category_is_stated_for_it(
    store: ox.Store, label: str, category: str, percent: int
) -> None:
    # TCO Certified Edge: 85 % recycled plastic is the guide's example for displays, not a rule of the level.
    assert not select(store, f"SELECT ?p WHERE {{ lbl:{label} anr:minimumRecycledContentPercent ?p }}")
    rows = select(
        store,
        f"SELECT ?r ?c ?p WHERE {{ ?r a anr:CategoryRequirement ; anr:requirementOf lbl:{label} ;"
        " anr:appliesToCategory ?c ; anr:minimumRecycledContentPercent ?p }",
    )
    assert slugs(rows, "c") == {category}
    assert {Decimal(r["p"]) for r in rows} == {Decimal(percent)}


@pytest.mark.parametrize(("level", "percent"), sorted(LEVEL_RECYCLED_CONTENT.items()))
def test_level_wide_recycled_content(store: ox.Store, level: str, percent: int) -> None:
    rows = select(store, f"SELECT ?p WHERE {{ lbl:{level} anr:minimumRecycledContentPercent ?p }}")
    assert [Decimal(r["p"]) for r in rows] == [Decimal(percent)]


def test_label_mission_has_six_themes(store: ox.Store) -> None:
    assert len(select(store, "SELECT ?t WHERE { ?t anr:themeOf lbl:label-mission }")) == LABEL_MISSION_THEMES


def test_sources_on_these_pages_use_sections_that_exist(store: ox.Store) -> None:
    rows = select(store, "SELECT DISTINCT ?s WHERE { ?r dcterms:source ?s }")
    checked = 0
    for source in (r["s"] for r in rows):
        page, _, anchor = source.partition("#")
        if page in PAGE_SECTIONS:
            checked += 1
            assert not anchor or anchor in PAGE_SECTIONS[page], source
    assert checked >= 10
