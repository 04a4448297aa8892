"""The graph says what the practical sheets, the glossary, the introduction and the seeds say.

Each test states a fact of those pages (transcribed in sheets_facts.py) and fails if the graph
says otherwise.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph_service.namespaces import BASE_IRI, GUIDE
from tests.graph.sheets_facts import (
    DAE_ANNUAL_PURCHASES_EUR,
    DAE_SINCE,
    DONATION_PLATFORM_URL,
    DROPOUT_BANDS,
    GLOSSARY,
    GUIDE_CREATORS,
    GUIDE_ISSUED,
    GUIDE_VERSION,
    ILO_CONVENTIONS,
    LEASE_OFFICE_MAX_RENEWAL,
    MINIMUM_WEIGHTING,
    PAGES_WITHOUT_ANCHORS,
    PHOTOCOPIER_CATEGORY,
    PHOTOCOPIER_CPV,
    PRINTING_BOUGHT_MIN_LIFE,
    PRINTING_OPTIMAL_LIFE,
    PSU_80_PLUS,
    PSU_NON_REDUNDANT,
    PSU_REDUNDANT,
    RISK_MINERALS,
    ROLES,
    SHEET_ANCHORS,
    SUPPORTED_BY,
    VIDEO_PUBLISHED,
)
from tests.helpers import select

CRIT, CAT, VOC = BASE_IRI + "id/criterion/", BASE_IRI + "id/category/", BASE_IRI + "id/vocab/"


def test_sources_into_sheets_use_published_section_ids(store: ox.Store) -> None:
    rows = select(store, "SELECT DISTINCT ?s WHERE { ?r dcterms:source ?s }")
    checked = 0
    for source in (r["s"] for r in rows):
        if not source.startswith(GUIDE):
            continue
        path, _, anchor = source[len(GUIDE) :].partition("#")
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
    # a multifunction device falls under the row only through its copier code (30121100-4), and
    # under the division-30 row through its printer code (30232100-5): the CPV rule, not a name
    under = select(
        store,
        f"SELECT ?x WHERE {{ cat:multifunction-printer anr:cpvCode ?x . ?x skos:broader* cpv:{PHOTOCOPIER_CPV} }}",
    )
    assert {r["x"].rsplit("/", 1)[1] for r in under} == {"30121100"}


@pytest.mark.parametrize(("criterion", "weight"), MINIMUM_WEIGHTING.items())
def test_award_criteria_minimum_weighting(store: ox.Store, criterion: str, weight: float) -> None:
    rows = select(store, f"SELECT ?w ?r WHERE {{ <{CRIT}{criterion}> anr:minimumWeightingPercent ?w ; anr:role ?r }}")
    assert rows and {Decimal(r["w"]) for r in rows} == {Decimal(str(weight))}
    assert VOC + "award-criterion" in {r["r"] for r in rows}


def test_school_dropout_bands(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?lo ?hi ?h ?m WHERE { crit:school-dropout-training-clause anr:hasRequirementBand ?b .
        ?b anr:requiredHours ?h ; anr:requiredMonths ?m .
        OPTIONAL { ?b anr:contractAmountAbove ?lo } OPTIONAL { ?b anr:contractAmountUpTo ?hi } }""",
    )

    def dec(row: dict[str, str], key: str) -> Decimal | None:
        return Decimal(row[key]) if key in row else None

    got = sorted(((dec(r, "lo"), dec(r, "hi"), int(r["h"]), Decimal(r["m"])) for r in rows), key=lambda t: t[2])
    want = [
        (None if lo is None else Decimal(lo), None if hi is None else Decimal(hi), h, Decimal(str(m)))
        for lo, hi, h, m in DROPOUT_BANDS
    ]
    assert got == want


@pytest.mark.parametrize(("criterion", "roles"), ROLES.items())
def test_clause_roles(store: ox.Store, criterion: str, roles: set[str]) -> None:
    rows = select(store, f"SELECT ?r WHERE {{ <{CRIT}{criterion}> anr:role ?r }}")
    assert {r["r"] for r in rows} == {VOC + role for role in roles}


