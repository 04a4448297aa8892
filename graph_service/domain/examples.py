"""The named queries of the catalog, as examples for the query page."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.named.catalog import Catalog
from graph_service.named.header import QuerySpec


@dataclass(frozen=True)
class Example:
    """A named query: its name, titles by language and its text without the header."""

    name: str
    titles: dict[str, str]
    query: str


def query_of(spec: QuerySpec) -> str:
    """The query's text without its `#+` header."""
    return "\n".join(spec.text.splitlines()[spec.header_lines :]).strip("\n") + "\n"


def examples(catalog: Catalog) -> list[Example]:
    """Every query of the (start-up checked) catalog, header stripped, sorted by name."""
    return [Example(spec.name, dict(spec.titles), query_of(spec)) for spec in catalog]
