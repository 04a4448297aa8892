"""The eForms values of a lot (domain/eforms.py): the rule's answers for two categories, and every code
it gives is a code of its list in data/eforms.ttl, as the SDK spells it."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from graph_service.config import Settings
from graph_service.domain.eforms import RULE_CODES, NoticeValues, notice_values
from graph_service.domain.index import build_index
from graph_service.domain.readmodel import ReadModel
from graph_service.named.binding import bind, substitutions
from graph_service.named.catalog import load_catalog
from tests.helpers import select

BASE = "https://w3id.org/achats-numeriques-responsables/"
CAT, EFORMS = BASE + "id/category/", BASE + "id/eforms/"
CATEGORY = BASE + "def/PurchaseCategory"
ON = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def read(store: ox.Store) -> ReadModel:
    return ReadModel(store, build_index(store, BASE))


def codes(values: NoticeValues) -> tuple[set[str], set[str], set[str]]:
    return (
        {c.code for c in values.strategic_procurement.codes},
        {c.code for c in values.green_procurement.codes},
        {c.code for c in values.gpp_criteria.codes},
    )


def test_laptops_get_both_aims_three_impacts_and_eu_criteria(read: ReadModel) -> None:
    values = notice_values(read, CAT + "laptop", "fr", ON)
    assert codes(values) == ({"env-imp", "soc-obj"}, {"circ-econ", "clim-mitig", "pollu-prev"}, {"eu", "national"})
    assert (values.strategic_procurement.bt, values.green_procurement.bt, values.gpp_criteria.bt) == (
        "BT-06",
        "BT-774",
        "BT-805",
    )
    matches = {(g.criterion.id, g.identifier) for g in values.eu_gpp}
    assert matches == {
        ("energy-consumption", "TS18"),
        ("dismantlability-repairability", "TS4"),
        ("repairability-index", "TS4"),
    }
    assert {g.criteria_set.id for g in values.eu_gpp} == {"eu-gpp-computers-2021"}
    assert not any(g.verified for g in values.eu_gpp) and all(g.note for g in values.eu_gpp)
    # The monitors' energy criterion covers monitors, not laptops.
    assert "TS19" not in {g.identifier for g in values.eu_gpp}
    # The décret 2021-254 share for office computing is a reason for env-imp and circ-econ.
    circular = next(c for c in values.green_procurement.codes if c.code == "circ-econ")
    assert "decret-2021-254-office-computing" in {r.id for r in circular.because}


def test_a_share_counts_only_once_in_force(read: ReadModel) -> None:
    before = notice_values(read, CAT + "laptop", "fr", dt.date(2020, 6, 1))
    circular = next(c for c in before.green_procurement.codes if c.code == "circ-econ")
    assert "decret-2021-254-office-computing" not in {r.id for r in circular.because}
    strategic = next(c for c in before.strategic_procurement.codes if c.code == "env-imp")
    assert "decret-2021-254-office-computing" not in {r.id for r in strategic.because}


def test_multifunction_printers_get_national_criteria_only(read: ReadModel) -> None:
    values = notice_values(read, CAT + "multifunction-printer", "en", ON)
    assert codes(values) == ({"env-imp", "soc-obj"}, {"circ-econ", "clim-mitig", "pollu-prev"}, {"national"})
    assert values.eu_gpp == []  # imaging equipment 2020: no identifier could be sourced (data/audit/eforms.md)
    energy = next(c for c in values.green_procurement.codes if c.code == "clim-mitig")
    assert "printing-energy-performance" in {r.id for r in energy.because}
    assert values.gpp_criteria.codes[0].name == "National Green Public Procurement criteria"


def test_a_category_without_criteria_gets_none(read: ReadModel) -> None:
    values = notice_values(read, CAT + "saas", "fr", ON)
    assert codes(values) == ({"none"}, set(), {"none"})
    assert values.eu_gpp == []


def test_servers_match_data_centre_criteria_in_the_lines_scope(read: ReadModel) -> None:
    values = notice_values(read, CAT + "server", "en", ON)
    assert {g.identifier for g in values.eu_gpp} == {"SC2", "TS2", "TS4"}
    assert {g.criteria_set.id for g in values.eu_gpp} == {"eu-gpp-data-centres-2020"}
    assert "eu" in codes(values)[2]


def test_every_code_given_is_a_code_of_its_list(read: ReadModel, store: ox.Store) -> None:
    listed = {
        (row["code"], row["scheme"], row["notation"])
        for row in select(
            store,
            """
        SELECT ?code ?scheme ?notation WHERE {
          ?code a anr:EformsCode ; skos:inScheme ?scheme ; skos:notation ?notation }
    """,
        )
    }
    by_iri = {code: (scheme, notation) for code, scheme, notation in listed}
    assert set(RULE_CODES) <= set(by_iri)
    given = 0
    for category in read.index.of_type(CATEGORY):
        values = notice_values(read, category.iri, "fr", ON)
        for fld in (values.strategic_procurement, values.green_procurement, values.gpp_criteria):
            for code in fld.codes:
                assert by_iri[code.iri] == (fld.scheme.iri, code.code), (category.id, code)
                given += 1
    assert given > 50


def test_codes_carry_the_sdk_names_and_lists_are_cited(store: ox.Store) -> None:
    rows = select(
        store,
        """
        SELECT ?fr ?en WHERE { ?c skos:notation "circ-econ" ; skos:prefLabel ?fr , ?en .
          FILTER (LANG(?fr) = "fr" && LANG(?en) = "en") }""",
    )
    assert [(r["fr"], r["en"]) for r in rows] == [
        ("La transition vers une économie circulaire", "The transition to a circular economy")
    ]
    schemes = select(
        store,
        """
        SELECT ?s ?licence ?source WHERE {
          ?s anr:businessTerm ?bt ; dcterms:license ?licence ; dcterms:source ?source }""",
    )
    assert {r["licence"] for r in schemes} == {"https://creativecommons.org/licenses/by/4.0/"}
    assert len({r["s"] for r in schemes}) == 3
    assert all("OP-TED/eForms-SDK/blob/184afa7dd27d4c017eaf0b3ed345410e853425a4/" in r["source"] for r in schemes)


@pytest.mark.parametrize("category", ["laptop", "server", "multifunction-printer"])
def test_named_query_gives_the_rules_impacts_and_matches(read: ReadModel, store: ox.Store, category: str) -> None:
    spec = load_catalog(Settings().queries_dir).get("eforms-by-category")
    assert spec is not None
    result = store.query(spec.text, substitutions=substitutions(bind(spec, {"category": f"cat:{category}"})))  # type: ignore[arg-type]
    assert isinstance(result, ox.QuerySolutions)
    rows = [{v.value: row[v.value].value for v in result.variables if row[v.value] is not None} for row in result]
    values = notice_values(read, CAT + category, "en", ON)
    from_criteria = {
        c.code
        for c in values.green_procurement.codes
        if any(r.iri.startswith(BASE + "id/criterion/") for r in c.because)
    }
    assert {r["code"] for r in rows if "code" in r} == from_criteria
    assert {r["identifier"] for r in rows if "identifier" in r} == {g.identifier for g in values.eu_gpp}
    assert {r["businessTerm"] for r in rows if "businessTerm" in r} <= {"BT-774"}
