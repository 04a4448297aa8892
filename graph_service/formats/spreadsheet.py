"""Tables for spreadsheets: one `Table` (headers in the reader's language, typed cells), as CSV or XLSX.

The one CSV writer of the project. Two dialects: RFC 4180 (comma, UTF-8, no BOM, CRLF), the default,
for programs such as pandas; and French Excel's (`excel-fr`: `;`, UTF-8 with a byte-order mark, CRLF,
decimal comma), which French Excel opens in columns with its accents (it reads `;` and, without a BOM,
the ANSI code page). XLSX carries its encoding, its column boundaries and its numbers' types, so Excel
in any locale and LibreOffice open it the same way.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as OpenpyxlCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from graph_service.formats.archives import ZIP_TIME, fixed_dates

Cell = str | int | float | bool | None
FIXED_TIME = datetime.datetime(*ZIP_TIME)
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
DECIMALS = {XSD + t for t in ("decimal", "double", "float")}


@dataclass
class Table:
    """Column headers and rows of cells; `title` names the sheet."""

    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    title: str = "data"


FORMULA_STARTS = ("=", "+", "@", "-")  # what Excel reads as the start of a formula (CSV injection)


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: separator, byte-order mark, decimal comma (CRLF and UTF-8 always)."""

    name: str
    delimiter: str
    bom: bool
    decimal_comma: bool
    text_guard: bool = False  # text that Excel would read as a formula gets a leading apostrophe

    def number(self, value: float) -> str:
        """A decimal number as this dialect's readers parse it (`12.5`, or `12,5` in French)."""
        text = repr(float(value)).removesuffix(".0")
        return text.replace(".", ",") if self.decimal_comma else text

    def percent(self, value: float | None) -> str:
        """A percentage (`20` is 20 %) as French Excel reads it, a number shown as a percentage: `12,5 %`."""
        return "" if value is None else f"{self.number(value)} %"

    def cell(self, value: Cell) -> Cell:
        """A cell as written: empty for None, decimals in the dialect's notation, the rest as `csv` writes it."""
        if value is None:
            return ""
        if isinstance(value, float) and self.decimal_comma:
            return self.number(value)
        if self.text_guard and isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value  # Excel shows it as text instead of running it as a formula
        return value


RFC4180 = CsvDialect("rfc4180", ",", bom=False, decimal_comma=False)
EXCEL_FR = CsvDialect("excel-fr", ";", bom=True, decimal_comma=True, text_guard=True)
DIALECTS = {d.name: d for d in (RFC4180, EXCEL_FR)}


def to_csv(table: Table, dialect: CsvDialect = RFC4180) -> str:
    """The table as CSV in `dialect`: header line, CRLF (the server encodes it as UTF-8, with the BOM
    first when the dialect has one)."""
    buffer = io.StringIO()
    if dialect.bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([dialect.cell(value) for value in row])
    return buffer.getvalue()


def to_xlsx(table: Table) -> bytes:
    """An Office Open XML workbook of one sheet: bold frozen header row, typed cells, sized columns.

    Written in openpyxl's write-only mode, row after row, in time linear in the cells (the normal
    mode's `max_row` scans every cell, so appending row after row there is quadratic).
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_clean(table.title)[:31] or "data")
    sheet.freeze_panes = "A2"
    for index, header in enumerate(table.headers, start=1):
        width = max([len(header), *(len(str(r[index - 1])) for r in table.rows[:200] if r[index - 1] is not None)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
    bold = Font(bold=True)
    heads = []
    for header in table.headers:
        cell = WriteOnlyCell(sheet, _clean(header))
        cell.font = bold
        heads.append(cell)
    sheet.append(heads)
    for row in table.rows:
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    book.properties.created = book.properties.modified = FIXED_TIME  # no clock: same table, same bytes
    out = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return fixed_dates(out.getvalue())


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> str | OpenpyxlCell:
    """Text as a cell value; text starting with "=" stays text (openpyxl would read a formula)."""
    text = _clean(text)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell


def _clean(text: str) -> str:
    """Without the control characters a workbook cannot hold."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def from_sparql_json(body: bytes) -> Table:
    """A SPARQL JSON results document (SELECT or ASK) as a table; numbers and booleans typed.

    Read by pyoxigraph's streaming parser, a row at a time: `json.loads` would hold the interpreter
    for the whole document (half a second for 12 MB), and so the event loop of the thread that waits.
    """
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(results, ox.QueryBoolean):
        return Table(["boolean"], [[bool(results)]], "ask")
    names = [v.value for v in results.variables]
    width = range(len(names))
    rows = [[_value(solution[i]) for i in width] for solution in results]
    return Table(names, rows, "results")


def from_ntriples(body: bytes) -> Table:
    """A graph (CONSTRUCT, DESCRIBE) as subject, predicate, object rows."""
    rows: list[list[Cell]] = []
    for triple in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        rows.append([_value(triple.subject), _value(triple.predicate), _value(triple.object)])
    return Table(["subject", "predicate", "object"], rows, "graph")


def _literal(value: str, datatype: str) -> Cell:
    try:
        if datatype in INTEGERS:
            return int(value)
        if datatype in DECIMALS:
            return float(Decimal(value))
    except (ValueError, InvalidOperation):
        return value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def _value(term: object) -> Cell:
    """A result term as a cell: unbound empty, a literal typed, a blank node `_:id`, a triple term
    (RDF 1.2) as TSV writes it, `<<( <s> <p> <o> )>>`, an IRI as itself."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<<( {term.subject} {term.predicate} {_inner(term.object)} )>>"
    return str(getattr(term, "value", term))


def _inner(term: object) -> str:
    if isinstance(term, ox.Triple):
        return f"<<( {term.subject} {term.predicate} {_inner(term.object)} )>>"
    return str(term)


def table_of(headers: Sequence[str], rows: Sequence[Sequence[Cell]], title: str) -> Table:
    """A table from plain sequences."""
    return Table(list(headers), [list(r) for r in rows], title)
