"""Second reading of the legal part: each fact below was typed by hand from the guide's pages
(or the law as the guide cites it) and fails on the data as the legal audit left it.

Sources: demarche-numerique-responsable/fin-de-vie/ and que-prevoit-la-loi/, the practical
sheets' #reglementation sections (décret n° 2020-1455), and guide-achat-indice-reparabilite/
(comprendre-…, …-en-pratique, …-et-achats-publics).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from tests.helpers import select

BASE = "https://w3id.org/achats-numeriques-responsables/id/"
CAT = BASE + "category/"
FIG = BASE + "figure/"
ROUTE = BASE + "route/"

# Décret n° 2020-1455 is "du 27 novembre 2020" (the date it bears, which the guide calls its
# publication date); the Journal officiel published it on 29 November 2020.
DECREE_2020_1455_SIGNED = "2020-11-27"
DECREE_2020_1455_PUBLISHED = "2020-11-29"

# The category orders of the index score every appliance of their category, connected or not.
APPLIANCE_ORDERS = (
    "arrete-2020-12-29-indice-reparabilite-lave-linge-frontal",
    "arrete-2022-04-22-indice-reparabilite-aspirateurs-filaires",
    "arrete-2022-04-22-indice-reparabilite-aspirateurs-non-filaires",
    "arrete-2022-04-22-indice-reparabilite-aspirateurs-robots",
    "arrete-2022-04-22-indice-reparabilite-lave-linge-dessus",
    "arrete-2022-04-22-indice-reparabilite-lave-vaisselle",
)

# The AGEC display duty bears on the index's categories: laptops, smartphones, televisions
# (digital ones), not on connected appliances as such.
AGEC_DISPLAY_CATEGORIES = {"laptop", "smartphone", "television"}

# REEN article 15: buyers not subject are public establishments and the other buyers of the CCP.
REEN_DUTIES = ("reen-repairability-index-public-purchasing", "reen-durability-index-public-purchasing")

# The REEN Act is loi n° 2021-1485 du 15 novembre 2021.
REEN_NUMBER = "2021-1485"


def words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.replace("’", "'").lower())


def test_decree_2020_1455_signed_27_published_29_november(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d ?p WHERE { law:decret-2020-1455 eli:date_document ?d ; eli:date_publication ?p }")
    assert [(r["d"], r["p"]) for r in rows] == [(DECREE_2020_1455_SIGNED, DECREE_2020_1455_PUBLISHED)]
    titles = select(store, "SELECT ?t WHERE { law:decret-2020-1455 eli:title ?t FILTER(LANG(?t) = 'fr') }")
    assert titles and "du 27 novembre 2020" in titles[0]["t"]


@pytest.mark.parametrize("order", APPLIANCE_ORDERS)
def test_appliance_orders_not_about_connected_appliances_only(store: ox.Store, order: str) -> None:
    assert not select(
        store, f"SELECT ?x WHERE {{ law:{order} eli:is_about <{CAT}connected-household-appliance> BIND(1 AS ?x) }}"
    )


def test_agec_display_duty_categories(store: ox.Store) -> None:
    rows = select(store, "SELECT ?c WHERE { obl:agec-repairability-index anr:appliesToCategory ?c }")
    assert {r["c"].rsplit("/", 1)[1] for r in rows} == AGEC_DISPLAY_CATEGORIES


@pytest.mark.parametrize("duty", REEN_DUTIES)
def test_reen_duties_exclude_other_ccp_buyers(store: ox.Store, duty: str) -> None:
    rows = {r["l"]: r["b"] for r in select(store, f"SELECT ?b (LANG(?b) AS ?l) WHERE {{ obl:{duty} anr:bearsOn ?b }}")}
    assert "établissements publics" in rows["fr"] and "code de la commande publique" in rows["fr"]
    assert "Public Procurement Code" in rows["en"]
    assert "public establishments" not in rows["en"]


def test_reen_act_number(store: ox.Store) -> None:
    rows = select(store, "SELECT ?n WHERE { law:loi-2021-1485 eli:id_local ?n }")
    assert [r["n"] for r in rows] == [REEN_NUMBER]


def test_cgdd_described_only_as_the_guide_does(store: ox.Store) -> None:
    # The guide says the CGDD led the design work; it names no ministry.
    rows = select(store, "SELECT ?d WHERE { agent:cgdd dcterms:description ?d }")
    assert rows
    for r in rows:
        assert "ministère" not in r["d"] and "ministry" not in r["d"]


def test_award_criterion_reasonable_number_of_steps(store: ox.Store) -> None:
    rows = {
        r["l"]: r["d"]
        for r in select(
            store, "SELECT ?d (LANG(?d) AS ?l) WHERE { crit:repairability-award-criterion dcterms:description ?d }"
        )
    }
    assert "raisonnable" in rows["fr"] and "peu d'étapes" not in rows["fr"]
    assert "reasonable" in rows["en"] and "few steps" not in rows["en"]


def test_criminal_liability_only_without_due_diligence(store: ox.Store) -> None:
    rows = {
        r["l"]: r["d"]
        for r in select(
            store, f"SELECT ?d (LANG(?d) AS ?l) WHERE {{ <{FIG}european-weee-diverted-share> dcterms:description ?d }}"
        )
    }
    assert "diligence" in rows["fr"] and "diligently" in rows["en"]


def test_professional_weee_route_names_both_ways(store: ox.Store) -> None:
    rows = {
        r["l"]: r["d"]
        for r in select(
            store,
            f"SELECT ?d (LANG(?d) AS ?l) WHERE {{ <{ROUTE}weee-collection-and-recycling> dcterms:description ?d }}",
        )
    }
    assert "éco-organisme agréé ou les reprend lui-même" in rows["fr"]
    assert "own take-back" in rows["en"]


def test_share_comment_does_not_repeat_the_decree_title(store: ox.Store) -> None:
    title = select(store, "SELECT ?t WHERE { law:decret-2021-254 eli:title ?t FILTER(LANG(?t) = 'fr') }")[0]["t"]
    tw = words(title)
    grams = {tuple(tw[i : i + 12]) for i in range(len(tw) - 11)}
    rows = select(store, "SELECT ?c WHERE { anr:minimumShareReusedOrRecycledPercent rdfs:comment ?c }")
    assert rows
    for r in rows:
        cw = words(r["c"])
        assert not any(tuple(cw[i : i + 12]) in grams for i in range(len(cw) - 11)), r["c"]


def test_ess_act_names_adapted_firms(store: ox.Store) -> None:
    # The page lists "entreprise adaptée" among the forms; in English an adapted firm (the
    # glossary's term), not a sheltered workshop or company (that is an ESAT).
    rows = select(store, "SELECT ?d WHERE { law:loi-2014-856 dcterms:description ?d FILTER(LANG(?d) = 'en') }")
    assert rows and "adapted firms" in rows[0]["d"] and "sheltered" not in rows[0]["d"]
