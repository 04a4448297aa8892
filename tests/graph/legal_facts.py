"""Facts transcribed by hand from the legal page, the end-of-life page and the repairability guide.

The tests of test_audit_legal.py compare the graph to these. Sources (public pages):
- guide-pratique-achats-numeriques-responsables/demarche-numerique-responsable/que-prevoit-la-loi/;
- guide-pratique-achats-numeriques-responsables/demarche-numerique-responsable/fin-de-vie/;
- guide-achat-indice-reparabilite/ (index, comprendre-…, …-en-pratique, …-et-achats-publics);
- fiches-pratiques/bureautique/#reglementation and impression/#reglementation (décret n° 2021-254 rows);
- the CPV 2008 regulation (Regulation (EC) No 213/2008) for the CPV tree and published notations.
"""

from __future__ import annotations

# Décret n° 2021-254, row by row: the categories each row bears on (and only those among the
# printing and telephone categories). The photocopier row covers photocopiers and offset printing
# equipment and their parts, not every printer; the telephone row covers mobile and fixed phones.
# The devices each row of the décret n° 2021-254 table names (a row reaches at least these, by the
# CPV rule: a code covers its descendants, so the division-30 row also reaches printers).
DECREE_ROW_CATEGORIES: dict[str, set[str]] = {
    "decret-2021-254-office-computing": {
        "computers",
        "laptop",
        "desktop-computer",
        "computer-terminal",
        "computer-accessories",
    },
    "decret-2021-254-photocopying": {"photocopier", "copier-parts"},
    "decret-2021-254-cartridges": {"cartridge"},
    "decret-2021-254-telephones": {"mobile-phone", "fixed-phone"},
}

# Duties the sources define for smartphones (the repairability index and its public-purchasing
# duty): they bear on smartphones, not on every mobile phone.
SMARTPHONE_DUTIES = (
    "agec-repairability-index",
    "agec-repairability-score-detail",
    "reen-repairability-index-public-purchasing",
)

# The CPV tree, each code to its direct parent (Regulation (EC) No 213/2008).
CPV_PARENT: dict[str, str | None] = {
    "30000000": None,
    "30100000": "30000000",
    "30120000": "30100000",
    "30125000": "30120000",
    "30125100": "30125000",
    "30190000": "30100000",
    "30192000": "30190000",
    "30192100": "30192000",
    "30192110": "30192100",
    "30192113": "30192110",
    "30200000": "30000000",
    "30210000": "30200000",
    "30213000": "30210000",
    "30213100": "30213000",
    "30213300": "30213000",
    "30230000": "30200000",
    "30231000": "30230000",
    "30231100": "30231000",
    "30237000": "30230000",
    "30237200": "30237000",
    "32000000": None,
    "32200000": "32000000",
    "32250000": "32200000",
    # the codes of the purchase categories (scope audit) and their parents
    "30231300": "30231000",
    "30232100": "30230000",  # 30232000 skipped: its notation was not checked
    "30121000": "30120000",
    "30121100": "30121000",
    "30197000": "30190000",
    "30197630": "30197000",  # 30197600 skipped likewise
    "32320000": "32000000",  # 32300000 skipped likewise
    "32324000": "32320000",
    "32400000": "32000000",
    "32420000": "32400000",
    "39000000": None,
    "39700000": "39000000",
    "39710000": "39700000",
    "48000000": None,
    "48800000": "48000000",
    "48820000": "48800000",
}

# Published notations (8 digits, hyphen, check digit) of the codes above.
CPV_NOTATION: dict[str, str] = {
    "30000000": "30000000-9",
    "30100000": "30100000-0",
    "30120000": "30120000-6",
    "30125000": "30125000-1",
    "30125100": "30125100-2",
    "30190000": "30190000-7",
    "30192000": "30192000-1",
    "30192100": "30192100-2",
    "30192110": "30192110-5",
    "30192113": "30192113-6",
    "30200000": "30200000-1",
    "30210000": "30210000-4",
    "30213000": "30213000-5",
    "30213100": "30213100-6",
    "30213300": "30213300-8",
    "30230000": "30230000-0",
    "30231000": "30231000-7",
    "30231100": "30231100-8",
    "30237000": "30237000-9",
    "30237200": "30237200-1",
    "32000000": "32000000-3",
    "32200000": "32200000-5",
    "32250000": "32250000-0",
    "30121000": "30121000-3",
    "30121100": "30121100-4",
    "30197000": "30197000-6",
    "30197630": "30197630-1",
    "32320000": "32320000-2",
    "32324000": "32324000-0",
    "32400000": "32400000-7",
    "32420000": "32420000-3",
    "39000000": "39000000-2",
    "39700000": "39700000-9",
    "39710000": "39710000-2",
    "48000000": "48000000-8",
    "48800000": "48800000-6",
    "48820000": "48820000-2",
}

