"""A procurement sheet as files a buyer takes away: the tender annex (ODT) and the lists (CSV, XLSX).

The annex is an OpenDocument text (odfpy): the format of the French administration's office suites
(ODF is the standard the Référentiel général d'interopérabilité sets for office documents), editable
in LibreOffice and in Word alike. It carries the same facts as the page: obligations with their legal
basis and dates, the labels (type I first, why each applies), the proof rules and the clauses by role,
each with the guide section it comes from. Wording comes from the caller (`t`, the pages' messages).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from odf.dc import Title
from odf.element import Element
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P, Span

from graph_service.domain.sheet import Duty, LegalBasis, Sheet, SheetLabel
from graph_service.formats.archives import fixed_dates
from graph_service.formats.formatting import long_date, percent
from graph_service.formats.spreadsheet import RFC4180, CsvDialect
from graph_service.formats.spreadsheet import Table as ListsTable
from graph_service.formats.spreadsheet import to_csv as table_csv

Wording = Callable[..., str]


def basis_text(basis: LegalBasis, lang: str) -> str:
    """`Décret n° 2021-254 (9 mars 2021)`, `Article 58 de la loi AGEC`."""
    when = f" ({long_date(basis.signed, lang)})" if basis.signed and basis.part_of is None else ""
    return basis.ref.name + when


def duty_lines(duty: Duty, lang: str, t: Wording) -> list[str]:
    """The facts of a duty, one sentence each."""
    lines = []
    if duty.is_share:
        lines.append(
            t(
                "sheet.share.value",
                share=percent(duty.reused_or_recycled_percent, lang),
                reused=percent(duty.reused_percent, lang),
            )
        )
    dates = [t("sheet.from", date=long_date(duty.applies_from, lang))] if duty.applies_from else []
    dates += [t("sheet.until", date=long_date(duty.applies_until, lang))] if duty.applies_until else []
    if dates:
        lines.append(t("sheet.in_force") + " " + ", ".join(dates))
    if duty.applies_to:
        lines.append(t("sheet.who") + " " + "; ".join(duty.applies_to))
    if duty.legal_basis:
        lines.append(t("sheet.basis") + " " + ", ".join(basis_text(b, lang) for b in duty.legal_basis))
    return lines


def archived_text(url: str, sheet: Sheet, t: Wording) -> str:
    """A cited page's address, followed by its archived copy when the site no longer builds it."""
    link = sheet.archives.get(url)
    sep = " : " if sheet.lang == "fr" else ": "
    return f"{url} ({t('sheet.archived')}{sep}{link})" if link else url


def label_kind(label: SheetLabel) -> str:
    """The label's kinds, comma-separated."""
    return ", ".join(k.name for k in label.kinds)


def label_why(label: SheetLabel, t: Wording) -> str:
    """Why the label applies: inherited from a broader category, or the categories it is cited for."""
    if label.inherited_from is not None:
        return t("sheet.label.inherited", category=label.inherited_from.name)
    return t("sheet.label.for", categories=", ".join(v.name for v in label.via))


class _Styles:
    def __init__(self, doc: OpenDocumentText) -> None:
        self.title = Style(name="Title", family="paragraph")
        self.title.addElement(TextProperties(fontsize="18pt", fontweight="bold"))
        self.h1 = Style(name="Heading 1", family="paragraph")
        self.h1.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
        self.h1.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        self.h2 = Style(name="Heading 2", family="paragraph")
        self.h2.addElement(TextProperties(fontsize="12pt", fontweight="bold"))
        self.small = Style(name="Source", family="paragraph")
        self.small.addElement(TextProperties(fontsize="9pt", color="#444444"))
        self.strong = Style(name="Strong", family="text")
        self.strong.addElement(TextProperties(fontweight="bold"))
        self.cell_head = Style(name="Table heading", family="paragraph")
        self.cell_head.addElement(TextProperties(fontweight="bold"))
        for style in (self.title, self.h1, self.h2, self.small, self.cell_head):
            doc.styles.addElement(style)
        doc.automaticstyles.addElement(self.strong)
        self.columns = []
        for i, width in enumerate(("4cm", "4cm", "3cm", "6cm")):
            col = Style(name=f"col{i}", family="table-column")
            col.addElement(TableColumnProperties(columnwidth=width))
            doc.automaticstyles.addElement(col)
            self.columns.append(col)


@contextmanager
def _own_namespaces() -> Iterator[None]:
    """odfpy declares, on each root element, every namespace any document of the process used so far
    (a class-level table); a fresh table while one document is built and written declares its own only."""
    shared = Element.namespaces
    Element.namespaces = {}
    try:
        yield
    finally:
        Element.namespaces = shared


