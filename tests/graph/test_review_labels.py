"""Second reading of the labels pages and the good-practice chapter: each test states, by hand, a fact
of the guide that the first audit's data got wrong (each fails on the data before this review).

Pages: guide labels/produits/ (#label, #ecolabel, #ecolabels-type-1, #declarations-environnementales,
#tableau-ecolabels), labels/organisation/, and bonnes-pratiques/achat-durable/ with its five practice
pages. The values below are typed from the pages, not read from them.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests.helpers import select, slugs

BP = "https://w3id.org/achats-numeriques-responsables/id/practice/"
RULE = "<https://w3id.org/achats-numeriques-responsables/id/rule/labels-buying-rule>"
PRACTICES_PAGE = "https://ecoresponsable.numerique.gouv.fr/publications/bonnes-pratiques/achat-durable/"
PRACTICE_PAGES = {
    PRACTICES_PAGE + "privilegier-equipements-reemploi/",
    PRACTICES_PAGE + "privilegier-achats-durables-et-reparables/",
    PRACTICES_PAGE + "privilegier-equipements-ecolabellises/",
    PRACTICES_PAGE + "anticiper-sourcing/",
    PRACTICES_PAGE + "sassurer-tracabilite-produits/",
}

# labels/produits #ecolabels-type-1: Energy Star was created in 1992 by the EPA "in collaboration with"
# the Department of Energy.
ENERGY_STAR_CREATORS = {"us-epa"}
ENERGY_STAR_CONTRIBUTORS = {"us-department-of-energy"}

# labels/produits #label: R2111-13 as the guide quotes it: a label may be required in the technical
# specifications, the award criteria or the performance conditions of a contract.
LABEL_PLACES_IN_THE_PROCEDURE = {"technical-specification", "award-criterion", "performance-condition"}

# The index page of the chapter gives no priority, difficulty or owner: the five practice pages do.
SCHEMES_STATED_BY_THE_PRACTICE_PAGES = ["practice-priorities", "practice-difficulties", "organisation-functions"]

# e.5: the legal basis the page gives is article 6 of the CCAG-PI and CCAG-TIC; the duty-of-vigilance act
# is listed under "En savoir plus" only.
TRACEABILITY_LEGAL_BASIS = {"ccag-pi-art-6", "ccag-tic-art-6"}
TRACEABILITY_FURTHER_READING = "loi-2017-399"

# e.2: "Evolutifs / modulaires" is one of the qualities of hardware in general; desktop computers (expansion
# cards) and printers (sorter, duplex unit) are the page's examples ("par exemple", "etc.").
HARDWARE_FAMILIES = {"office-equipment", "printing", "networks", "hosting"}
MODULAR_EXAMPLES = {"desktop-computer", "printer"}

# e.1 and e.4: refurbished equipment is far better than new equipment made with recycled materials; the
# advice weighs second-hand against new.
REFURBISHED_BEFORE_RECYCLED_CONDITIONS = {"second-hand", "new-equipment"}

# e.4: the page's title.
E4_TITLE_FR = (
    "Anticiper le sourcing des fournisseurs d'équipements contenant des matériaux recyclés ou issus du réemploi"
)

# Usual English terms of the field: ISO 14021's "self-declared environmental claims" (type II);
# AFNOR's English name.
TYPE_2_EN = "Type II self-declared environmental claim"
AFNOR_EN = "French Standardization Association"


def texts(store: ox.Store, iri: str, prop: str, lang: str) -> list[str]:
    rows = select(store, f"SELECT ?t WHERE {{ {iri} {prop} ?t FILTER(LANG(?t) = '{lang}') }}")
    return [r["t"] for r in rows]


def test_energy_star_was_created_by_the_epa_with_the_department_of_energy_collaborating(store: ox.Store) -> None:
    creators = select(store, "SELECT ?o WHERE { lbl:energy-star dcterms:creator ?o }")
    contributors = select(store, "SELECT ?o WHERE { lbl:energy-star dcterms:contributor ?o }")
    assert slugs(creators, "o") == ENERGY_STAR_CREATORS
    assert slugs(contributors, "o") == ENERGY_STAR_CONTRIBUTORS


@pytest.mark.parametrize("resource", ["tco-certified-edge", "tco-certified-edge-monitor-recycled-plastic"])
def test_tco_edge_figure_claims_nothing_for_other_categories(store: ox.Store, resource: str) -> None:
    # The guide gives the 85 % for displays and says nothing of the other categories' figures.
    en = " ".join(texts(store, f"lbl:{resource}", "dcterms:description", "en"))
    fr = " ".join(texts(store, f"lbl:{resource}", "dcterms:description", "fr"))
    assert "example for the other categories" not in en
    assert "does not hold for the other categories" not in en
    assert "à titre d'exemple pour les autres catégories" not in fr
    assert "il ne vaut pas pour les autres catégories" not in fr
    assert "displays only" in en


def test_buying_rule_follows_r2111_13_on_where_a_label_may_be_required(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?r WHERE {{ {RULE} anr:usedAs ?r }}")
    assert slugs(rows, "r") == LABEL_PLACES_IN_THE_PROCEDURE
    en = " ".join(texts(store, RULE, "dcterms:description", "en"))
    assert "R2111-13" in en and "R2111-14" in en and "R2111-15" in en


@pytest.mark.parametrize("scheme", SCHEMES_STATED_BY_THE_PRACTICE_PAGES)
def test_practice_vocabularies_cite_the_pages_that_state_them(store: ox.Store, scheme: str) -> None:
    sources = {r["s"] for r in select(store, f"SELECT ?s WHERE {{ voc:{scheme} dcterms:source ?s }}")}
    assert sources == PRACTICE_PAGES


def test_duty_of_vigilance_act_is_further_reading_not_the_legal_basis_of_e5(store: ox.Store) -> None:
    practice = f"<{BP}ensure-supply-chain-traceability>"
    basis = select(store, f"SELECT ?l WHERE {{ {practice} anr:legalBasis ?l }}")
    assert slugs(basis, "l") == TRACEABILITY_LEGAL_BASIS
    related = select(store, f"SELECT ?r WHERE {{ {practice} dcterms:relation ?r }}")
    assert TRACEABILITY_FURTHER_READING in slugs(related, "r")


def test_modular_hardware_advice_holds_for_hardware_in_general(store: ox.Store) -> None:
    advice = f"<{BP}modular-equipment>"
    assert slugs(select(store, f"SELECT ?f WHERE {{ {advice} anr:appliesToFamily ?f }}"), "f") == HARDWARE_FAMILIES
    assert not select(store, f"SELECT ?c WHERE {{ {advice} anr:appliesToCategory ?c }}")
    assert slugs(select(store, f"SELECT ?c WHERE {{ {advice} anr:exampleCategory ?c }}"), "c") == MODULAR_EXAMPLES


def test_refurbished_before_recycled_content_weighs_second_hand_against_new(store: ox.Store) -> None:
    rows = select(
        store, f"SELECT ?c WHERE {{ <{BP}refurbished-before-recycled-content> anr:appliesToEquipmentCondition ?c }}"
    )
    assert slugs(rows, "c") == REFURBISHED_BEFORE_RECYCLED_CONDITIONS


def test_type_2_labels_are_unchecked_by_a_third_party_not_by_anyone(store: ox.Store) -> None:
    # e.3: type II labels are self-declared "sans vérification par un tiers".
    en = " ".join(texts(store, f"<{BP}type-1-before-type-2>", "dcterms:description", "en"))
    fr = " ".join(texts(store, f"<{BP}type-1-before-type-2>", "dcterms:description", "fr"))
    assert "third party" in en and "no one" not in en
    assert "tiers" in fr and "personne ne" not in fr


def test_sourcing_practice_carries_its_page_title(store: ox.Store) -> None:
    assert texts(store, f"<{BP}anticipate-refurbished-sourcing>", "skos:prefLabel", "fr") == [E4_TITLE_FR]


def test_second_hand_has_only_synonyms_as_other_names(store: ox.Store) -> None:
    # Refurbished equipment is one kind of second-hand equipment (e.1 tells used and refurbished apart).
    names = {r["n"] for r in select(store, "SELECT ?n WHERE { voc:second-hand skos:altLabel ?n }")}
    assert not names & {"refurbished", "reconditionné"}


def test_usual_english_names(store: ox.Store) -> None:
    assert texts(store, "voc:type-2-self-declaration", "skos:prefLabel", "en") == [TYPE_2_EN]
    assert texts(store, "agent:afnor", "skos:prefLabel", "en") == [AFNOR_EN]


def test_nr_purchasing_principle_promotes_responsible_purchasing_in_the_value_chain(store: ox.Store) -> None:
    # labels/organisation, principle 3.1: "Promotion des achats responsables dans la chaîne de valeur".
    en = " ".join(texts(store, "lbl:nr-achats-responsables", "dcterms:description", "en"))
    assert "promotion of responsible purchasing" in en


def test_e5_first_indicator_is_about_the_contractors_labour_obligations(store: ox.Store) -> None:
    # e.5: "Obligations précisées dans les cahiers de clauses administratives ..." - the obligations the page
    # speaks of are those on labour protection and working conditions (CCAG article 6).
    en = texts(store, f"<{BP}traceability-duties-in-ccap>", "skos:prefLabel", "en")
    assert en and "labour" in en[0] and "traceability" not in en[0].lower()
