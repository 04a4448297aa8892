"""The legal, end-of-life and repairability facts of the graph match the sources (legal_facts.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.dataset.loading import NoDataError, load_project
from graph_service.dataset.validation import load_shapes, validate_graph
from graph_service.namespaces import PREFIXES
from graph_service.runtime import StartupRefusedError
from graph_service.web.app import create_app
from tests.graph.legal_facts import (
    ARTICLE_DATES,
    CATEGORY_ORDERS,
    CPV_NOTATION,
    CPV_PARENT,
    DECREE_ROW_CATEGORIES,
    END_OF_LIFE_FIGURES,
    END_OF_LIFE_ROUTES,
    NOT_AMENDS,
    OBLIGATION_DATES,
    ORDER_ABOUT,
    PROFESSIONAL_WEEE_SOLD_AFTER,
    PUBLIC_PROCUREMENT_GDP_PERCENT,
    REEN_DIGITAL_PRODUCTS,
    REEN_WAYS,
    REPAIRABILITY_CATEGORY_COUNT,
    REPAIRABILITY_CHECKED_BY,
    REPAIRABILITY_CRITERIA,
    REPAIRABILITY_DESIGNED_BY,
    REPAIRABILITY_MAX_SCORE,
    REPEALS,
    SCORE_DETAIL_DAYS,
    SMARTPHONE_DUTIES,
)
from tests.helpers import select

FIXTURES = Path(__file__).parent.parent / "fixtures"
CPV = PREFIXES["cpv"]


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


# --- décret n° 2021-254: each row bears on its own devices --------------------------------------


def row_reaches(store: ox.Store, row: str) -> set[str]:
    """The categories a row reaches by the CPV rule: a category code at or below one of its codes."""
    rows = select(store, f"SELECT ?c WHERE {{ obl:{row} anr:cpvCode ?code . ?c anr:cpvCode/skos:broader* ?code }}")
    return {slug(r["c"]) for r in rows}


@pytest.mark.parametrize("row", sorted(DECREE_ROW_CATEGORIES))
def test_decree_row_categories(store: ox.Store, row: str) -> None:
    assert row_reaches(store, row) >= DECREE_ROW_CATEGORIES[row]
    # the rows reach categories through their CPV codes only (domain/scope.py)
    assert not select(store, f"SELECT ?c WHERE {{ obl:{row} anr:appliesToCategory|anr:appliesToFamily ?c }}")


def test_photocopier_row_is_not_attached_to_every_printer(store: ox.Store) -> None:
    assert "printer" not in row_reaches(store, "decret-2021-254-photocopying")


@pytest.mark.parametrize("duty", SMARTPHONE_DUTIES)
def test_smartphone_duties_bear_on_smartphones_only(store: ox.Store, duty: str) -> None:
    cats = {slug(r["c"]) for r in select(store, f"SELECT ?c WHERE {{ obl:{duty} anr:appliesToCategory ?c }}")}
    assert "smartphone" in cats
    assert "mobile-phone" not in cats


# --- CPV: complete, direct hierarchy and published notations -----------------------------------


@pytest.mark.parametrize("code", sorted(CPV_PARENT))
def test_cpv_direct_parent(store: ox.Store, code: str) -> None:
    iri = f"<{CPV}{code}>"
    rows = select(store, f"SELECT ?b WHERE {{ {iri} a anr:CpvCode . OPTIONAL {{ {iri} skos:broader ?b }} }}")
    assert rows, f"CPV {code} missing"
    parents = {r["b"].removeprefix(CPV) for r in rows if "b" in r}
    expected = CPV_PARENT[code]
    assert parents == ({expected} if expected else set())


@pytest.mark.parametrize("code", sorted(CPV_NOTATION))
def test_cpv_published_notation(store: ox.Store, code: str) -> None:
    rows = select(store, f"SELECT ?n WHERE {{ <{CPV}{code}> skos:notation ?n }}")
    assert [r["n"] for r in rows] == [CPV_NOTATION[code]]


def test_mobile_telephones_are_in_division_32(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?a WHERE {{ <{CPV}32250000> skos:broader+ ?a }}")
    assert {r["a"].removeprefix(CPV) for r in rows} == {"32200000", "32000000"}


def test_every_cpv_code_reaches_its_division(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?c WHERE { ?c a anr:CpvCode . FILTER NOT EXISTS { ?c skos:broader* ?top . "
        "?top skos:topConceptOf <http://data.europa.eu/cpv/cpv> } }",
    )
    assert rows == []


# --- legal relations and dates as ELI defines them --------------------------------------------


@pytest.mark.parametrize(("text", "old"), sorted(REPEALS))
def test_repeals(store: ox.Store, text: str, old: str) -> None:
    assert select(store, f"SELECT ?x WHERE {{ law:{text} eli:repeals law:{old} BIND(1 AS ?x) }}")
    assert not select(store, f"SELECT ?x WHERE {{ law:{text} eli:amends law:{old} BIND(1 AS ?x) }}")


@pytest.mark.parametrize(("text", "target"), sorted(NOT_AMENDS))
def test_decree_does_not_amend_statutory_article(store: ox.Store, text: str, target: str) -> None:
    assert not select(store, f"SELECT ?x WHERE {{ law:{text} eli:amends law:{target} BIND(1 AS ?x) }}")


def test_id_local_is_one_kind_of_identifier(store: ox.Store) -> None:
    rows = select(
        store, "SELECT ?t ?n WHERE { ?t a eli:LegalResource ; eli:id_local ?n . FILTER(STRSTARTS(?n, 'JORF')) }"
    )
    assert rows == []


@pytest.mark.parametrize("article", sorted(ARTICLE_DATES))
def test_article_entry_into_force(store: ox.Store, article: str) -> None:
    rows = select(store, f"SELECT ?d WHERE {{ law:{article} eli:first_date_entry_in_force ?d }}")
    assert [r["d"] for r in rows] == [ARTICLE_DATES[article]]
    assert not select(store, f"SELECT ?d WHERE {{ law:{article} anr:appliesFrom ?d }}")


@pytest.mark.parametrize("obligation", sorted(OBLIGATION_DATES))
def test_obligation_dates(store: ox.Store, obligation: str) -> None:
    rows = select(store, f"SELECT ?d WHERE {{ obl:{obligation} anr:appliesFrom ?d }}")
    assert [r["d"] for r in rows] == [OBLIGATION_DATES[obligation]]


def test_professional_weee_sale_date_is_not_an_application_date(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d WHERE { obl:weee-professional-producers anr:equipmentSoldAfter ?d }")
    assert [r["d"] for r in rows] == [PROFESSIONAL_WEEE_SOLD_AFTER]
    assert not select(store, "SELECT ?d WHERE { obl:weee-professional-producers anr:appliesFrom ?d }")


# --- loading refuses what the shapes let through -----------------------------------------------


def test_ill_typed_literal_fails_validation(settings: Settings) -> None:
    base = [settings.data_dir / "vocabularies.ttl", FIXTURES / "valid" / "base.ttl"]
    broken = FIXTURES / "invalid" / "literal-ill-typed-gyear.ttl"
    report = validate_graph(load_project(settings, [*base, broken]), load_shapes(settings.shapes_file))
    assert not report.conforms
    found = [v for v in report.violations if v.focus == "lbl:year-in-words" and "Ill-typed literal" in v.message]
    assert found and found[0].path == "dcterms:created" and found[0].file == broken
    assert "nineteen-ninety-two" in report.render()


def test_empty_data_folder_fails_validation(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(NoDataError, match="no data file"):
        load_project(settings, [tmp_path])


def test_empty_data_folder_fails_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graph_service.cli import main

    assert main(["validate", str(tmp_path)]) == 1
    assert "no data file" in capsys.readouterr().err


@pytest.mark.slow
def test_empty_data_folder_does_not_start_the_service(settings: Settings, tmp_path: Path) -> None:
    empty = Settings(data_dir=tmp_path, workers=1)
    with pytest.raises(StartupRefusedError, match="no data file"), TestClient(create_app(empty)):
        pass


def test_data_folder_with_data_still_loads(settings: Settings, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "valid" / "base.ttl", tmp_path / "base.ttl")
    assert load_project(settings, [tmp_path]).graph


# --- repairability guide -------------------------------------------------------------------------

IDX = "https://w3id.org/achats-numeriques-responsables/id/index/"
FIG = "https://w3id.org/achats-numeriques-responsables/id/figure/"
ROUTE = "https://w3id.org/achats-numeriques-responsables/id/route/"


def test_repairability_index_scale_and_categories(store: ox.Store) -> None:
    rows = select(
        store,
        f"SELECT ?m ?n ?who WHERE {{ <{IDX}repairability-score> anr:maximumScore ?m ;"
        " anr:productCategoryCount ?n ; dcterms:creator ?who }",
    )
    assert [(int(r["m"]), int(r["n"]), slug(r["who"])) for r in rows] == [
        (REPAIRABILITY_MAX_SCORE, REPAIRABILITY_CATEGORY_COUNT, REPAIRABILITY_DESIGNED_BY)
    ]


def test_repairability_index_five_criteria_in_order(store: ox.Store) -> None:
    rows = select(
        store,
        f"SELECT ?n ?name WHERE {{ <{IDX}repairability-score> anr:hasIndexCriterion ?c ."
        " ?c skos:notation ?n ; skos:prefLabel ?name . FILTER(LANG(?name) = 'en') } ORDER BY ?n",
    )
    assert tuple(r["name"] for r in rows) == REPAIRABILITY_CRITERIA
    assert [int(r["n"]) for r in rows] == [1, 2, 3, 4, 5]


def test_repairability_checked_by_dgccrf_and_detail_in_15_days(store: ox.Store) -> None:
    assert select(
        store,
        f"SELECT ?x WHERE {{ obl:agec-repairability-index dcterms:references "
        f"agent:{REPAIRABILITY_CHECKED_BY} BIND(1 AS ?x) }}",
    )
    rows = select(store, "SELECT ?d WHERE { obl:agec-repairability-score-detail dcterms:description ?d }")
    assert rows and all(f"{SCORE_DETAIL_DAYS} " in r["d"] for r in rows)


def test_reen_duty_bears_on_the_guide_digital_products(store: ox.Store) -> None:
    rows = select(store, "SELECT ?c WHERE { obl:reen-repairability-index-public-purchasing anr:appliesToCategory ?c }")
    assert {slug(r["c"]) for r in rows} == REEN_DIGITAL_PRODUCTS


def test_reen_duty_excludes_public_establishments(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?b WHERE { obl:reen-repairability-index-public-purchasing anr:bearsOn ?b . FILTER(LANG(?b) = 'fr') }",
    )
    assert rows and "pas les établissements publics" in rows[0]["b"]


def test_category_orders_by_date(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?d (COUNT(?t) AS ?n) WHERE { ?t a eli:LegalResource ; eli:date_document ?d ."
        " FILTER(CONTAINS(STR(?t), 'indice-reparabilite-') && !CONTAINS(STR(?t), 'affichage')) }"
        " GROUP BY ?d",
    )
    assert {r["d"]: int(r["n"]) for r in rows} == CATEGORY_ORDERS


@pytest.mark.parametrize(("order", "category"), sorted(ORDER_ABOUT.items()))
def test_category_order_is_about_its_category(store: ox.Store, order: str, category: str) -> None:
    assert select(store, f"SELECT ?x WHERE {{ law:{order} eli:is_about cat:{category} BIND(1 AS ?x) }}")


@pytest.mark.parametrize("way", sorted(REEN_WAYS))
def test_three_ways_to_take_the_index_into_account(store: ox.Store, way: str) -> None:
    rows = select(store, f"SELECT ?r ?b WHERE {{ crit:{way} anr:role ?r ; anr:legalBasis ?b }}")
    assert {slug(r["r"]) for r in rows} == REEN_WAYS[way]
    assert "loi-2021-1485-art-15" in {slug(r["b"]) for r in rows}


def test_durability_index_dates(store: ox.Store) -> None:
    for obligation in ("agec-durability-index", "reen-durability-index-public-purchasing"):
        assert select(
            store, f"SELECT ?x WHERE {{ obl:{obligation} dcterms:references <{IDX}durability-score> BIND(1 AS ?x) }}"
        )


# --- end-of-life page ----------------------------------------------------------------------------


@pytest.mark.parametrize("figure", sorted(END_OF_LIFE_FIGURES))
def test_end_of_life_figures(store: ox.Store, figure: str) -> None:
    iri = f"<{FIG}{figure}>"
    rows = select(store, f"SELECT ?v ?y WHERE {{ {iri} schema:value ?v OPTIONAL {{ {iri} dcterms:temporal ?y }} }}")
    value, year = END_OF_LIFE_FIGURES[figure]
    assert [(float(r["v"]), r.get("y")) for r in rows] == [(value, year)]


def test_public_procurement_share_of_gdp(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?v WHERE {{ <{FIG}public-procurement-share-of-gdp> schema:value ?v }}")
    assert [float(r["v"]) for r in rows] == [PUBLIC_PROCUREMENT_GDP_PERCENT]


def test_end_of_life_routes(store: ox.Store) -> None:
    rows = select(store, "SELECT ?r WHERE { ?r a anr:EndOfLifeRoute }")
    assert {slug(r["r"]) for r in rows} == END_OF_LIFE_ROUTES
    donation = select(store, f"SELECT ?b WHERE {{ <{ROUTE}donation-to-social-economy> anr:legalBasis ?b }}")
    assert {slug(r["b"]) for r in donation} == {"loi-2014-856"}


def test_buyer_due_diligence_over_weee(store: ox.Store) -> None:
    rows = select(store, "SELECT ?f WHERE { obl:weee-buyer-due-diligence anr:appliesToFamily ?f }")
    assert {slug(r["f"]) for r in rows} == {"office-equipment", "printing", "networks", "hosting"}