def annex_odt(sheet: Sheet, t: Wording) -> bytes:
    """The tender annex of the sheet, as an ODT document (the same bytes for the same sheet)."""
    with _own_namespaces():
        return fixed_dates(_annex(sheet, t))


def _annex(sheet: Sheet, t: Wording) -> bytes:
    lang = sheet.lang
    doc = OpenDocumentText()
    doc.meta.addElement(Title(text=t("annex.title", name=sheet.subject.name)))
    st = _Styles(doc)
    body = doc.text

    def para(text: str, style: Style | None = None) -> None:
        body.addElement(P(stylename=style, text=text) if style else P(text=text))

    def bullets(lines: list[str]) -> None:
        items = List()
        for line in lines:
            item = ListItem()
            item.addElement(P(text=line))
            items.addElement(item)
        body.addElement(items)

    def sources(urls: list[str]) -> None:
        if urls:
            para(t("sheet.source") + " " + " ; ".join(archived_text(u, sheet, t) for u in urls), st.small)

    body.addElement(H(outlinelevel=1, stylename=st.title, text=t("annex.title", name=sheet.subject.name)))
    para(t("annex.intro", date=long_date(sheet.date, lang)))
    if sheet.reviewed:
        para(t("sheet.reviewed", date=long_date(sheet.reviewed, lang)), st.small)
    if sheet.beyond_review and sheet.reviewed:
        para(t("sheet.beyond_review", date=long_date(sheet.date, lang), reviewed=long_date(sheet.reviewed, lang)))
    for warning in sheet.warnings:
        para(warning)
    if sheet.updates:
        body.addElement(H(outlinelevel=1, stylename=st.h1, text=t("sheet.updates")))
        para(t("sheet.updates.what"))
        for update in sheet.updates:
            body.addElement(H(outlinelevel=2, stylename=st.h2, text=update.ref.name))
            lines = [t("sheet.updates.on") + " " + long_date(update.on, lang)] if update.on else []
            lines.append(t("sheet.updates.concerns") + " " + ", ".join(c.name for c in update.concerns))
            bullets(lines)
            if update.description:
                para(update.description)
            para(t("sheet.updates.source") + " " + " ; ".join(update.sources), st.small)

    body.addElement(H(outlinelevel=1, stylename=st.h1, text=t("sheet.obligations")))
    if not (sheet.shares or sheet.obligations):
        para(t("sheet.none"))
    for duty in [*sheet.shares, *sheet.obligations]:
        body.addElement(H(outlinelevel=2, stylename=st.h2, text=duty.ref.name))
        bullets(duty_lines(duty, lang, t))
        sources(duty.sources)

    body.addElement(H(outlinelevel=1, stylename=st.h1, text=t("sheet.labels")))
    if sheet.labels:
        table = labels_table("labels", st, t)
        for label in sheet.labels:
            row = TableRow()
            levels = ", ".join(v.name for v in label.levels)
            if label.validity_years:
                levels = (levels + "; " if levels else "") + t("sheet.label.validity", years=label.validity_years)
            for value in (label.ref.name, label_kind(label), levels, label_why(label, t)):
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            table.addElement(row)
        body.addElement(table)
        for label in sheet.labels:
            if label.description:
                p = P()
                p.addElement(
                    Span(stylename=st.strong, text=label.ref.name + " : " if lang == "fr" else label.ref.name + ": ")
                )
                p.addText(label.description)
                body.addElement(p)
    else:
        para(t("sheet.none"))

    for rule in sheet.label_rules:
        body.addElement(H(outlinelevel=1, stylename=st.h1, text=t("sheet.proof")))
        body.addElement(H(outlinelevel=2, stylename=st.h2, text=rule.ref.name))
        if rule.description:
            para(rule.description)
        for proof in rule.proofs:
            body.addElement(H(outlinelevel=2, stylename=st.h2, text=proof.ref.name))
            lines = []
            if proof.provided_by:
                lines.append(t("sheet.proof.who") + " " + ", ".join(p.name for p in proof.provided_by))
            if proof.conditions:
                lines.append(t("sheet.proof.conditions") + " " + ", ".join(c.name for c in proof.conditions))
            if proof.legal_basis:
                lines.append(t("sheet.basis") + " " + ", ".join(b.ref.name for b in proof.legal_basis))
            bullets(lines)
            if proof.description:
                para(proof.description)
            sources(proof.sources)

    body.addElement(H(outlinelevel=1, stylename=st.h1, text=t("sheet.clauses")))
    for group in sheet.clause_groups:
        body.addElement(H(outlinelevel=2, stylename=st.h2, text=group.role.name))
        for clause in group.clauses:
            p = P()
            p.addElement(Span(stylename=st.strong, text=clause.ref.name))
            if clause.minimum_weighting_percent is not None:
                p.addText(" — " + t("sheet.weighting", weight=percent(clause.minimum_weighting_percent, lang)))
            body.addElement(p)
            if clause.description:
                para(clause.description)
            sources(clause.sources)

    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


