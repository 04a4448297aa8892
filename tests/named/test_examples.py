"""Each named query's examples give the rows the guide implies (expected values written by hand)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph_service.config import Settings
from graph_service.named.binding import bind, substitutions
from graph_service.named.catalog import Catalog, load_catalog
from graph_service.named.header import QuerySpec
from graph_service.namespaces import PREFIXES

Row = dict[str, str]


@pytest.fixture(scope="module")
def catalog(settings: Settings) -> Catalog:
    return load_catalog(settings.queries_dir)


def run(store: ox.Store, spec: QuerySpec, example: dict[str, str]) -> list[Row]:
    result = store.query(spec.text, substitutions=substitutions(bind(spec, example)))  # type: ignore[arg-type]
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def example(catalog: Catalog, name: str, index: int) -> tuple[QuerySpec, dict[str, str]]:
    spec = catalog.get(name)
    assert spec is not None
    return spec, spec.examples[index]


def ids(rows: list[Row], key: str) -> set[str]:
    return {r[key].rsplit("/", 1)[1] for r in rows}


def test_every_example_returns_rows(store: ox.Store, catalog: Catalog) -> None:
    for spec in catalog:
        for ex in spec.examples:
            assert run(store, spec, ex), f"{spec.name} {ex} returned no row"


def test_laptop_inherits_the_labels_of_computers(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "labels-for-category", 0))
    assert ids(rows, "label") == {"eu-ecolabel", "tco-certified", "epeat", "80-plus"}
    assert ids(rows, "via") == {"computers"}
    assert all("#tableau-ecolabels" in r["source"] for r in rows)


def test_printer_labels_in_french(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "labels-for-category", 1))
    assert ids(rows, "label") == {"blue-angel", "tco-certified", "energy-star"}
    assert "Ange bleu" in {r["labelName"] for r in rows} or "Blue Angel" in {r["labelName"] for r in rows}
    assert all(r["viaName"] != "Printer" for r in rows)


def test_categories_covered_by_tco_certified(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "categories-for-label", 0))
    direct = {r["category"].rsplit("/", 1)[1] for r in rows if r["direct"] == "true"}
    assert direct == {"computers", "monitor", "printer", "mobile-phone", "server"}
    inherited = {r["category"].rsplit("/", 1)[1] for r in rows if r["direct"] == "false"}
    assert {"laptop", "desktop-computer"} <= inherited


def test_categories_covered_by_blue_angel(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "categories-for-label", 1))
    direct = {r["category"].rsplit("/", 1)[1] for r in rows if r["direct"] == "true"}
    assert {"printer", "cartridge", "mobile-phone"} <= direct
    assert "computers" not in direct


def test_type_1_ecolabels(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "type-1-ecolabels", 0))
    found = ids(rows, "label")
    assert {"eu-ecolabel", "blue-angel", "tco-certified", "nordic-swan", "nf-environnement-nf335"} <= found
    assert not {"epeat", "80-plus"} & found  # EPEAT is type II; 80 PLUS an efficiency certification
    years = {r["label"].rsplit("/", 1)[1]: r.get("year") for r in rows}
    assert years["eu-ecolabel"] == "1992"
    assert years["blue-angel"] == "1978"
    assert years["tco-certified"] == "1990"
    assert years["nordic-swan"] == "1989"


def test_type_1_ecolabels_per_category(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "type-1-ecolabels-per-category", 0))
    by_cat = {r["category"].rsplit("/", 1)[1]: r for r in rows}
    # From the guide's table: cartridges carry Blue Angel, NF335 and Nordic Swan (all type I).
    assert by_cat["cartridge"]["type1Ecolabels"] == "3"
    table = ("computers", "monitor", "printer", "cartridge", "mobile-phone", "server")
    assert {c: by_cat[c]["allLabels"] for c in table} == {
        "computers": "4",
        "monitor": "4",
        "printer": "3",
        "cartridge": "3",
        "mobile-phone": "3",
        "server": "2",
    }


@pytest.mark.parametrize("index", [0, 1])
def test_obligations_by_cpv_show_the_decree_share(store: ox.Store, catalog: Catalog, index: int) -> None:
    spec, ex = example(catalog, "obligations-by-cpv", index)
    rows = run(store, spec, ex)
    shares = [r for r in rows if "reusedOrRecycled" in r]
    assert shares
    assert {r["code"] for r in rows} == {ex["code"]}
    for row in shares:
        assert Decimal(row["reusedOrRecycled"]) == 20
        assert Decimal(row["reused"]) == 20
        assert row["from"] == "2021-01-01"
    assert PREFIXES["law"] + "decret-2021-254" in {r.get("legalBasis") for r in shares}


def test_office_equipment_environmental_award_criterion_weighs_10(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "criteria-of-family", 0))
    weighted = [r for r in rows if r.get("minimumWeighting")]
    assert any(
        r["roleName"] == "Award criterion"
        and r["dimensionName"] == "Environmental"
        and Decimal(r["minimumWeighting"]) == 10
        for r in weighted
    )
    assert {r["roleName"] for r in rows} >= {"Award criterion", "Sourcing question", "Technical specification"}


def test_it_services_award_criteria_in_french(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "criteria-of-family", 1))
    award = {
        r["dimensionName"]
        for r in rows
        if r["roleName"] == "Critère d'attribution" and Decimal(r.get("minimumWeighting", "0")) == 10
    }
    assert award == {"Environnementale", "Sociale"}


def test_office_equipment_cites_agec_and_the_decree(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "legal-texts-by-family", 0))
    texts = ids(rows, "text")
    assert "loi-2020-105" in texts
    assert {r["family"].rsplit("/", 1)[1] for r in rows} == {"office-equipment"}


def test_tco_certified_attests_a_social_criterion(store: ox.Store) -> None:
    result = store.query(
        "PREFIX anr: <https://w3id.org/achats-numeriques-responsables/def/>"
        " PREFIX lbl: <https://w3id.org/achats-numeriques-responsables/id/label/>"
        " PREFIX voc: <https://w3id.org/achats-numeriques-responsables/id/vocab/>"
        " ASK { lbl:tco-certified anr:attests ?c . ?c anr:dimension voc:social }"
    )
    assert bool(result)


def test_laptop_clauses_in_french_name_their_document_and_proof(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "clauses-by-category", 0))
    by_criterion = {r["criterion"].rsplit("/", 1)[1]: r for r in rows}
    assert "repairability-index" in by_criterion and "ecolabelled-equipment" in by_criterion
    label = by_criterion["ecolabelled-equipment"]
    assert label["documentName"] == "Cahier des clauses techniques particulières (CCTP)"
    assert label["proofs"] == "Label ou équivalent" and "ou équivalent" in label["text"]
    assert "Article R2111-16 du code de la commande publique" in label["legalBasis"].split(" | ")
    assert all(r["category"].endswith("/laptop") for r in rows)


def test_printer_clauses_cover_the_printing_family_once_each(store: ox.Store, catalog: Catalog) -> None:
    rows = run(store, *example(catalog, "clauses-by-category", 1))
    criteria = [r["criterion"].rsplit("/", 1)[1] for r in rows]
    assert len(criteria) == len(set(criteria))
    assert {"printing-energy-performance", "printing-paper-and-ink-saving", "weee-management"} <= set(criteria)
    assert not any(c.startswith(("networks-", "hosting-", "it-services-")) for c in criteria)


@pytest.mark.parametrize("index", [0, 1])
def test_clauses_by_category_follows_the_sheets_scope_rule(store: ox.Store, catalog: Catalog, index: int) -> None:
    from graph_service.domain.index import build_index
    from graph_service.domain.readmodel import ReadModel

    spec, ex = example(catalog, "clauses-by-category", index)
    category = PREFIXES["cat"] + ex["category"].split(":", 1)[1]
    read = ReadModel(store, build_index(store, PREFIXES["anr"].removesuffix("def/")))
    family = read.family_of(category)
    expected = set(read.criteria_for([family] if family else [], [category]))
    assert {r["criterion"] for r in run(store, spec, ex)} == expected
