"""Discover `queries/*.rq`, check each header against its query, expose them by name."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib.plugins.sparql import prepareQuery

from graph_service.named.header import HeaderError, QuerySpec, parse_header

FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}


class Catalog:
    """The named queries of a folder, keyed by name."""

    def __init__(self, specs: list[QuerySpec]) -> None:
        self._specs = {spec.name: spec for spec in sorted(specs, key=lambda s: s.name)}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def get(self, name: str) -> QuerySpec | None:
        """The query of that name, or None."""
        return self._specs.get(name)

    def names(self) -> list[str]:
        """All query names, sorted."""
        return list(self._specs)


def check_spec(spec: QuerySpec) -> None:
    """Parse the query and check that the header tells the truth about it."""
    try:
        parsed = prepareQuery(spec.text)
    except Exception as exc:
        raise HeaderError(spec.path, spec.header_lines + 1, f"the query does not parse: {exc}") from exc
    form = FORMS.get(parsed.algebra.name)
    if form != spec.returns:
        raise HeaderError(spec.path, 1, f"header says returns: {spec.returns}, the query is a {form}")
    body = "\n".join(spec.text.splitlines()[spec.header_lines :])
    projected = {str(v) for v in getattr(parsed.algebra, "PV", None) or []}
    for lang, titles in spec.columns.items():
        if form != "select" or len(titles) != len(projected) or not all(titles):
            raise HeaderError(
                spec.path,
                1,
                f"columns@{lang} must give one title per projected variable ({len(projected)}), comma-separated",
            )
    for param in spec.params:
        if not re.search(rf"[?$]{re.escape(param.name)}\b", body):
            raise HeaderError(spec.path, 1, f"param ?{param.name} is not used in the query")
        if form == "select" and projected and param.name not in projected:
            raise HeaderError(
                spec.path, 1, f"param ?{param.name} must be in the SELECT projection (values are bound there)"
            )


def result_columns(spec: QuerySpec) -> list[str]:
    """The columns of a query's rows: its projection (SELECT), `boolean` (ASK), or the triple's parts."""
    if spec.returns == "ask":
        return ["boolean"]
    if spec.returns != "select":
        return ["subject", "predicate", "object"]
    return [str(v) for v in getattr(prepareQuery(spec.text).algebra, "PV", None) or []]


def load_catalog(folder: Path) -> Catalog:
    """Read and check every `.rq` file of the folder; raise HeaderError on the first bad one."""
    specs = []
    for path in sorted(folder.glob("*.rq")):
        spec = parse_header(path, path.read_text(encoding="utf-8"))
        check_spec(spec)
        specs.append(spec)
    return Catalog(specs)
