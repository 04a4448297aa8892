"""Tables over HTTP: `?format=` for SPARQL answers, and spreadsheet downloads (XLSX)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from fastapi.responses import Response

from graph_service.formats.negotiation import names_an_offer, negotiate
from graph_service.formats.representations import (
    ANSWERS,
    GRAPHS,
    JSONLD,
    NTRIPLES,
    RDFXML,
    RESULTS,
    SPARQL_JSON,
    SPARQL_XML,
    XLSX,
    Representation,
    by_name,
)
from graph_service.formats.spreadsheet import Table, from_ntriples, from_sparql_json, to_xlsx
from graph_service.problems import ProblemError, format_not_offered
from graph_service.sparql.engine import Wanted
from graph_service.web.files import download

SPARQL_OFFERS = (*ANSWERS, XLSX)
PARTNERS = {SPARQL_JSON: JSONLD, SPARQL_XML: RDFXML}  # the graph format a results format name also means


def first_format(values: list[str]) -> str | None:
    """Of several `format` values (SPARQLWrapper sends `tsv` and `text/tab-separated-values`), the first
    that names an answer format, else the first one (refused unless Accept names a format)."""
    return next((v for v in values if by_name(v, SPARQL_OFFERS) is not None), values[0] if values else None)


@lru_cache(maxsize=256)  # a refusal is not kept (raised each time)
def requested_format(header: str | None, fmt: str | None) -> Representation | None:
    """What `?format=` asks for, or None when absent or when Accept names a format itself (Accept wins,
    whatever `format` says); a value that names no answer format is then a 406."""
    if fmt is None or names_an_offer(header, SPARQL_OFFERS):
        return None
    requested = by_name(fmt, SPARQL_OFFERS)
    if requested is None:
        raise format_not_offered(fmt, SPARQL_OFFERS)
    return requested


def check_format(header: str | None, fmt: str | None) -> None:
    """Refuse a `?format=` that names nothing, even without a query (the description is then sent)."""
    requested_format(header, fmt)


@lru_cache(maxsize=256)  # clients send few distinct (Accept, format) pairs; deciding one: ~170 µs, loaded
def answer_formats(header: str | None, fmt: str | None) -> tuple[Wanted, bool]:
    """The formats the answer may take, and whether it becomes a workbook: the one negotiation of /sparql.

    `?format=` (json, xml, csv, tsv, turtle, ntriples, rdfxml, jsonld, xlsx, their suffixes or media
    types) decides unless Accept names one of these formats itself. `json` and `xml` fit both query
    forms: SPARQL JSON or XML results for SELECT/ASK, JSON-LD or RDF/XML for CONSTRUCT/DESCRIBE. A
    workbook is built from SPARQL JSON results or from N-Triples.
    """
    requested = requested_format(header, fmt)
    if requested is None:
        if negotiate(header, SPARQL_OFFERS, named_only=(XLSX,)) is XLSX:
            return Wanted(SPARQL_JSON, NTRIPLES, f"Accept: {header!r}"), True
        return Wanted(negotiate(header, RESULTS), negotiate(header, GRAPHS), f"Accept: {header!r}"), False
    if requested is XLSX:
        return Wanted(SPARQL_JSON, NTRIPLES, f"format={fmt!r}"), True
    if requested in PARTNERS:
        return Wanted(requested, PARTNERS[requested], f"format={fmt!r}"), False
    results = requested if requested in RESULTS else None
    graph = requested if requested in GRAPHS else None
    return Wanted(results, graph, f"format={fmt!r}"), False


def as_table(body: bytes, fmt: Representation) -> Table:
    """The engine's answer (SPARQL JSON or N-Triples) as a table."""
    return from_sparql_json(body) if fmt is SPARQL_JSON else from_ntriples(body)


def xlsx_response(table: Table, filename: str) -> Response:
    """The table as a workbook download."""
    return download(to_xlsx(table), XLSX.media_type, f"{filename}.xlsx")


# Workbooks are built one at a time, on this thread: never on the event loop, at most one core.
_CONVERTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook")
MAX_WORKBOOKS = 4  # being built or waiting (each holds its answer, up to KG_MAX_SHEET_BYTES); past it, 503
_workbooks = [0]


async def workbook_of_answer(
    body: bytes, fmt: Representation, filename: str, max_cells: int, max_bytes: int
) -> Response:
    """An engine's answer as a workbook download, read and built off the event loop; 413 past the
    caps (`max_bytes` of answer, `max_cells` rows x columns), checked before the workbook is built."""
    if len(body) > max_bytes:
        raise sheet_too_large(f"The answer is {len(body)} bytes", f"{max_bytes} bytes of answer", "KG_MAX_SHEET_BYTES")
    if _workbooks[0] >= MAX_WORKBOOKS:
        raise ProblemError(
            503,
            "workbooks-busy",
            "Too many workbooks being built",
            f"{MAX_WORKBOOKS} workbooks are being built or waiting; try again shortly, or ask for "
            "format=csv, which is sent at once.",
            headers={"Retry-After": "5"},
        )
    _workbooks[0] += 1
    try:
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(_CONVERTER, _answer_workbook, body, fmt, max_cells)
    finally:
        _workbooks[0] -= 1
    return download(data, XLSX.media_type, f"{filename}.xlsx")


def _answer_workbook(body: bytes, fmt: Representation, max_cells: int) -> bytes:
    table = as_table(body, fmt)
    check_cells(table, max_cells)
    return to_xlsx(table)


def check_cells(table: Table, max_cells: int) -> None:
    """Refuse (413) a table of more than `max_cells` cells."""
    cells = len(table.rows) * max(1, len(table.headers))
    if cells > max_cells:
        raise sheet_too_large(
            f"The answer has {len(table.rows)} rows x {len(table.headers)} columns = {cells} cells",
            f"{max_cells} cells",
            "KG_MAX_SHEET_CELLS",
        )


def sheet_too_large(what: str, limit: str, setting: str) -> ProblemError:
    """413: a workbook this large is not built here; CSV, TSV or JSON carry any answer."""
    return ProblemError(
        413,
        "sheet-too-large",
        "Answer too large for a workbook",
        f"{what}; a workbook is built for at most {limit} ({setting}). Ask for format=csv "
        "(or tsv, json), which carry answers of any size, or narrow the query (LIMIT, fewer variables).",
        extra={"limit": limit, "setting": setting},
    )
