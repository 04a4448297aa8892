"""The graph reproduces the guide's tables exactly (expected values in guide_facts.py)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph_service.namespaces import PREFIXES
from tests.graph.guide_facts import (
    CATEGORIES,
    DECREE_2021_254_FROM,
    DECREE_2021_254_ROWS,
    EIGHTY_PLUS,
    LABEL_TABLE,
)
from tests.helpers import select

LBL, CAT = PREFIXES["lbl"], PREFIXES["cat"]


CELLS = [
    (label, category, flags[i] == "x") for label, flags in LABEL_TABLE.items() for i, category in enumerate(CATEGORIES)
]


@pytest.mark.parametrize(("label", "category", "ticked"), CELLS, ids=[f"{a}-{b}" for a, b, _ in CELLS])
def test_label_table_cell(store: ox.Store, label: str, category: str, ticked: bool) -> None:
    rows = select(
        store,
        f"SELECT ?c WHERE {{ ?c anr:coverageOf lbl:{label} ; anr:coveredCategory cat:{category} ;"
        " dcterms:source ?s . FILTER(CONTAINS(STR(?s), 'labels/produits/#tableau-ecolabels')) }",
    )
    assert len(rows) == (1 if ticked else 0)


def test_label_table_has_48_cells_and_19_ticks() -> None:
    assert len(CELLS) == 48
    assert sum(ticked for *_, ticked in CELLS) == 19


def test_table_labels_and_categories_exist(store: ox.Store) -> None:
    for label in LABEL_TABLE:
        assert select(store, f"SELECT ?k WHERE {{ lbl:{label} a/rdfs:subClassOf* anr:Label ; anr:labelKind ?k }}")
    for category in CATEGORIES:
        assert select(store, f"SELECT ?b WHERE {{ cat:{category} a anr:PurchaseCategory ; skos:broader ?b }}")


def test_no_coverage_beyond_the_table_for_its_labels_and_categories(store: ox.Store) -> None:
    labels = " ".join(f"lbl:{x}" for x in LABEL_TABLE)
    categories = " ".join(f"cat:{x}" for x in CATEGORIES)
    rows = select(
        store,
        f"SELECT ?l ?c WHERE {{ VALUES ?l {{ {labels} }} VALUES ?c {{ {categories} }}"
        " ?x anr:coverageOf ?l ; anr:coveredCategory ?c }",
    )
    assert len(rows) == 19


@pytest.mark.parametrize("level", sorted(EIGHTY_PLUS))
def test_80_plus_thresholds(store: ox.Store, level: str) -> None:
    rows = select(
        store,
        f"SELECT ?load ?eff WHERE {{ lbl:{level} anr:levelOf lbl:80-plus ; anr:hasEfficiencyThreshold ?t ."
        " ?t anr:loadPercent ?load ; anr:minimumEfficiencyPercent ?eff }",
    )
    found = {int(Decimal(r["load"])): Decimal(r["eff"]) for r in rows}
    assert found == {load: Decimal(eff) for load, eff in EIGHTY_PLUS[level].items()}


def test_80_plus_has_exactly_six_levels(store: ox.Store) -> None:
    rows = select(store, "SELECT ?l WHERE { ?l anr:levelOf lbl:80-plus }")
    assert {r["l"].rsplit("/", 1)[1] for r in rows} == set(EIGHTY_PLUS)


@pytest.mark.parametrize(
    ("codes", "total", "reused"), DECREE_2021_254_ROWS, ids=[r[0][0] for r in DECREE_2021_254_ROWS]
)
def test_decree_2021_254_row(store: ox.Store, codes: tuple[str, ...], total: int, reused: int) -> None:
    rows = select(
        store,
        "SELECT DISTINCT ?req ?code ?total ?reused ?from WHERE {"
        " ?req a anr:MinimumShareRequirement ; anr:cpvCode ?cpv ; anr:legalBasis law:decret-2021-254 ;"
        " anr:minimumShareReusedOrRecycledPercent ?total ; anr:minimumShareReusedPercent ?reused ;"
        " anr:appliesFrom ?from . ?cpv skos:notation ?code }",
    )
    mine = [r for r in rows if r["code"] in codes]
    assert {r["code"] for r in mine} == set(codes)
    assert len({r["req"] for r in mine}) == 1, "the codes of one row share one requirement"
    requirement = mine[0]["req"]
    assert {r["code"] for r in rows if r["req"] == requirement} == set(codes)
    for row in mine:
        assert Decimal(row["total"]) == total
        assert Decimal(row["reused"]) == reused
        assert row["from"] == DECREE_2021_254_FROM


def test_decree_2021_254_has_four_rows(store: ox.Store) -> None:
    rows = select(
        store, "SELECT DISTINCT ?req WHERE { ?req a anr:MinimumShareRequirement ; anr:legalBasis law:decret-2021-254 }"
    )
    assert len(rows) == len(DECREE_2021_254_ROWS)


def test_cpv_codes_are_eu_concepts_with_notation(store: ox.Store) -> None:
    for codes, *_ in DECREE_2021_254_ROWS:
        for code in codes:
            iri = f"http://data.europa.eu/cpv/cpv/{code[:8]}"
            assert select(store, f"SELECT ?n WHERE {{ <{iri}> a anr:CpvCode ; skos:notation '{code}' }}")


def test_numerique_responsable_label_has_5_themes_and_14_principles(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?t ?parent WHERE { ?t anr:themeOf lbl:numerique-responsable-label ."
        " OPTIONAL { ?t skos:broader ?parent } }",
    )
    assert len([r for r in rows if "parent" not in r]) == 5
    assert len([r for r in rows if "parent" in r]) == 14


def test_epeat_levels_rule(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?l ?pct WHERE { ?l anr:levelOf lbl:epeat . OPTIONAL { ?l anr:minimumOptionalCriteriaPercent ?pct } }",
    )
    found = {r["l"].rsplit("/", 1)[1]: r.get("pct") for r in rows}
    assert set(found) == {"epeat-bronze", "epeat-silver", "epeat-gold"}
    assert Decimal(found["epeat-silver"] or "0") == 50
    assert Decimal(found["epeat-gold"] or "0") == 75
    assert found["epeat-bronze"] is None  # Bronze: mandatory criteria only


def test_nr_label_cannot_select_bids(store: ox.Store) -> None:
    rows = select(store, "SELECT ?b WHERE { lbl:numerique-responsable-label anr:usableToSelectBids ?b }")
    assert [r["b"] for r in rows] == ["false"]
