"""Scope by one rule (domain/scope.py): obligations reach categories by category, family or CPV code.

Computed checks compare the domain rule with an independent SPARQL reading of the graph (a row's CPV
code covers its descendants, skos:broader*) and with the named query; hand-stated cases beside them
come from the guide's pages: the décret n° 2021-254 table (fiches-pratiques/bureautique/#reglementation
and impression/#reglementation), the repairability guide's public purchasing page (the digital
products of REEN art. 15: smartphones, laptops, televisions, connected household appliances) and the
legal page (consumer information duties).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest

from graph_service.config import Settings
from graph_service.domain.finder import Finder
from graph_service.domain.index import build_index
from graph_service.domain.profile import CpvProfiler
from graph_service.domain.readmodel import ReadModel
from graph_service.domain.sheet import SheetBuilder
from graph_service.named.binding import bind, substitutions
from graph_service.named.catalog import load_catalog
from tests.helpers import select

BASE = "https://w3id.org/achats-numeriques-responsables/"
CAT, OBL, CRIT = BASE + "id/category/", BASE + "id/obligation/", BASE + "id/criterion/"
ROWS = {
    "decret-2021-254-office-computing",
    "decret-2021-254-photocopying",
    "decret-2021-254-cartridges",
    "decret-2021-254-telephones",
}
AUDIT = Path(__file__).parents[2] / "data" / "audit" / "scope.md"
ON = dt.date(2025, 6, 1)

# Hand-stated from the sources (see the module docstring).
# Division 30 (first row: 30000000-9) holds printers, copiers and multifunction devices; televisions
# are CPV 32324000-0 and household appliances 39710000-2, outside every row of the guide's table.
ROWS_OF = {
    "multifunction-printer": {"decret-2021-254-office-computing", "decret-2021-254-photocopying"},
    "laptop": {"decret-2021-254-office-computing"},
    "desktop-computer": {"decret-2021-254-office-computing"},
    "printer": {"decret-2021-254-office-computing"},
    "photocopier": {"decret-2021-254-office-computing", "decret-2021-254-photocopying"},
    "ink-cartridge": {"decret-2021-254-office-computing", "decret-2021-254-cartridges"},
    "smartphone": {"decret-2021-254-telephones"},
    "fixed-phone": {"decret-2021-254-telephones"},
    "television": set(),
    "connected-household-appliance": set(),
    "server": set(),
}
# The CPV codes a buyer uses for these categories (CPV 2008 headings).
CODES_OF = {
    "multifunction-printer": {"30232100-5", "30121100-4"},
    "printer": {"30232100-5"},
    "television": {"32324000-0"},
    "connected-household-appliance": {"39710000-2"},
    "monitor": {"30231300-0"},
    "server": {"48820000-2"},
}
REEN_PRODUCTS = {"laptop", "smartphone", "television", "connected-household-appliance"}
EQUIPMENT_FAMILIES = ("office-equipment", "printing", "networks", "other-repairable-products")


@pytest.fixture(scope="module")
def read(store: ox.Store) -> ReadModel:
    return ReadModel(store, build_index(store, BASE))


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def rows_by_cpv(store: ox.Store) -> dict[str, set[str]]:
    """Independent reading: the rows whose code is one of the category's codes or an ancestor of one."""
    rows = select(
        store,
        """SELECT ?cat ?row WHERE {
        ?row a anr:MinimumShareRequirement ; anr:cpvCode ?code .
        ?cat a anr:PurchaseCategory ; anr:cpvCode/skos:broader* ?code }""",
    )
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(slug(r["cat"]), set()).add(slug(r["row"]))
    return out


def test_every_category_below_a_row_code_gets_that_row_and_no_other(store: ox.Store, read: ReadModel) -> None:
    expected = rows_by_cpv(store)
    assert set(expected) >= {"multifunction-printer", "laptop"}
    for category in read.scope.categories:
        got = {slug(r) for r in read.scope.for_category(category) if slug(r) in ROWS}
        assert got == expected.get(slug(category), set()), slug(category)


