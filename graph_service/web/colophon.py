"""What every page says at its foot: who publishes the data, which version, when the law was last checked.

The publisher is the `dcterms:publisher` of the graph's `dcat:Dataset` (data/dataset.ttl), the version
is `Runtime.version` (graph_service/dataset/data_version.py) and the review date the read model's `reviewed`
(the earliest `schema:lastReviewed` of data/sources.ttl).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph_service.domain.readmodel import iris
from graph_service.prefixes import PREFIXES

DATASET = PREFIXES["dcat"] + "Dataset"
PUBLISHER = PREFIXES["dcterms"] + "publisher"


@dataclass(frozen=True)
class Colophon:
    """The foot of every page: publisher (name and IRI), data version, date of the last legal review."""

    publisher: str
    publisher_iri: str
    version: str
    reviewed: dt.date | None


def colophon(runtime: Any, lang: str) -> Colophon | None:
    """The colophon of the served data in `lang`, or None before the data are loaded."""
    read = getattr(runtime, "read", None)
    if read is None:
        return None
    publisher_iri = next((p for d in read.index.of_type(DATASET) for p in iris(read.props(d.iri).get(PUBLISHER))), "")
    found = read.index.get(publisher_iri)
    return Colophon(
        found.name(lang) if found else "", publisher_iri, str(getattr(runtime, "version", "")), read.reviewed
    )
