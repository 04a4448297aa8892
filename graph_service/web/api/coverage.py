"""GET /api/coverage: the matrix of labels by categories (JSON, CSV, or XLSX for spreadsheets)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from graph_service.domain import models as m
from graph_service.domain.coverage import coverage_matrix
from graph_service.formats.representations import CSV, XLSX
from graph_service.formats.spreadsheet import Cell, Table
from graph_service.web.api.common import INVALID, NOT_ACCEPTABLE, Chosen, LangDep, State, api_routes, csv_answer
from graph_service.web.tables import xlsx_response

router = api_routes("labels", "categories")


def to_table(table: m.CoverageMatrix) -> Table:
    """One line per label, one column per category (ids, for programs); `x` where the label covers it."""
    rows: list[list[Cell]] = [[row.id, row.name, *("x" if row.cells[c.id].covered else "" for c in table.categories)]
                              for row in table.labels]  # fmt: skip
    return Table(["label", "name", *(c.id for c in table.categories)], rows, "coverage")


HEADERS = {"en": ("Label id", "Label", "Yes"), "fr": ("Identifiant du label", "Label", "Oui")}


def to_sheet(table: m.CoverageMatrix, lang: str) -> Table:
    """The matrix for people: columns titled with the categories' names in `lang`, ticks as words."""
    ident, name, yes = HEADERS.get(lang, HEADERS["en"])
    rows: list[list[Cell]] = [[row.id, row.name, *(yes if row.cells[c.id].covered else None for c in table.categories)]
                              for row in table.labels]  # fmt: skip
    return Table([ident, name, *(c.name for c in table.categories)], rows, "coverage")


@router.get(
    "/coverage",
    response_model=m.CoverageMatrix,
    responses={
        200: {
            "content": {
                CSV.media_type: {"schema": {"type": "string"}, "example": "label,name,computers\r\n"},
                XLSX.media_type: {"schema": {"type": "string", "format": "binary"}},
            }
        },
        **NOT_ACCEPTABLE,
        **INVALID,
    },
)
async def coverage(
    chosen: Chosen,
    state: State,
    lang: LangDep,
    include_narrower: Annotated[
        bool, Query(description="Add the narrower categories, whose cells are inherited")
    ] = False,
) -> m.CoverageMatrix | Response:
    """The guide's table of labels by equipment type, each ticked cell with its source."""
    table = coverage_matrix(state.read, lang, include_narrower)
    if chosen is CSV:
        return csv_answer(to_table(table), "coverage")
    if chosen is XLSX:
        return xlsx_response(to_sheet(table, lang), "coverage")
    return table
