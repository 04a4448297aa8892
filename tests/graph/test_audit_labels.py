"""The labels pages and the good-practice chapter, fact by fact (expected values in labels_facts.py)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph_service.config import Settings
from graph_service.named.binding import bind, substitutions
from graph_service.named.catalog import load_catalog
from graph_service.namespaces import PREFIXES
from tests.graph.labels_facts import (
    BUYING_RULE_ARTICLES,
    BUYING_RULE_FALLBACK_LABELS,
    BUYING_RULE_PREFERRED_KIND,
    CATEGORY_FIGURES,
    CCP_LABEL_ARTICLES,
    CERTIFICATE_CONDITIONS,
    ECOLABELLED_EQUIPMENT_PROOF,
    EQUIVALENT_PROOF_ARTICLES,
    LABEL_CREATORS,
    LABEL_ISSUERS,
    LABEL_KINDS,
    LABEL_MISSION_EMAIL,
    LABEL_MISSION_THEMES,
    LABEL_VALIDITY_YEARS,
    LABEL_YEARS,
    LEGAL_PAGE,
    LEGAL_TEXT_TYPES,
    LEVEL_RECYCLED_CONTENT,
    MODULAR_CATEGORIES,
    NORDIC_SWAN_COUNTRIES,
    PAGE_SECTIONS,
    PRACTICES,
    PRACTICES_DATE,
    PREFERENCES,
    PROOF_PARTIES,
    SOURCING_LEGAL_BASIS,
    TRACEABILITY_CONDITIONS,
    TYPES_NOT_ON_LEGAL_PAGE,
    WARRANTY_MINIMUM_YEARS,
    WARRANTY_RECOMMENDED_YEARS,
)
from tests.helpers import select, slugs

LBL, VOC, AGENT = PREFIXES["lbl"], PREFIXES["voc"], PREFIXES["agent"]


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


# ---------------------------------------------------------------------------
# The buying rule of the labels page
# ---------------------------------------------------------------------------

RULE = "<https://w3id.org/achats-numeriques-responsables/id/rule/labels-buying-rule>"
BP = "https://w3id.org/achats-numeriques-responsables/id/practice/"


def test_buying_rule_prefers_type_1_and_falls_back_on_the_other_labels(store: ox.Store) -> None:
    kinds = select(store, f"SELECT ?k WHERE {{ {RULE} a anr:LabelBuyingRule ; anr:preferredLabelKind ?k }}")
    assert slugs(kinds, "k") == {BUYING_RULE_PREFERRED_KIND}
    fallback = select(store, f"SELECT ?l WHERE {{ {RULE} anr:fallbackLabel ?l }}")
    assert slugs(fallback, "l") == BUYING_RULE_FALLBACK_LABELS
    # a fallback is, by the rule, not of the preferred kind
    typed = f"SELECT ?l WHERE {{ {RULE} anr:fallbackLabel ?l . ?l anr:labelKind voc:type-1-ecolabel }}"
    assert not select(store, typed)


def test_buying_rule_rests_on_the_labels_articles(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?a WHERE {{ {RULE} anr:legalBasis ?a }}")
    assert slugs(rows, "a") == BUYING_RULE_ARTICLES


@pytest.mark.parametrize(("article", "number"), sorted(CCP_LABEL_ARTICLES.items()))
def test_label_articles_are_parts_of_the_code(store: ox.Store, article: str, number: str) -> None:
    rows = select(
        store,
        f"SELECT ?n WHERE {{ law:{article} a eli:LegalResourceSubdivision ;"
        " eli:is_part_of law:code-commande-publique ; eli:id_local ?n }",
    )
    assert [r["n"] for r in rows] == [number]


def test_label_certificate_proof(store: ox.Store) -> None:
    rows = select(
        store,
        f"SELECT ?p ?by ?c WHERE {{ {RULE} anr:hasProofRequirement ?p ."
        " ?p anr:providedBy ?by ; anr:proofCondition ?c }",
    )
    certificate = [r for r in rows if r["p"].endswith("/labels-certificate-proof")]
    assert slugs(certificate, "by") == PROOF_PARTIES
    assert slugs(certificate, "c") == CERTIFICATE_CONDITIONS


def test_equivalent_approach_proof(store: ox.Store) -> None:
    rows = select(
        store,
        f"SELECT ?a ?c WHERE {{ {RULE} anr:hasProofRequirement ?p ."
        " FILTER(STRENDS(STR(?p), '/labels-equivalent-proof'))"
        " ?p anr:legalBasis ?a ; anr:proofCondition ?c }",
    )
    assert slugs(rows, "a") == EQUIVALENT_PROOF_ARTICLES
    assert slugs(rows, "c") == {"any-appropriate-proof"}


# ---------------------------------------------------------------------------
# The good-practice chapter
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", sorted(PRACTICES))
def test_practice_priority_difficulty_owners_indicators(store: ox.Store, number: str) -> None:
    slug, priority, difficulty, owners, indicators = PRACTICES[number]
    iri = f"<{BP}{slug}>"
    rows = select(
        store,
        f"SELECT ?n ?p ?d ?date ?scheme WHERE {{ {iri} a anr:GoodPractice ; skos:notation ?n ; anr:priority ?p ;"
        " anr:difficulty ?d ; dcterms:issued ?date ; skos:inScheme ?scheme }",
    )
    assert [(r["n"], r["p"].rsplit("/", 1)[1], r["d"].rsplit("/", 1)[1], r["date"]) for r in rows] == [
        (number, priority, difficulty, PRACTICES_DATE)
    ]
    assert rows[0]["scheme"] == BP + "achat-durable"
    assert slugs(select(store, f"SELECT ?o WHERE {{ {iri} anr:practiceOwner ?o }}"), "o") == owners
    assert len(select(store, f"SELECT ?i WHERE {{ {iri} anr:hasIndicator ?i . ?i a anr:Indicator }}")) == indicators


def test_chapter_has_exactly_the_five_practices(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?p WHERE {{ ?p a anr:GoodPractice ; skos:inScheme <{BP}achat-durable> }}")
    assert slugs(rows, "p") == {v[0] for v in PRACTICES.values()}


def test_warranty_lengths(store: ox.Store) -> None:
    rows = select(
        store,
        f"SELECT ?min ?rec WHERE {{ <{BP}prefer-durable-repairable-purchases> anr:hasAdvice ?a ."
        " ?a anr:minimumWarrantyYears ?min ; anr:recommendedWarrantyYears ?rec }",
    )
    assert [(int(r["min"]), int(r["rec"])) for r in rows] == [(WARRANTY_MINIMUM_YEARS, WARRANTY_RECOMMENDED_YEARS)]


def test_modular_hardware_advice_names_its_equipment(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?c WHERE {{ <{BP}modular-equipment> a anr:Advice ; anr:exampleCategory ?c }}")
    assert slugs(rows, "c") == MODULAR_CATEGORIES


@pytest.mark.parametrize(("advice", "preferred", "less"), PREFERENCES)
def test_preferences(store: ox.Store, advice: str, preferred: str, less: str) -> None:
    rows = select(store, f"SELECT ?p ?l WHERE {{ <{BP}{advice}> anr:preferredOption ?p ; anr:lessPreferredOption ?l }}")
    assert [(r["p"].rsplit("/", 1)[1], r["l"].rsplit("/", 1)[1]) for r in rows] == [(preferred, less)]


def test_refurbished_before_recycled_is_advice_of_two_practices(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?p WHERE {{ ?p anr:hasAdvice <{BP}refurbished-before-recycled-content> }}")
    assert slugs(rows, "p") == {"prefer-reused-or-recycled-equipment", "anticipate-refurbished-sourcing"}


def test_traceability_covers_second_hand_equipment(store: ox.Store) -> None:
    rows = select(
        store,
        f"SELECT ?c WHERE {{ <{BP}ensure-supply-chain-traceability> anr:hasAdvice ?a ."
        " ?a anr:appliesToEquipmentCondition ?c }",
    )
    assert slugs(rows, "c") == TRACEABILITY_CONDITIONS


def test_sourcing_practice_legal_basis(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?l WHERE {{ <{BP}anticipate-refurbished-sourcing> anr:legalBasis ?l }}")
    assert slugs(rows, "l") == SOURCING_LEGAL_BASIS


def test_labels_that_prove_ecolabelled_equipment(store: ox.Store) -> None:
    rows = select(store, "SELECT ?l WHERE { ?l anr:attests crit:ecolabelled-equipment }")
    assert slugs(rows, "l") >= ECOLABELLED_EQUIPMENT_PROOF
    assert not {"epeat", "80-plus", "numerique-responsable-label"} & slugs(rows, "l")


def test_label_mission_contact(store: ox.Store) -> None:
    rows = select(store, "SELECT ?e WHERE { lbl:label-mission schema:email ?e }")
    assert [r["e"] for r in rows] == [LABEL_MISSION_EMAIL]


def test_legal_text_types_are_those_the_sources_name(store: ox.Store) -> None:
    rows = select(store, "SELECT ?t WHERE { voc:legal-text-types skos:hasTopConcept ?t }")
    assert slugs(rows, "t") == LEGAL_TEXT_TYPES
    assert not select(store, "SELECT ?p WHERE { voc:ordinance ?p ?o }")


@pytest.mark.parametrize("kind", sorted(TYPES_NOT_ON_LEGAL_PAGE))
def test_legal_text_types_cite_a_page_that_names_them(store: ox.Store, kind: str) -> None:
    sources = {r["s"] for r in select(store, f"SELECT ?s WHERE {{ voc:{kind} dcterms:source ?s }}")}
    assert sources and LEGAL_PAGE not in sources


def test_named_query_lists_the_five_practices(store: ox.Store, settings: Settings) -> None:
    spec = load_catalog(settings.queries_dir).get("good-practices")
    assert spec is not None
    for example in spec.examples:
        result = store.query(spec.text, substitutions=substitutions(bind(spec, example)))  # type: ignore[arg-type]
        assert isinstance(result, ox.QuerySolutions)
        rows = [{v.value: row[v.value].value for v in result.variables if row[v.value] is not None} for row in result]
        assert [r["number"] for r in rows] == sorted(PRACTICES)
        for row in rows:
            assert int(row["indicators"]) == PRACTICES[row["number"]][4]