@pytest.mark.parametrize("category", sorted(ROWS_OF))
def test_hand_stated_rows(read: ReadModel, category: str) -> None:
    got = {slug(r) for r in read.scope.for_category(CAT + category) if slug(r) in ROWS}
    assert got == ROWS_OF[category]


@pytest.mark.parametrize("category", sorted(CODES_OF))
def test_categories_carry_the_cpv_codes_buyers_use(store: ox.Store, category: str) -> None:
    rows = select(store, f"SELECT ?n WHERE {{ <{CAT}{category}> anr:cpvCode/skos:notation ?n }}")
    assert {r["n"] for r in rows} == CODES_OF[category]


def test_every_equipment_category_carries_a_cpv_code(store: ox.Store) -> None:
    families = " ".join(f"<{CAT}{f}>" for f in EQUIPMENT_FAMILIES)
    rows = select(
        store,
        f"""SELECT ?c WHERE {{ VALUES ?f {{ {families} }}
        ?c a anr:PurchaseCategory ; skos:broader+ ?f . FILTER NOT EXISTS {{ ?c anr:cpvCode ?code }} }}""",
    )
    assert not rows, sorted(slug(r["c"]) for r in rows)


def test_the_sheets_answer_by_the_rule(read: ReadModel) -> None:
    sheets = SheetBuilder(read, CpvProfiler(read))
    mfp = {d.ref.id for d in sheets.category("multifunction-printer", ON, "fr").shares}
    assert "decret-2021-254-office-computing" in mfp
    tv = sheets.category("television", ON, "fr")
    assert not tv.shares
    assert tv.family is not None and tv.family.id == "other-repairable-products"
    assert "reen-repairability-index-public-purchasing" in {d.ref.id for d in tv.obligations}
    monitor = {d.ref.id for d in sheets.category("monitor", ON, "fr").obligations}
    assert "reen-repairability-index-public-purchasing" not in monitor  # a monitor carries no index
    office = sheets.family("office-equipment", ON, "fr")
    assert {c.id for c in office.categories}.isdisjoint({"television", "connected-household-appliance"})


def test_the_cpv_profile_gives_every_row_above_the_code(read: ReadModel) -> None:
    profile = CpvProfiler(read).profile("30232110-8", ON, "fr")  # laser printers: not in the graph
    assert {s.id for s in profile.shares} == {"decret-2021-254-office-computing"}
    assert {c.id for c in profile.categories} >= {"printer", "multifunction-printer"}
    assert not CpvProfiler(read).profile("32324000-0", ON, "fr").shares


def test_the_named_query_is_the_same_rule(store: ox.Store, read: ReadModel, settings: Settings) -> None:
    spec = load_catalog(settings.queries_dir).get("obligations-by-category")
    assert spec is not None
    result = store.query(spec.text, substitutions=cast(Any, substitutions(bind(spec, {}))))
    assert isinstance(result, ox.QuerySolutions)
    sparql = {(row["obligation"].value, row["category"].value, row["route"].value, row["via"].value) for row in result}
    obligations = {r.iri for r in read.index.of_type(BASE + "def/Obligation")}
    domain = {
        (res, cat, link.route, link.via)
        for cat in read.scope.categories
        for res, links in read.scope.for_category(cat).items()
        if res in obligations
        for link in links
    }
    assert sparql == domain
    assert (
        OBL + "decret-2021-254-office-computing",
        CAT + "multifunction-printer",
        "cpv",
        "http://data.europa.eu/cpv/cpv/30000000",
    ) in sparql