CSV_COLUMNS = (
    "section",
    "id",
    "name",
    "kind",
    "value",
    "from",
    "until",
    "in_force",
    "legal_basis",
    "inherited_from",
    "sources",
    "archived_sources",
)


def lists_csv(sheet: Sheet, dialect: CsvDialect = RFC4180) -> str:
    """The sheet's lists as one CSV in `dialect` (RFC 4180 by default, French Excel's on demand)."""
    return table_csv(lists_table(sheet, dialect), dialect)


def lists_table(sheet: Sheet, dialect: CsvDialect = RFC4180) -> ListsTable:
    """The sheet's lists (obligations, labels, proof rules, clauses) as one table, a `section` column first.
    Percentages are written as the sheet's language shows them, or as French Excel reads numbers."""
    lang = sheet.lang
    table = ListsTable(list(CSV_COLUMNS), title=f"fiche-{sheet.subject.id}"[:31])

    def share(value: float | None) -> str:
        return dialect.percent(value) if dialect.decimal_comma else percent(value, lang)

    def row(
        section: str,
        ident: str,
        name: str,
        kind: str = "",
        value: str = "",
        start: str = "",
        until: str = "",
        in_force: str = "",
        basis: str = "",
        inherited: str = "",
        srcs: list[str] | None = None,
    ) -> None:
        archived = [sheet.archives[u] for u in srcs or [] if u in sheet.archives]
        table.rows.append(
            [
                section,
                ident,
                name,
                kind,
                value,
                start,
                until,
                in_force,
                basis,
                inherited,
                " ".join(srcs or []),
                " ".join(dict.fromkeys(archived)),
            ]
        )

    # The data's review date first; asked for a later day, a caveat row says the answer may be out of date.
    if sheet.reviewed:
        row(
            "reviewed",
            "reviewed",
            "à jour au" if lang == "fr" else "up to date as of",
            value=sheet.reviewed.isoformat(),
        )
    if sheet.beyond_review:
        row(
            "caveat",
            "beyond-review",
            "date demandée postérieure à la dernière relecture des données"
            if lang == "fr"
            else "date asked is after the data's last review",
            value=sheet.date.isoformat(),
            until=sheet.reviewed.isoformat() if sheet.reviewed else "",
        )
    for update in sheet.updates:
        row(
            "superseded",
            update.ref.id,
            update.ref.name,
            kind=", ".join(c.name for c in update.concerns),
            start=update.on.isoformat() if update.on else "",
            srcs=update.sources,
        )

    for duty in [*sheet.shares, *sheet.obligations, *sheet.not_in_force]:
        row(
            "share" if duty.is_share else "obligation",
            duty.ref.id,
            duty.ref.name,
            value=share(duty.reused_or_recycled_percent),
            start=duty.applies_from.isoformat() if duty.applies_from else "",
            until=duty.applies_until.isoformat() if duty.applies_until else "",
            in_force="true" if duty.in_force else "false",
            basis="; ".join(basis_text(b, lang) for b in duty.legal_basis),
            srcs=duty.sources,
        )
    for label in sheet.labels:
        row(
            "label",
            label.ref.id,
            label.ref.name,
            kind=label_kind(label),
            value=", ".join(v.name for v in label.levels),
            inherited=label.inherited_from.name if label.inherited_from else "",
            srcs=label.sources,
        )
    for rule in sheet.label_rules:
        for proof in rule.proofs:
            row(
                "proof",
                proof.ref.id,
                proof.ref.name,
                kind=", ".join(c.name for c in proof.conditions),
                value=", ".join(p.name for p in proof.provided_by),
                basis="; ".join(b.ref.name for b in proof.legal_basis),
                srcs=proof.sources,
            )
    for group in sheet.clause_groups:
        for clause in group.clauses:
            row(
                "clause",
                clause.ref.id,
                clause.ref.name,
                kind=group.role.name,
                value=share(clause.minimum_weighting_percent),
                basis="; ".join(b.ref.name for b in clause.legal_basis),
                srcs=clause.sources,
            )
    return table


def labels_table(name: str, st: _Styles, t: Wording) -> Table:
    """An empty table of labels (name, kind, levels, why) with its head row, in the annex's styles."""
    table = Table(name=name)
    for col in st.columns:
        table.addElement(TableColumn(stylename=col))
    head = TableRow()
    for key in ("sheet.label.name", "sheet.label.kind", "sheet.label.levels", "sheet.label.why"):
        cell = TableCell(valuetype="string")
        cell.addElement(P(stylename=st.cell_head, text=t(key)))
        head.addElement(cell)
    table.addElement(head)
    return table
