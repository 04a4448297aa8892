"""The guide's table of labels by equipment: one reading of the coverage statements, for /api/coverage
(JSON, CSV, workbook) and the heat map picture alike."""

from __future__ import annotations

from typing import Literal

from graph_service.domain import models as m
from graph_service.domain.readmodel import ReadModel


def coverage_matrix(read: ReadModel, lang: str, narrower: bool = False) -> m.CoverageMatrix:
    """Rows: labels with a coverage statement (type I first); columns: the categories they are stated for,
    by family then depth then name (with `narrower`, their narrower categories too, whose cells are
    inherited)."""
    statements = read.coverage_statements()
    columns = {cat for _, cat in statements}
    if narrower:
        for cat in list(columns):
            columns.update(read.descendants(cat))
    ordered = sorted(
        columns,
        key=lambda c: (
            read.ref(read.family_of(c) or c, lang).name.lower(),
            len(read.ancestors(c)),
            read.ref(c, lang).name.lower(),
        ),
    )
    rows = []
    for label in read.sort_labels({label for label, _ in statements}, lang):
        cells: dict[str, m.CoverageCell] = {}
        for cat in ordered:
            cell = m.CoverageCell(covered=False)
            for via in (cat, *read.ancestors(cat)) if narrower else (cat,):
                if (label, via) in statements:
                    cov, sources = statements[(label, via)]
                    how: Literal["direct", "inherited"] = "direct" if via == cat else "inherited"
                    cell = m.CoverageCell(
                        covered=True, how=how, via=read.ref(via, lang).id, coverage=cov, sources=sources
                    )
                    break
            cells[read.ref(cat, lang).id] = cell
        rows.append(m.CoverageRow(**read.label_fields(label, lang), cells=cells))
    return m.CoverageMatrix(categories=[read.ref(c, lang) for c in ordered], labels=rows)
