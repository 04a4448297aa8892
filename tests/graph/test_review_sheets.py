"""Second reading of the practical sheets' part of the graph.

Each test states, by hand, a fact of the page a resource cites (the page and section are named in
the comment) and fails on the data as the first audit left it.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.namespaces import BASE_IRI, GUIDE
from tests.helpers import select

TERM, AGENT, ADVICE, LAW = (
    BASE_IRI + "id/term/",
    BASE_IRI + "id/organisation/",
    BASE_IRI + "id/advice/",
    BASE_IRI + "id/legal/",
)

# Episode 6 (seed 000): the DAE "defines, steers and carries out the State's purchasing policy since
# 2009". That is when the role began; the video gives no founding date for the directorate.
DAE_POLICY_SINCE = "2009"

# glossaire/: "GPEC : gestion prévisionnelle de l'emploi et des compétences" (singular "emploi");
# "ESN : Entreprise de Services du Numérique" (the acronym only, no definition); the RGAA is the
# framework public sites must comply with, not another name of digital accessibility.
GPEC_FR = "Gestion prévisionnelle de l'emploi et des compétences"
GLOSSARY_ACRONYM_ONLY = ("esn", "gpec")

# index (home page), "Informations": "Informatique CDC, filiale de la Caisse des Dépôts"; the
# introduction, which the resource cited alone, does not call it a subsidiary.
HOME_PAGE = GUIDE

# fiches-pratiques/prestations-intellectuelles/#exemples: the FIPHFP can "financer l'accompagnement
# à la mise en accessibilité [...] (à hauteur de 50 %)": 50 % of the support, not of the works.
FIPHFP_SHARE_OF = {"fr": "50 % l'accompagnement", "en": "50 % of the support"}

# demarche-numerique-responsable/alternative-achat/: buying refurbished is "très adaptée aux petites
# structures" (well suited, not said to be common) and "reste encore marginale au sein de grandes
# entreprises ou encore des achats publics".
REFURBISHED_SMALL = {"fr": "Très adapté aux petites structures", "en": "Well suited to small organisations"}

# fiches-pratiques/*/#exemples: the sheets list the eight core ILO conventions by number, title and
# year only; what a convention contains beyond its title is not on the page.
ILO = ("c087", "c098", "c029", "c105", "c138", "c182", "c100", "c111")
NOT_ON_THE_PAGE = (
    "without prior authorisation",
    "compulsory schooling",
    "anti-union",
    "threat of penalty",
    "sans autorisation préalable",
    "scolarité obligatoire",
    "antisyndicale",
)


def test_dae_has_no_founding_date_from_the_video(store: ox.Store) -> None:
    assert not select(store, "SELECT ?y WHERE { agent:dae schema:foundingDate ?y }")
    rows = select(
        store, "SELECT ?d WHERE { ?v a schema:VideoObject ; schema:about agent:dae ; dcterms:description ?d }"
    )
    assert {r["d"] for r in rows if DAE_POLICY_SINCE in r["d"]}, "the video's description keeps the year"


def test_gpec_name_as_the_glossary_spells_it(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?l WHERE {{ <{TERM}gpec> skos:prefLabel ?l FILTER(lang(?l) = 'fr') }}")
    assert [r["l"] for r in rows] == [GPEC_FR]


def test_acronym_only_glossary_entries_claim_nothing_more(store: ox.Store) -> None:
    for slug in GLOSSARY_ACRONYM_ONLY:
        rows = select(store, f"SELECT ?d WHERE {{ <{TERM}{slug}> skos:definition ?d }}")
        assert len(rows) == 2
        for text in (r["d"] for r in rows):
            assert "sourcing" not in text and "principal fournisseur" not in text and "main supplier" not in text


def test_rgaa_is_not_a_name_of_digital_accessibility(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?a WHERE {{ <{TERM}accessibilite-numerique> skos:altLabel ?a }}")
    assert "RGAA" not in {r["a"] for r in rows}


def test_informatique_cdc_subsidiary_cites_the_home_page(store: ox.Store) -> None:
    rows = select(store, f"SELECT ?s WHERE {{ <{AGENT}informatique-cdc> dcterms:source ?s }}")
    assert HOME_PAGE in {r["s"] for r in rows}


def test_fiphfp_funds_half_of_the_support(store: ox.Store) -> None:
    for iri in (AGENT + "fiphfp", ADVICE + "accessibility-from-the-start"):
        rows = select(store, f"SELECT ?d (lang(?d) AS ?l) WHERE {{ <{iri}> dcterms:description ?d }}")
        assert {r["l"] for r in rows} == {"fr", "en"}
        for r in rows:
            assert FIPHFP_SHARE_OF[r["l"]] in r["d"], iri
            assert "jusqu'à" not in r["d"] and "up to" not in r["d"], iri


def test_refurbished_is_well_suited_to_small_organisations(store: ox.Store) -> None:
    iri = ADVICE + "refurbished-rather-than-new"
    rows = select(store, f"SELECT ?d (lang(?d) AS ?l) WHERE {{ <{iri}> dcterms:description ?d }}")
    assert {r["l"] for r in rows} == {"fr", "en"}
    for r in rows:
        assert REFURBISHED_SMALL[r["l"]] in r["d"]
        assert "Courant" not in r["d"] and "Common" not in r["d"]


def test_ilo_descriptions_say_no_more_than_the_titles(store: ox.Store) -> None:
    for number in ILO:
        rows = select(store, f"SELECT ?d WHERE {{ <{LAW}ilo-{number}> dcterms:description ?d }}")
        assert len(rows) == 2, number
        for text in (r["d"] for r in rows):
            assert not any(phrase in text for phrase in NOT_ON_THE_PAGE), (number, text)
            assert "huit conventions fondamentales" in text or "eight core ILO conventions" in text


# fiches-pratiques/reseaux/#echanges and hebergement/#echanges, "Limiter l'obsolescence": three
# forms, « culturelle » (fashion, wish for change, cult of the new: leasing), logicielle (operating
# system, eco-design of applications and updates: devices must take new OS and software versions
# without being replaced), matérielle (fought by extending service life).
OBSOLESCENCE = {
    "cultural-obsolescence": ("Obsolescence culturelle", ADVICE + "leasing-with-extended-life"),
    "software-obsolescence": ("Obsolescence logicielle", BASE_IRI + "id/criterion/os-software-upgradability"),
    "hardware-obsolescence": ("Obsolescence matérielle", None),
}


def test_obsolescence_typology_of_the_sheets(store: ox.Store) -> None:
    voc = BASE_IRI + "id/vocab/"
    rows = select(store, f"SELECT ?t WHERE {{ ?t a anr:ObsolescenceType ; skos:inScheme <{voc}obsolescence-types> }}")
    assert {r["t"] for r in rows} == {voc + slug for slug in OBSOLESCENCE}
    for slug, (name, lever) in OBSOLESCENCE.items():
        rows = select(store, f"SELECT ?l WHERE {{ <{voc}{slug}> skos:prefLabel ?l FILTER(lang(?l) = 'fr') }}")
        assert [r["l"] for r in rows] == [name]
        rows = select(store, f"SELECT ?x WHERE {{ <{voc}{slug}> anr:addressedBy ?x }}")
        assert {r["x"] for r in rows} == ({lever} if lever else set())
        rows = select(store, f"SELECT ?s WHERE {{ <{voc}{slug}> dcterms:source ?s }}")
        assert {r["s"] for r in rows} == {
            GUIDE + "fiches-pratiques/reseaux/#echanges",
            GUIDE + "fiches-pratiques/hebergement/#echanges",
        }


# fiches-pratiques/bureautique/#exemples and demarche-numerique-responsable/definition/: cobalt,
# half of whose world output comes from the DRC, mined by children (over 40,000, Amnesty 2016).
# Neither page calls it a battery mineral.
def test_cobalt_is_not_called_a_battery_mineral(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d WHERE { voc:cobalt skos:definition ?d }")
    assert len(rows) == 2
    for text in (r["d"] for r in rows):
        assert "batter" not in text.lower() and "40" in text


# fiches-pratiques/*/#reglementation, decree 2021-254 table: the shares are of products "issus du
# réemploi ou de la réutilisation ou intégrant des matières recyclées", not of reused products only.
def test_dataset_states_the_decree_shares_in_full(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d (lang(?d) AS ?l) WHERE { ?ds a dcat:Dataset ; dcterms:description ?d }")
    text = {r["l"]: r["d"] for r in rows}
    assert "matières recyclées" in text["fr"]
    assert "recycled material" in text["en"]
