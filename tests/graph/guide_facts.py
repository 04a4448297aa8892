"""Facts transcribed by hand from the guide's published pages: the tests compare the graph to these.

Sources:
- labels/produits/#tableau-ecolabels: labels by equipment type (8 x 6 cells);
- labels/produits/#declarations-environnementales: 80 PLUS minimum efficiency by load;
- fiches-pratiques/bureautique/#reglementation and impression/#reglementation: décret n° 2021-254 table.
"""

from __future__ import annotations

CATEGORIES = ("computers", "monitor", "printer", "cartridge", "mobile-phone", "server")

# One row per label of the table, one flag per column of CATEGORIES ("x" = ticked).
LABEL_TABLE: dict[str, str] = {
    "eu-ecolabel": "x.....",
    "blue-angel": "..xxx.",
    "nf-environnement-nf335": "...x..",
    "nordic-swan": "...x..",
    "tco-certified": "xxx.xx",
    "epeat": "xx..xx",
    "energy-star": ".xx...",
    "80-plus": "xx....",
}

# 80 PLUS level -> {load %: minimum efficiency %}; a "-" in the guide means no threshold.
EIGHTY_PLUS: dict[str, dict[int, int]] = {
    "80-plus-standard": {20: 82, 50: 85, 100: 82},
    "80-plus-bronze": {20: 85, 50: 88, 100: 85},
    "80-plus-silver": {20: 87, 50: 90, 100: 87},
    "80-plus-gold": {20: 90, 50: 92, 100: 89},
    "80-plus-platinum": {20: 92, 50: 94, 100: 90},
    "80-plus-titanium": {10: 90, 20: 94, 50: 96, 100: 94},
}

# Rows of the décret n° 2021-254 table: CPV codes, % reused/reuse/recycled, of which % reused.
DECREE_2021_254_ROWS: list[tuple[tuple[str, ...], int, int]] = [
    (("30000000-9", "30231100-8", "30213100-6", "30213300-8", "30237200-1"), 20, 20),
    (("30120000-6", "30125000-1"), 20, 20),
    (("30125100-2", "30192113-6"), 20, 20),
    (("32250000-0",), 20, 20),
]
DECREE_2021_254_FROM = "2021-01-01"
