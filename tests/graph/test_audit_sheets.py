"""The graph says what the practical sheets, the glossary, the introduction and the seeds say.

Each test states a fact of those pages (transcribed in sheets_facts.py) and fails if the graph
says otherwise.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph_service.namespaces import BASE_IRI, GUIDE, sparql_prologue
from tests.graph.sheets_facts import (
    DROPOUT_BANDS,
    MINIMUM_WEIGHTING,
    PAGES_WITHOUT_ANCHORS,
    PHOTOCOPIER_CATEGORY,
    PHOTOCOPIER_CPV,
    ROLES,
    SHEET_ANCHORS,
)

CRIT, CAT, VOC = BASE_IRI + "id/criterion/", BASE_IRI + "id/category/", BASE_IRI + "id/vocab/"


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_sources_into_sheets_use_published_section_ids(store: ox.Store) -> None:
    rows = select(store, "SELECT DISTINCT ?s WHERE { ?r dcterms:source ?s }")
    checked = 0
    for source in (r["s"] for r in rows):
        if not source.startswith(GUIDE):
            continue
        path, _, anchor = source[len(GUIDE):].partition("#")
        if path.startswith("fiches-pratiques/") and path != "fiches-pratiques/":
            sheet = path.split("/")[1]
            assert sheet in SHEET_ANCHORS, source
            assert anchor == "" or anchor in SHEET_ANCHORS[sheet], source
            checked += 1
        if path in PAGES_WITHOUT_ANCHORS:
            assert anchor == "", f"{source}: the page publishes no heading id"
    assert checked > 20


def test_photocopier_row_bears_only_on_photocopiers(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?c WHERE {{ ?c a anr:PurchaseCategory ; anr:cpvCode cpv:{PHOTOCOPIER_CPV} }}")
    assert {r["c"] for r in rows} == {CAT + PHOTOCOPIER_CATEGORY}
    assert not select(store, "SELECT ?x WHERE { cat:multifunction-printer anr:cpvCode ?x }")


@pytest.mark.parametrize(("criterion", "weight"), MINIMUM_WEIGHTING.items())
def test_award_criteria_minimum_weighting(store: ox.Store, criterion: str, weight: float) -> None:
    rows = select(store, f"SELECT ?w ?r WHERE {{ <{CRIT}{criterion}> anr:minimumWeightingPercent ?w ; anr:role ?r }}")
    assert rows and {Decimal(r["w"]) for r in rows} == {Decimal(str(weight))}
    assert VOC + "award-criterion" in {r["r"] for r in rows}


def test_school_dropout_bands(store: ox.Store) -> None:
    rows = select(store, """SELECT ?lo ?hi ?h ?m WHERE { crit:school-dropout-training-clause anr:hasRequirementBand ?b .
        ?b anr:requiredHours ?h ; anr:requiredMonths ?m .
        OPTIONAL { ?b anr:contractAmountAbove ?lo } OPTIONAL { ?b anr:contractAmountUpTo ?hi } }""")
    def dec(row: dict[str, str], key: str) -> Decimal | None:
        return Decimal(row[key]) if key in row else None

    got = sorted(((dec(r, "lo"), dec(r, "hi"), int(r["h"]), Decimal(r["m"])) for r in rows), key=lambda t: t[2])
    want = [(None if lo is None else Decimal(lo), None if hi is None else Decimal(hi), h, Decimal(str(m)))
            for lo, hi, h, m in DROPOUT_BANDS]
    assert got == want


@pytest.mark.parametrize(("criterion", "roles"), ROLES.items())
def test_clause_roles(store: ox.Store, criterion: str, roles: set[str]) -> None:
    rows = select(store, f"SELECT ?r WHERE {{ <{CRIT}{criterion}> anr:role ?r }}")
    assert {r["r"] for r in rows} == {VOC + role for role in roles}


def test_waste_hierarchy_starts_with_preparing_for_reuse(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d WHERE { crit:weee-management dcterms:description ?d FILTER(LANG(?d) = 'en') }")
    text = rows[0]["d"]
    assert "L. 541-1" in text and text.index("preparing for reuse") < text.index("recycling")
