"""Tables over HTTP: `?format=` for SPARQL answers, and spreadsheet downloads (XLSX)."""

from __future__ import annotations

from fastapi.responses import Response

from graph_service.negotiation import negotiate, with_format
from graph_service.problems import format_not_offered
from graph_service.representations import ANSWERS, NTRIPLES, SPARQL_JSON, XLSX, Representation, by_name
from graph_service.spreadsheet import Table, from_ntriples, from_sparql_json, to_xlsx

SPARQL_OFFERS = (*ANSWERS, XLSX)
# What the engine is asked for when a workbook is wanted: a table of results, or of triples.
WORKBOOK_SOURCE = f"{SPARQL_JSON.media_type}, {NTRIPLES.media_type};q=0.5"


def check_format(fmt: str | None) -> None:
    """A `?format=` that names no answer format is a 406, whether or not a query comes with it."""
    if fmt is not None and by_name(fmt, SPARQL_OFFERS) is None:
        raise format_not_offered(fmt, SPARQL_OFFERS)


def answer_accept(header: str | None, fmt: str | None) -> tuple[str | None, bool]:
    """The Accept header to hand the engine, and whether the answer becomes a workbook.

    `?format=` (json, xml, csv, tsv, turtle, ntriples, rdfxml, jsonld, xlsx, or their suffixes)
    decides unless Accept names one of these formats itself; a name that is none of them is a 406.
    """
    requested = None
    if fmt:
        requested = by_name(fmt, SPARQL_OFFERS)
        if requested is None:
            raise format_not_offered(fmt, SPARQL_OFFERS)
    effective = with_format(header, requested, SPARQL_OFFERS)
    if negotiate(effective, SPARQL_OFFERS, named_only=(XLSX,)) is XLSX:
        return WORKBOOK_SOURCE, True
    return effective, False


def as_table(body: bytes, fmt: Representation) -> Table:
    """The engine's answer (SPARQL JSON or N-Triples) as a table."""
    return from_sparql_json(body) if fmt is SPARQL_JSON else from_ntriples(body)


def xlsx_response(table: Table, filename: str) -> Response:
    """The table as a workbook download."""
    return Response(to_xlsx(table), media_type=XLSX.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'})  # fmt: skip
