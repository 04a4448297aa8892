"""Facts transcribed by hand from the labels pages and the good-practice chapter.

The tests of test_audit_labels.py compare the graph with these values. Pages:
- guide labels/produits/ (sections #norme, #certification, #label, #ecolabel, #validite-label,
  #ecolabels-type-1, #declarations-environnementales, #autres-labels, #tableau-ecolabels);
- guide labels/organisation/ and labels/interministeriel/ (no section ids);
- bonnes-pratiques/achat-durable/ and its five practice pages (no section ids).
"""

from __future__ import annotations

GUIDE = "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/"
PRACTICES_PAGE = "https://ecoresponsable.numerique.gouv.fr/publications/bonnes-pratiques/achat-durable/"

# Section ids of the published pages (the `id` of their headings); None: the page has none.
PAGE_SECTIONS: dict[str, set[str]] = {
    GUIDE + "labels/produits/": {
        "norme",
        "certification",
        "label",
        "ecolabel",
        "validite-label",
        "ecolabels-type-1",
        "declarations-environnementales",
        "autres-labels",
        "tableau-ecolabels",
    },
    GUIDE + "labels/organisation/": set(),
    GUIDE + "labels/interministeriel/": set(),
    GUIDE + "labels/": set(),
    PRACTICES_PAGE: set(),
    PRACTICES_PAGE + "privilegier-equipements-reemploi/": set(),
    PRACTICES_PAGE + "privilegier-achats-durables-et-reparables/": set(),
    PRACTICES_PAGE + "privilegier-equipements-ecolabellises/": set(),
    PRACTICES_PAGE + "anticiper-sourcing/": set(),
    PRACTICES_PAGE + "sassurer-tracabilite-produits/": set(),
}

# Kind of each label as the labels pages class it (voc: concept slugs).
# Energy Star sits under "type I ecolabels" as a programme that "can be assimilated" to one;
# TCO Certified is a type I certification whose social criteria (SA 8000 of the plants) are part of it.
LABEL_KINDS: dict[str, set[str]] = {
    "eu-ecolabel": {"type-1-ecolabel"},
    "blue-angel": {"type-1-ecolabel"},
    "tco-certified": {"type-1-ecolabel"},
    "tco-certified-edge": {"type-1-ecolabel"},
    "energy-star": {"type-1-ecolabel", "energy-efficiency-programme"},
    "epeat": {"type-2-self-declaration"},
    "epeat-bronze": {"type-2-self-declaration"},
    "epeat-silver": {"type-2-self-declaration"},
    "epeat-gold": {"type-2-self-declaration"},
    "80-plus": {"energy-efficiency-programme"},
    "fsc": {"type-1-ecolabel"},
    "nordic-swan": {"type-1-ecolabel"},
    "nf-environnement-nf335": {"type-1-ecolabel"},
    "iso-14001": {"management-system-certification"},
    "sa-8000": {"social-certification"},
    "numerique-responsable-label": {"organisation-label"},
}

# Year of creation.
LABEL_YEARS: dict[str, str] = {
    "eu-ecolabel": "1992",
    "blue-angel": "1978",
    "tco-certified": "1990",
    "energy-star": "1992",
    "epeat": "1992",
    "80-plus": "2004",
    "nordic-swan": "1989",
    "numerique-responsable-label": "2019",
}

# Validity or renewal period, in years.
LABEL_VALIDITY_YEARS: dict[str, int] = {"nordic-swan": 3, "numerique-responsable-label": 3}

# Who creates (dcterms:creator) and who awards or runs (anr:issuer) each label.
LABEL_CREATORS: dict[str, set[str]] = {
    "eu-ecolabel": {"european-commission"},
    "blue-angel": {"german-federal-government"},
    "energy-star": {"us-epa"},  # created by the EPA; the Department of Energy collaborated (contributor)
    "80-plus": {"ecos-consulting"},
    "nordic-swan": {"nordic-council"},
    "numerique-responsable-label": {"inr"},
}
LABEL_ISSUERS: dict[str, set[str]] = {
    "eu-ecolabel": {"afnor"},
    "nf-environnement-nf335": {"afnor"},
    "tco-certified": {"tco-development"},
    "epeat": {"global-electronics-council"},
    "fsc": {"fsc-international"},
    "iso-14001": {"afnor", "bureau-veritas"},
    "numerique-responsable-label": {"agence-lucie"},
    "label-mission": {"dinum"},
}

# Nordic Swan: the countries of the scheme (Norway and Sweden 1989, Finland 1990, Iceland 1991, Denmark 1997).
NORDIC_SWAN_COUNTRIES = {"NOR", "SWE", "FIN", "ISL", "DNK"}

# Figures a label sets for one category only: (label, category, minimum recycled content %).
CATEGORY_FIGURES: list[tuple[str, str, int]] = [("tco-certified-edge", "monitor", 85)]
# Figures that hold for the whole label level: FSC Recycled, at least 85 % recycled wood or fibre.
LEVEL_RECYCLED_CONTENT: dict[str, int] = {"fsc-recycled": 85}

