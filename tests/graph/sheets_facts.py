"""Facts of the practical sheets, the glossary, the introduction and the seeds, transcribed by hand.

Sources (guide pages under .../guide-pratique-achats-numeriques-responsables/):
- fiches-pratiques/{bureautique,impression,reseaux,hebergement,prestations-intellectuelles}/;
- fiches-pratiques/hebergement/#exemples: the power-supply efficiency table (CCTP X.3);
- demarche-numerique-responsable/alternative-achat/, glossaire/, index (home page), equipe-projet/;
- the page of episode 6 of the video series "Vers un numérique écoresponsable" (DAE).
"""

from __future__ import annotations

# Section ids (h2 id="...") each sheet publishes; a source link into a sheet uses one of them.
SHEET_ANCHORS: dict[str, set[str]] = {
    "bureautique": {"reglementation", "echanges", "exemples", "exemple-annexe-performance-environnementale",
                    "exemple-annexe-memoire-social"},
    "impression": {"reglementation", "echanges", "exemples", "exemple-annexe-performance-environnementale",
                   "exemple-annexe-memoire-social"},
    "reseaux": {"reglementation", "echanges", "exemples", "exemple-annexe-performance-environnementale",
                "exemple-annexe-performance-sociale", "exemple-annexe-memoire-social"},
    "hebergement": {"reglementation", "echanges", "exemples", "exemple-annexe-performance-environnementale",
                    "exemple-annexe-memoire-social", "exemple-annexe-performance-environnementale-serveurs"},
    "prestations-intellectuelles": {"reglementation", "echanges", "exemples", "exemple-annexe-questionnaire"},
    "logiciels": set(),
}
# Pages of the guide that publish no heading id at all: links to them carry no anchor.
PAGES_WITHOUT_ANCHORS = ("glossaire/", "equipe-projet/", "fiches-pratiques/",
                         "demarche-numerique-responsable/alternative-achat/",
                         "demarche-numerique-responsable/definition/",
                         "demarche-numerique-responsable/analyse-cycle-de-vie/")

# Décret n° 2021-254 row 2 as the sheets reproduce it: CPV 30120000-6 is "photocopiers and offset
# printing equipment", and the row names no other printing hardware.
PHOTOCOPIER_CPV = "30120000"
PHOTOCOPIER_CATEGORY = "photocopier"

# Award criteria the sheets weight "10 % minimum" in their consultation rules (RC).
MINIMUM_WEIGHTING: dict[str, float] = {
    "office-equipment-award-environmental-performance": 10.0,
    "printing-award-environmental-performance": 10.0,
    "networks-award-environmental-performance": 10.0,
    "networks-award-social-performance": 10.0,
    "hosting-award-environmental-performance": 10.0,
    "hosting-award-social-performance": 10.0,
    "it-services-award-environmental-performance": 10.0,
    "it-services-award-social-performance": 10.0,
    "social-insertion-award-criterion": 10.0,  # DAE, video episode 6
}

# School drop-out training clause: (amount above, amount up to, hours, months), € excl. VAT.
DROPOUT_BANDS: list[tuple[float | None, float | None, int, float]] = [
    (None, 100_000, 150, 1),
    (100_000, 200_000, 300, 2),
    (200_000, 400_000, 450, 3),
    (400_000, None, 900, 6),
]

# Roles of the clauses whose role the audit corrected.
ROLES: dict[str, set[str]] = {
    "inclusive-organisations-collaboration": {"reserved-contract"},  # reserved contracts or lots (P2I 3.1.3)
    "duty-of-vigilance-exclusion": {"exclusion-ground"},             # at the application stage (video)
}
