"""Run a named query of queries/ with typed, bound parameters (HTTP API and command line)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from graph_service.domain.index import ResourceIndex, expand
from graph_service.formats.spreadsheet import RFC4180, CsvDialect, Table
from graph_service.formats.spreadsheet import to_csv as write_csv
from graph_service.named.binding import BindingError, bind, substitutions
from graph_service.named.header import QuerySpec

Cell = str | int | float | bool | None
INTEGER_TYPES = {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}
DECIMAL_TYPES = {"decimal", "double", "float"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LANG_VALUES = ("fr", "en")


@dataclass
class NamedResult:
    """Columns and rows of a named query (cells as JSON scalars)."""

    columns: list[str]
    rows: list[dict[str, Cell]]
    params: dict[str, str] = field(default_factory=dict)
    truncated: bool = False


def make_resolver(index: ResourceIndex) -> Callable[[str, str | None], ox.NamedNode | None]:
    """Short ids -> IRIs for `bind`; a resource of the wrong class is refused with its class."""

    def resolve(value: str, cls: str | None) -> ox.NamedNode | None:
        res = index.resolve(value)
        if res is None:
            return None
        wanted = expand(cls) if cls else None
        if wanted and wanted not in res.types:
            raise BindingError(value, f"{res.id!r} is not a {cls}")
        return ox.NamedNode(res.iri)

    return resolve


def check_values(spec: QuerySpec, raw: Mapping[str, str]) -> None:
    """Refuse control characters, and languages other than fr/en for `?lang`."""
    for name, value in raw.items():
        if CONTROL.search(value):
            raise BindingError(name, "control characters are not allowed")
        param = spec.param(name)
        if param and name == "lang" and param.type == "string" and value not in LANG_VALUES:
            raise BindingError(name, f"expected one of {', '.join(LANG_VALUES)}, got {value!r}")


def run_named(
    store: ox.Store, index: ResourceIndex, spec: QuerySpec, raw: Mapping[str, str], max_rows: int
) -> NamedResult:
    """Bind, run over the union of graphs, convert; BindingError on a bad value."""
    check_values(spec, raw)
    try:
        bindings = bind(spec, raw, make_resolver(index))
    except BindingError as exc:
        if exc.param in raw or exc.param in {p.name for p in spec.params}:
            raise
        name = next((k for k, v in raw.items() if v == exc.param), exc.param)
        raise BindingError(name, str(exc).split(": ", 1)[-1]) from None
    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = dict(substitutions(bindings))
    result = store.query(spec.text, substitutions=subs, use_default_graph_as_union=True)
    cap = min(max_rows, spec.max_rows or max_rows)
    params = {k: str(term) for k, term in bindings.items()}  # N-Triples form, as rdflib's n3() wrote it
    if isinstance(result, ox.QueryBoolean):
        return NamedResult(["boolean"], [{"boolean": bool(result)}], params)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows: list[dict[str, Cell]] = []
        for solution in result:
            if len(rows) == cap:
                return NamedResult(columns, rows, params, truncated=True)
            rows.append({c: cell(solution[c]) for c in columns})
        return NamedResult(columns, rows, params)
    columns = ["subject", "predicate", "object"]
    rows = []
    for triple in result:
        if len(rows) == cap:
            return NamedResult(columns, rows, params, truncated=True)
        rows.append(
            dict(zip(columns, (cell(triple.subject), cell(triple.predicate), cell(triple.object)), strict=True))
        )
    return NamedResult(columns, rows, params)


def cell(term: object) -> Cell:
    """A JSON scalar for an RDF term: IRIs and strings as text, numbers and booleans native."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if kind in INTEGER_TYPES:
                return int(term.value)
            if kind in DECIMAL_TYPES:
                return float(Decimal(term.value))
            if kind == "boolean":
                return term.value in ("true", "1")
        except (ValueError, ArithmeticError):
            return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(getattr(term, "value", term))


def to_csv(result: NamedResult, dialect: CsvDialect = RFC4180) -> str:
    """The rows as CSV (header line first), by the one CSV writer."""
    return write_csv(result_table(result), dialect)


def result_table(result: NamedResult, headers: list[str] | None = None) -> Table:
    """The rows as a table, columns named by `headers` (the variables by default)."""
    rows: list[list[Cell]] = [[row.get(c) for c in result.columns] for row in result.rows]
    return Table(headers or list(result.columns), rows, "results")


def to_table(result: NamedResult) -> str:
    """The rows as an aligned plain-text table."""
    cells = [[str(c) for c in result.columns]]
    cells += [["" if row.get(c) is None else str(row.get(c)) for c in result.columns] for row in result.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(result.columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