def test_repairability_award_criterion_covers_what_its_page_names(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?c WHERE {{ <{CRIT}repairability-index> anr:appliesToCategory ?c }}")
    assert {slug(r["c"]) for r in rows} == REEN_PRODUCTS


def test_reen_duty_reaches_only_the_named_products(read: ReadModel) -> None:
    reached = {slug(c) for c in read.scope.categories_of(OBL + "reen-repairability-index-public-purchasing")}
    assert reached == REEN_PRODUCTS


def test_consumer_duties_hang_on_no_purchase_family(store: ox.Store, read: ReadModel) -> None:
    duties = {slug(r["d"]) for r in select(store, "SELECT ?d WHERE { ?d a anr:ConsumerDuty }")}
    assert duties >= {
        "agec-conformity-guarantee-extension",
        "agec-ghg-data-information",
        "agec-software-updates-information",
    }
    for duty in duties:
        assert not read.scope.families_of(OBL + duty), duty
        assert not read.scope.categories_of(OBL + duty), duty


def test_cpv_tree_reaches_a_division_from_every_code(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?c WHERE { ?c a anr:CpvCode .
        FILTER NOT EXISTS { ?c skos:broader* ?top . ?top skos:topConceptOf ?scheme } }""",
    )
    assert not rows, sorted(slug(r["c"]) for r in rows)


# -- the audit record ----------------------------------------------------------------------------

PROPERTY_OF = {
    "anr:appliesToFamily": "appliesToFamily",
    "anr:appliesToCategory": "appliesToCategory",
    "skos:broader (category)": "broader",
    "anr:coversCategory (anr:Coverage)": "covers",
}


def audited() -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    prop = ""
    for line in AUDIT.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (.+?) \(\d+ links\)", line)
        if heading:
            prop = PROPERTY_OF[heading.group(1)]
            continue
        row = re.match(r"\| `([^`]+)` \| `([^`]+)` \| (.+) \|$", line)
        if row and prop:
            out[(row.group(1), prop, row.group(2))] = row.group(3)
    return out


def graph_links(store: ox.Store) -> set[tuple[str, str, str]]:
    links = set()
    for prop in ("appliesToFamily", "appliesToCategory"):
        for r in select(store, f"SELECT ?s ?o WHERE {{ ?s anr:{prop} ?o }}"):
            links.add((slug(r["s"]), prop, slug(r["o"])))
    for r in select(store, "SELECT ?s ?o WHERE { ?s a anr:PurchaseCategory ; skos:broader ?o }"):
        links.add((slug(r["s"]), "broader", slug(r["o"])))
    for r in select(store, "SELECT ?l ?c WHERE { ?x a anr:Coverage ; anr:coverageOf ?l ; anr:coveredCategory ?c }"):
        links.add((slug(r["l"]), "covers", slug(r["c"])))
    return links


def test_every_scope_link_is_justified_in_the_audit(store: ox.Store) -> None:
    record = audited()
    assert set(record) == graph_links(store)
    assert all(j.strip() for j in record.values())


def test_links_said_to_be_inferred_are_flagged_in_the_graph(store: ox.Store) -> None:
    flagged = {slug(r["s"]) for r in select(store, "SELECT ?s WHERE { ?s anr:inferredScope ?n }")}
    for (subject, prop, obj), why in audited().items():
        if why.startswith("INFERENCE"):
            assert subject in flagged or (prop == "broader" and obj in flagged), (subject, prop, obj)


# -- the buyers' search --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("imprimante multifonction", "multifunction-printer"),
        ("Imprimantes multifonctions", "multifunction-printer"),
        ("copieur", "multifunction-printer"),
        ("COPIEURS", "photocopier"),
        ("photocopieur", "photocopier"),
        ("30232110", "multifunction-printer"),
        ("30232110-8", "multifunction-printer"),
        ("302321108", "printer"),
        ("30232100", "printer"),
        ("téléviseurs", "television"),
        ("televiseur", "television"),
        ("32324000-0", "television"),
        ("ecrans", "monitor"),
    ],
)
def test_buyers_words_and_codes_find_the_category(read: ReadModel, query: str, expected: str) -> None:
    hits = Finder(read).search(query, "fr")
    assert expected in {h.id for h in hits if h.kind == "category"}
