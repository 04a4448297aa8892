"""RDF literals as people read them: dates in words, numbers and percentages by language, yes/no.

`readable(Literal("2021-01-01", datatype=XSD.date), "fr")` is `1er janvier 2021`; a value of a
property whose name ends in `Percent` reads `20 %` (`20%` in English); no datatype is ever shown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from graph_service.formats.formatting import MONTHS, long_date, percent
from graph_service.publishing.terms import XSD, datatype, iri

NUMBERS = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "decimal",
        "double",
        "float",
    )
}
YES_NO = {"fr": ("oui", "non"), "en": ("yes", "no")}
YEARS = {"fr": ("an", "ans"), "en": ("year", "years")}


def is_percent(prop: object | None) -> bool:
    """Whether the values of `prop` are percentages (the ontology names them `…Percent`)."""
    return prop is not None and iri(prop).endswith("Percent")


def is_years(prop: object | None) -> bool:
    """Whether the values of `prop` are durations in years (`…Years`)."""
    return prop is not None and iri(prop).endswith("Years")


def number(value: Decimal | float | int, lang: str) -> str:
    """`1 234,5` in French (narrow no-break space, comma), `1,234.5` in English."""
    text = f"{value:,}" if isinstance(value, int) else f"{Decimal(str(value)).normalize():,f}"
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def readable(value: object, lang: str, prop: object | None = None) -> str:
    """The literal's text for a page in `lang`."""
    kind = datatype(value)
    text = iri(value)
    try:
        if kind == XSD + "date":
            return long_date(dt.date.fromisoformat(text), lang)
        if kind == XSD + "dateTime":
            moment = dt.datetime.fromisoformat(text)
            return f"{long_date(moment.date(), lang)} {moment:%H:%M}"
        if kind == XSD + "gYearMonth":
            year, month = text.split("-")[:2]
            return f"{MONTHS.get(lang, MONTHS['fr'])[int(month) - 1]} {year}"
        if kind == XSD + "boolean":
            yes, no = YES_NO.get(lang, YES_NO["fr"])
            return yes if text.strip().lower() in ("true", "1") else no
        if kind in NUMBERS:
            amount = Decimal(text.strip())
            if is_percent(prop):
                return percent(float(amount), lang)
            shown = number(int(amount) if amount == amount.to_integral_value() else amount, lang)
            if is_years(prop):
                one, many = YEARS.get(lang, YEARS["fr"])
                return f"{shown} {one if amount == 1 else many}"
            return shown
    except (ValueError, InvalidOperation, IndexError):
        return text
    return text