# The interministerial LABEL mission's grid: six themes.
LABEL_MISSION_THEMES = 6

# The buying rule of labels/produits (#tableau-ecolabels, with the articles of #label and #ecolabel):
# require type I ecolabels or equivalent as sourcing allows; failing a sufficient offer, the page's
# other (non type I) environmental labels; proof by the candidate or the contractor.
BUYING_RULE_PREFERRED_KIND = "type-1-ecolabel"
BUYING_RULE_FALLBACK_LABELS = {"epeat", "80-plus"}
BUYING_RULE_ARTICLES = {
    "ccp-r2111-12",
    "ccp-r2111-13",
    "ccp-r2111-14",
    "ccp-r2111-15",
    "ccp-r2111-16",
    "ccp-r2111-17",
}
# The page also cites R2311-8 and R2311-9, but they belong to defence or security contracts (book III of
# the code's second part): they are kept on the obligations, with a caveat, not on the buying rule.
# Articles R2111-12 to R2111-17 of the Code de la commande publique (eli:id_local).
CCP_LABEL_ARTICLES = {f"ccp-r2111-{n}": f"R2111-{n}" for n in range(12, 18)}
PROOF_PARTIES = {"candidate", "contractor"}
# The certificate: from the independent awarding body, in force, in French, naming the model supplied.
CERTIFICATE_CONDITIONS = {
    "issued-by-independent-third-party",
    "certificate-in-force",
    "written-in-french",
    "names-supplied-model",
}
# Equivalent approach: proof under R2111-11, R2111-16, R2111-17 and R2143-5 (the page's R2311-9 is a
# defence-or-security article, see above).
EQUIVALENT_PROOF_ARTICLES = {"ccp-r2111-11", "ccp-r2111-16", "ccp-r2111-17", "ccp-r2143-5"}

# The good-practice chapter "e." (published 2023-06-01): number -> (slug, priority, difficulty, owners, indicators).
PRACTICES_DATE = "2023-06-01"
PRACTICES: dict[str, tuple[str, str, str, set[str], int]] = {
    "e.1": (
        "prefer-reused-or-recycled-equipment",
        "priority-high",
        "difficulty-medium",
        {"digital-directorate", "purchasing-directorate"},
        4,
    ),
    "e.2": (
        "prefer-durable-repairable-purchases",
        "priority-high",
        "difficulty-medium",
        {"digital-directorate", "purchasing-directorate"},
        2,
    ),
    "e.3": (
        "prefer-ecolabelled-equipment",
        "priority-high",
        "difficulty-easy",
        {"digital-directorate", "purchasing-directorate"},
        2,
    ),
    "e.4": ("anticipate-refurbished-sourcing", "priority-high", "difficulty-medium", {"purchasing-directorate"}, 1),
    "e.5": ("ensure-supply-chain-traceability", "priority-high", "difficulty-hard", {"purchasing-directorate"}, 2),
}
# e.2: warranties of at least 5 years, ideally 7, for all hardware.
WARRANTY_MINIMUM_YEARS, WARRANTY_RECOMMENDED_YEARS = 5, 7
# e.2: modular hardware, for hardware in general; the guide's examples name desktop computers and printers.
MODULAR_CATEGORIES = {"desktop-computer", "printer"}
# Preferences: (advice, preferred, less preferred). e.1/e.4: refurbished before new with recycled content;
# e.3: type I labels before type II.
PREFERENCES: list[tuple[str, str, str]] = [
    ("refurbished-before-recycled-content", "reconditioned-offer", "recycled-plastic-content"),
    ("type-1-before-type-2", "type-1-ecolabel", "type-2-self-declaration"),
]
# e.5: traceability applies to new and second-hand equipment.
TRACEABILITY_CONDITIONS = {"new-equipment", "second-hand"}
# e.4: the legal basis (AGEC art. 58, decree of 9 March 2021).
SOURCING_LEGAL_BASIS = {"loi-2020-105-art-58", "decret-2021-254"}

# Product labels of the type I section that serve as proof of the "ecolabelled equipment" criterion
# (FSC, type I too, is about paper and wood).
ECOLABELLED_EQUIPMENT_PROOF = {
    "eu-ecolabel",
    "blue-angel",
    "nordic-swan",
    "nf-environnement-nf335",
    "tco-certified",
    "energy-star",
}
# Contact of the interministerial LABEL mission.
LABEL_MISSION_EMAIL = "label.dinum@modernisation.gouv.fr"

# Types of legal text the sources name (no source names an ordinance); and the page each type that
# the legal page does not mention is sourced from instead.
LEGAL_TEXT_TYPES = {
    "law",
    "decree",
    "order",
    "circular",
    "code",
    "eu-regulation",
    "eu-directive",
    "international-convention",
}  # ILO conventions, named by the sheets' social clauses
LEGAL_PAGE = GUIDE + "demarche-numerique-responsable/que-prevoit-la-loi/"
TYPES_NOT_ON_LEGAL_PAGE = {"code", "eu-regulation", "eu-directive", "international-convention"}
