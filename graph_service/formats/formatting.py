"""Values as people read them, in French or English: dates (1er janvier 2021, 1 January 2021), percentages."""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(value: dt.date | None, lang: str) -> str:
    """`1er janvier 2021` in French, `1 January 2021` in English; empty for None."""
    if value is None:
        return ""
    months = MONTHS.get(lang, MONTHS["fr"])
    day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{day} {months[value.month - 1]} {value.year}"


def percent(value: float | None, lang: str) -> str:
    """`20 %` in French (narrow no-break space), `20%` in English; decimals only when needed."""
    if value is None:
        return ""
    number = f"{value:g}"
    if lang == "fr":
        return number.replace(".", ",") + "\u202f%"
    return number + "%"


SOURCE_SITES = {
    "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/": "guide",
    "https://ecoresponsable.numerique.gouv.fr/publications/guide-achat-indice-reparabilite/": "repair",
    "https://ecoresponsable.numerique.gouv.fr/publications/bonnes-pratiques/achat-durable/": "practices",
}


def source_parts(url: str) -> tuple[str, str]:
    """Which site (guide, repair, practices, web) and where: `fiches-pratiques › bureautique › #reglementation`."""
    for base, key in SOURCE_SITES.items():
        if url.startswith(base):
            page, _, anchor = url[len(base) :].partition("#")
            steps = [s for s in page.split("/") if s]
            return key, " › ".join([*steps, *([f"#{anchor}"] if anchor else [])]) or "/"
    return "web", url