# Legal relations as ELI defines them.
REPEALS = {("directive-2011-65-ue", "directive-2002-95-ce")}  # RoHS II recast repealed RoHS I
NOT_AMENDS = {("decret-2010-1781", "code-education-art-l313-7")}  # a decree cannot amend an L. article

# Dates the sources give for articles: the date their measures take effect.
ARTICLE_DATES: dict[str, str] = {
    "loi-2020-105-art-13": "2022-01-01",  # data consumption GHG information
    "loi-2020-105-art-16": "2021-01-01",  # repairability index display
    "loi-2020-105-art-19": "2022-01-01",  # spare parts
    "loi-2020-105-art-22": "2022-01-01",  # six more months of legal guarantee
    "loi-2021-1485-art-15": "2023-01-01",  # REEN: index in public purchasing
}

# Obligations and the dates the sources give them.
OBLIGATION_DATES: dict[str, str] = {
    "agec-repairability-index": "2021-01-01",
    "agec-durability-index": "2024-01-01",
    "reen-repairability-index-public-purchasing": "2023-01-01",
    "reen-durability-index-public-purchasing": "2026-01-01",
    "agec-spare-parts-availability": "2022-01-01",
    "agec-conformity-guarantee-extension": "2022-01-01",
    "agec-ghg-data-information": "2022-01-01",
}

# End-of-life page: professional WEEE producers answer for equipment sold after this date; it is
# not the date from which the duty applies.
PROFESSIONAL_WEEE_SOLD_AFTER = "2005-08-13"

# --- repairability guide ------------------------------------------------------------------------

# The index: a score out of 10, five criteria in this order, 9 product categories (January 2023).
REPAIRABILITY_MAX_SCORE = 10
REPAIRABILITY_CATEGORY_COUNT = 9
REPAIRABILITY_CRITERIA = (
    "Documentation",
    "Ease of disassembly, access, tools and fasteners",
    "Spare parts availability",
    "Spare parts price",
    "Category-specific criteria",
)
REPAIRABILITY_DESIGNED_BY = "cgdd"  # work led by the Commissariat général au développement durable
REPAIRABILITY_CHECKED_BY = "dgccrf"
SCORE_DETAIL_DAYS = "15"

# The digital products of the REEN duty: smartphones, laptops, televisions, connected appliances.
REEN_DIGITAL_PRODUCTS = {"smartphone", "laptop", "television", "connected-household-appliance"}

# The category orders of the index (comprendre-indice-reparabilite), by date: 7 of 29 December 2020
# and 6 of 22 April 2022; and the ones that score a digital product, with the category.
CATEGORY_ORDERS = {"2020-12-29": 7, "2022-04-22": 6}
ORDER_ABOUT = {
    "arrete-2020-12-29-indice-reparabilite-ordinateurs-portables": "laptop",
    "arrete-2020-12-29-indice-reparabilite-telephones-mobiles": "smartphone",
    "arrete-2020-12-29-indice-reparabilite-televiseurs": "television",
}

# The three ways a buyer takes the index into account, and their role.
REEN_WAYS = {
    "repairability-in-need-definition": {"technical-specification"},
    "repairability-award-criterion": {"award-criterion"},
    "repairability-proof": {"technical-specification", "award-criterion"},
}

# --- end-of-life page ---------------------------------------------------------------------------

# Figures: slug -> (value, year of data or None).
END_OF_LIFE_FIGURES: dict[str, tuple[float, str | None]] = {
    "weee-managed-per-year": (800000, "2018"),
    "weee-jobs-since-2006": (3000, None),
    "european-weee-diverted-share": (70, None),
    "european-weee-diverted-tonnage": (1.5, None),
    "european-weee-trafficking-profits": (20, None),
    "weee-recycling-potential": (80, None),
}
PUBLIC_PROCUREMENT_GDP_PERCENT = 10.0  # repairability guide, home page
END_OF_LIFE_ROUTES = {
    "internal-redeployment",
    "donation-to-social-economy",
    "resale-second-hand",
    "weee-collection-and-recycling",
}