def test_waste_hierarchy_starts_with_preparing_for_reuse(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d WHERE { crit:weee-management dcterms:description ?d FILTER(LANG(?d) = 'en') }")
    text = rows[0]["d"]
    assert "L. 541-1" in text and text.index("preparing for reuse") < text.index("recycling")


def _level(store: ox.Store, redundant: bool, level: int) -> dict[str, str]:
    rows = select(
        store,
        f"""SELECT ?l ?a10 ?a20 ?a50 ?a100 ?std WHERE {{
        ?l a anr:PowerSupplyEfficiencyLevel ; skos:notation "{level}" ;
           anr:redundantPowerSupply {str(redundant).lower()} ; dcterms:isPartOf crit:hosting-power-supply-efficiency .
        OPTIONAL {{ ?l anr:minimumEfficiencyAt10PercentLoad ?a10 }}
        OPTIONAL {{ ?l anr:minimumEfficiencyAt20PercentLoad ?a20 }}
        OPTIONAL {{ ?l anr:minimumEfficiencyAt50PercentLoad ?a50 }}
        OPTIONAL {{ ?l anr:minimumEfficiencyAt100PercentLoad ?a100 }}
        OPTIONAL {{ ?l dcterms:conformsTo ?std }} }}""",
    )
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("redundant", [False, True])
def test_hosting_power_supply_table(store: ox.Store, redundant: bool) -> None:
    table = PSU_REDUNDANT if redundant else PSU_NON_REDUNDANT
    for level, figures in table.items():
        row = _level(store, redundant, level)
        got = tuple(Decimal(row[k]) if k in row else None for k in ("a10", "a20", "a50", "a100"))
        assert got == tuple(None if f is None else Decimal(f) for f in figures), (level, row)
        assert row["std"] == BASE_IRI + "id/label/" + PSU_80_PLUS[level]
    count = select(
        store,
        f"""SELECT (COUNT(?l) AS ?n) WHERE {{ ?l a anr:PowerSupplyEfficiencyLevel ;
        anr:redundantPowerSupply {str(redundant).lower()} }}""",
    )
    assert int(count[0]["n"]) == len(table)


def test_non_redundant_levels_equal_the_80_plus_thresholds(store: ox.Store) -> None:
    for level, figures in PSU_NON_REDUNDANT.items():
        rows = select(
            store,
            f"""SELECT ?load ?eff WHERE {{ lbl:{PSU_80_PLUS[level]} anr:hasEfficiencyThreshold ?t .
            ?t anr:loadPercent ?load ; anr:minimumEfficiencyPercent ?eff }}""",
        )
        by_load = {int(Decimal(r["load"])): int(Decimal(r["eff"])) for r in rows}
        want = {load: f for load, f in zip((10, 20, 50, 100), figures, strict=True) if f is not None}
        assert by_load == want, level


def test_leasing_and_service_life_advice(store: ox.Store) -> None:
    adv = BASE_IRI + "id/advice/"
    rows = select(
        store,
        f"SELECT ?y WHERE {{ <{adv}lease-office-equipment> anr:maximumRenewalCycleYears ?y ; "
        "anr:appliesToFamily cat:office-equipment }",
    )
    assert [Decimal(r["y"]) for r in rows] == [Decimal(LEASE_OFFICE_MAX_RENEWAL)]
    rows = select(
        store,
        f"SELECT ?o ?m WHERE {{ <{adv}printing-system-service-life> anr:optimalServiceLifeYears ?o ; "
        "anr:minimumServiceLifeYears ?m ; anr:appliesToFamily cat:printing }",
    )
    assert [(Decimal(r["o"]), Decimal(r["m"])) for r in rows] == [
        (Decimal(PRINTING_OPTIMAL_LIFE), Decimal(PRINTING_BOUGHT_MIN_LIFE))
    ]


def test_ilo_conventions_by_number_and_year(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?id ?y WHERE { crit:supply-chain-social-traceability anr:legalBasis ?c .
        ?c eli:type_document voc:international-convention ; eli:id_local ?id ; dcterms:date ?y ;
           eli:passed_by agent:ilo }""",
    )
    assert {int(r["id"].lstrip("C")): int(r["y"]) for r in rows} == ILO_CONVENTIONS


def test_risk_minerals_cited_by_the_traceability_clause(store: ox.Store) -> None:
    rows = select(
        store, "SELECT ?m WHERE { crit:supply-chain-social-traceability dcterms:subject ?m . ?m a anr:RiskMineral }"
    )
    assert {r["m"].rsplit("/", 1)[1] for r in rows} == RISK_MINERALS


@pytest.mark.parametrize(("subject", "body"), SUPPORTED_BY.items())
def test_bodies_the_sheets_point_to(store: ox.Store, subject: str, body: str) -> None:
    rows = select(store, f"SELECT ?o WHERE {{ <{BASE_IRI}{subject}> anr:supportedBy ?o . ?o a schema:Organization }}")
    assert BASE_IRI + "id/organisation/" + body in {r["o"] for r in rows}


def test_donation_platform(store: ox.Store) -> None:
    rows = select(store, "SELECT ?u WHERE { ?s a schema:WebSite ; schema:provider agent:dnid ; schema:url ?u }")
    assert [r["u"] for r in rows] == [DONATION_PLATFORM_URL]


@pytest.mark.parametrize(("acronym", "entry"), GLOSSARY.items())
def test_glossary_terms(store: ox.Store, acronym: str, entry: tuple[str, str]) -> None:
    slug, fact = entry
    rows = select(
        store,
        f"""SELECT ?alt ?d WHERE {{ <{BASE_IRI}id/term/{slug}> a anr:GlossaryTerm ;
        skos:inScheme <{BASE_IRI}id/term/guide-glossary> ; skos:altLabel ?alt ; skos:definition ?d .
        FILTER(LANG(?d) = "fr") }}""",
    )
    assert acronym in {r["alt"] for r in rows}
    assert fact in rows[0]["d"]


def test_guide_metadata(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?d ?v WHERE {{ <{GUIDE}> dcterms:issued ?d ; schema:version ?v }}")
    assert [(r["d"], r["v"]) for r in rows] == [(GUIDE_ISSUED, GUIDE_VERSION)]
    rows = select(store, f"SELECT ?c WHERE {{ <{GUIDE}> dcterms:creator ?c }}")
    assert {r["c"].rsplit("/", 1)[1] for r in rows} == GUIDE_CREATORS


def test_purchasing_directorate_perimeter_and_video(store: ox.Store) -> None:
    # The video dates the DAE's running of the purchasing policy (since DAE_SINCE), not its founding:
    # that year is told in the video's description, not stored as schema:foundingDate.
    rows = select(store, "SELECT ?v WHERE { agent:dae anr:annualPurchaseVolumeEur ?v }")
    assert [Decimal(r["v"]) for r in rows] == [Decimal(DAE_ANNUAL_PURCHASES_EUR)]
    rows = select(
        store,
        "SELECT ?d WHERE { ?v a schema:VideoObject ; schema:about agent:dae ; dcterms:description ?d "
        "FILTER(lang(?d) = 'en') }",
    )
    assert rows and all(f"since {DAE_SINCE}" in r["d"] for r in rows)
    rows = select(
        store, "SELECT ?d WHERE { ?v a schema:VideoObject ; schema:about agent:dae ; schema:datePublished ?d }"
    )
    assert [r["d"] for r in rows] == [VIDEO_PUBLISHED]


def test_traceability_clause_details_ccag_article_6(store: ox.Store) -> None:
    from tests.graph.sheets_facts import TRACEABILITY_CCAG_ARTICLES

    rows = select(
        store,
        """SELECT ?a WHERE { crit:supply-chain-social-traceability anr:legalBasis ?a .
        ?a a eli:LegalResourceSubdivision ; eli:id_local "6" }""",
    )
    assert {r["a"].rsplit("/", 1)[1] for r in rows} == TRACEABILITY_CCAG_ARTICLES


def test_sourcing_advice_covers_the_sheets(store: ox.Store) -> None:
    from tests.graph.sheets_facts import SOURCING_FAMILIES

    rows = select(
        store,
        f"SELECT ?f WHERE {{ <{BASE_IRI}id/advice/sourcing-method> anr:appliesToFamily ?f ; "
        "anr:supportedBy agent:dae }",
    )
    assert {r["f"].rsplit("/", 1)[1] for r in rows} == SOURCING_FAMILIES


@pytest.mark.parametrize("cpv", ["30120000", "32250000"])
def test_decree_row_bears_on_the_categories_it_names(store: ox.Store, cpv: str) -> None:
    from tests.graph.sheets_facts import DECREE_ROW_CATEGORIES

    rows = select(
        store,
        f"""SELECT ?c WHERE {{ ?o a anr:MinimumShareRequirement ; anr:cpvCode cpv:{cpv} .
        ?c a anr:PurchaseCategory ; anr:cpvCode/skos:broader* cpv:{cpv} }}""",
    )
    assert {r["c"].rsplit("/", 1)[1] for r in rows} >= DECREE_ROW_CATEGORIES[cpv]


def test_purchasing_directorate_remit_excludes_defence(store: ox.Store) -> None:
    rows = select(store, "SELECT ?n WHERE { agent:dae skos:scopeNote ?n FILTER(LANG(?n) = 'en') }")
    assert len(rows) == 1
    note = rows[0]["n"]
    assert "defence and security contracts excepted" in note and "35 billion" in note
