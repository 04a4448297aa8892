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
    "bureautique": {
        "reglementation",
        "echanges",
        "exemples",
        "exemple-annexe-performance-environnementale",
        "exemple-annexe-memoire-social",
    },
    "impression": {
        "reglementation",
        "echanges",
        "exemples",
        "exemple-annexe-performance-environnementale",
        "exemple-annexe-memoire-social",
    },
    "reseaux": {
        "reglementation",
        "echanges",
        "exemples",
        "exemple-annexe-performance-environnementale",
        "exemple-annexe-performance-sociale",
        "exemple-annexe-memoire-social",
    },
    "hebergement": {
        "reglementation",
        "echanges",
        "exemples",
        "exemple-annexe-performance-environnementale",
        "exemple-annexe-memoire-social",
        "exemple-annexe-performance-environnementale-serveurs",
    },
    "prestations-intellectuelles": {"reglementation", "echanges", "exemples", "exemple-annexe-questionnaire"},
    "logiciels": set(),
}
# Pages of the guide that publish no heading id at all: links to them carry no anchor.
PAGES_WITHOUT_ANCHORS = (
    "glossaire/",
    "equipe-projet/",
    "fiches-pratiques/",
    "demarche-numerique-responsable/alternative-achat/",
    "demarche-numerique-responsable/definition/",
    "demarche-numerique-responsable/analyse-cycle-de-vie/",
)

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
    "duty-of-vigilance-exclusion": {"exclusion-ground"},  # at the application stage (video)
}

# Hosting sheet, CCTP X.3: minimum efficiency (%) by load for each level, per configuration.
# The sheet labels its last row "5" again; it is level 6. Loads: 10, 20, 50, 100 % ("-" = None).
PSU_NON_REDUNDANT: dict[int, tuple[int | None, int, int, int]] = {
    1: (None, 82, 85, 82),
    2: (None, 85, 88, 85),
    3: (None, 87, 90, 87),
    4: (None, 90, 92, 89),
    5: (None, 92, 94, 90),
    6: (90, 94, 96, 94),
}
PSU_REDUNDANT: dict[int, tuple[int | None, int, int, int]] = {  # no level 1 for redundant supplies
    2: (None, 81, 85, 81),
    3: (None, 85, 89, 85),
    4: (None, 88, 92, 88),
    5: (None, 90, 94, 91),
    6: (90, 94, 96, 91),
}
# "These levels correspond to the 80+ certification levels" (note to the buyer).
PSU_80_PLUS = {
    1: "80-plus-standard",
    2: "80-plus-bronze",
    3: "80-plus-silver",
    4: "80-plus-gold",
    5: "80-plus-platinum",
    6: "80-plus-titanium",
}

# Leasing and service-life figures (years).
LEASE_OFFICE_MAX_RENEWAL = 3  # bureautique: leasing relevant only with renewal <= 3 years
PRINTING_OPTIMAL_LIFE = 3  # impression: 3 to 4 years on average, 3 optimal
PRINTING_BOUGHT_MIN_LIFE = 5  # impression: buying implies at least 5 years in service

# The eight core ILO conventions the social traceability clauses list: number -> year.
ILO_CONVENTIONS: dict[int, int] = {87: 1948, 98: 1949, 29: 1930, 105: 1957, 138: 1973, 182: 1999, 100: 1951, 111: 1958}
# 3TG ("blood minerals") and cobalt.
RISK_MINERALS = {"tungsten", "tin", "tantalum", "gold", "cobalt"}

# Bodies the sheets point to: clause or advice -> organisation.
SUPPORTED_BY: dict[str, str] = {
    "id/criterion/social-insertion-clause": "alliance-villes-emploi",  # national head of the facilitators
    "id/criterion/weee-management": "dnid",  # State donation platform
    "id/advice/end-of-life-routes": "dnid",
    "id/advice/accessibility-from-the-start": "fiphfp",  # up to 50 % of accessibility support
}
DONATION_PLATFORM_URL = "https://dons.encheres-domaine.gouv.fr/"

# Glossary: acronym -> (term slug, a figure or fact its definition must state).
GLOSSARY: dict[str, tuple[str, str]] = {
    "EA": ("entreprise-adaptee", "55 %"),
    "ESAT": ("esat", "CAT"),
    "CCAP": ("ccap", "CCP"),
    "CCTP": ("cctp", ""),
    "CCP": ("ccp", ""),
    "ESS": ("ess", "2014-856"),
    "DEEE": ("deee", ""),
    "PUE": ("pue", ""),
}

# Guide home page and project team page.
GUIDE_ISSUED = "2021-04-29"
GUIDE_VERSION = "bêta"
GUIDE_CREATORS = {"dae", "inr", "ministere-transition-ecologique", "dinum", "pole-emploi-dsi", "informatique-cdc"}

# Seed video (episode 6): the State purchasing directorate.
DAE_SINCE = "2009"
DAE_ANNUAL_PURCHASES_EUR = 35_000_000_000
VIDEO_PUBLISHED = "2022-06-16"

# Social traceability clause: article 6 of the CCAGs it details (bureautique: PI and TIC;
# impression: works, supplies and services, PI and TIC).
TRACEABILITY_CCAG_ARTICLES = {"ccag-pi-art-6", "ccag-tic-art-6", "ccag-fcs-art-6", "ccag-travaux-art-6"}
# Sourcing: at least manufacturers and distributors, a 1 to 2 hour meeting; DAE's guide.
SOURCING_FAMILIES = {"office-equipment", "printing", "networks", "hosting", "it-services"}

# Décret n° 2021-254 rows as the office IT and printing sheets print them: CPV codes -> the
# categories the row names (the row reaches at least these, by the CPV rule).
DECREE_ROW_CATEGORIES: dict[str, set[str]] = {
    "30120000": {"photocopier", "copier-parts"},  # photocopiers and offset printing; their parts
    "32250000": {"mobile-phone", "fixed-phone"},  # "mobile telephones, fixed telephones"
}
