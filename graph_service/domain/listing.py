"""The /api lists as tables: each item flattened to scalar columns, titled in the reader's language.

A reference becomes its name, a list its names joined with ` | `, a tree one row per node with its
parent's id. CSV keeps the field names (programs key on them), the workbook titles them in `lang`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from graph_service.domain import models as m
from graph_service.formats.spreadsheet import Cell, Table
from graph_service.rendering import message

JOIN = " | "


def cell(value: object) -> Cell:
    """One field as a cell: a scalar as is, a resource by its name, a list joined."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, m.Ref):
        return value.name
    if isinstance(value, list | tuple):
        return JOIN.join(str(cell(v)) for v in value if v is not None)
    return str(value)


def table(
    items: Sequence[BaseModel],
    model: type[BaseModel],
    title: str,
    lang: str | None = None,
    parents: Sequence[str | None] | None = None,
) -> Table:
    """Rows of `items`, one column per field of `model` (a nested list of the model itself left out,
    `parents` giving a `parent` column instead); headers are the field names, or their titles in `lang`."""
    fields = [n for n, f in model.model_fields.items() if f.annotation != list[model]]  # type: ignore[valid-type]
    rows = [[cell(getattr(item, n)) for n in fields] for item in items]
    if parents is not None:
        fields.append("parent")
        for row, parent in zip(rows, parents, strict=True):
            row.append(parent)
    headers = fields if lang is None else [message(f"column.{n}", lang) for n in fields]
    return Table(headers, rows, title)


def tree_table(nodes: Sequence[m.CategoryNode], title: str, lang: str | None = None) -> Table:
    """The tree, one row per node (each before its children) with its parent's id."""
    flat: list[tuple[m.CategoryNode, str | None]] = []

    def walk(level: Iterable[m.CategoryNode], parent: str | None) -> None:
        for node in level:
            flat.append((node, parent))
            walk(node.children, node.id)

    walk(nodes, None)
    return table([n for n, _ in flat], m.CategoryNode, title, lang, [p for _, p in flat])
