"""The buyer's dossier (`domain/dossier.py`) as files to edit: Word (DOCX, python-docx) and OpenDocument
(ODT, odfpy, with the tender annex's styles of `sheet_export.py`).

Both carry, per lot under its own heading: the buyer's obligations, the labels to require « ou
équivalent », the criteria by role with the tender document each goes in, then the duties on others.
Sources are notes, never lines of addresses in the text: real footnotes in ODT; in DOCX (python-docx
has no footnote API) numbered references [n] to a « Sources » list at the end of each lot, whose short
titles link to the pages. A disclaimer opens each file: the clauses are models to adapt, not legal
advice. Wording comes from the caller (`t`, the pages' messages).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import urlsplit

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from odf.dc import Title
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TextProperties
from odf.table import TableCell, TableRow
from odf.text import A, H, List, ListItem, Note, NoteBody, NoteCitation, P, Span

from graph_service.documents.sheet_export import (
    _own_namespaces,
    _Styles,
    basis_text,
    duty_lines,
    label_kind,
    label_why,
    labels_table,
)
from graph_service.domain.dossier import ROLE_DOCUMENT, Dossier, Lot
from graph_service.domain.sheet import Clause, ClauseGroup, Duty, SheetLabel
from graph_service.formats.formatting import long_date, percent, source_parts

Wording = Callable[..., str]


def short_title(url: str, t: Wording) -> str:
    """A cited page's short title: `Guide — Fiches pratiques › Bureautique (réglementation)`."""
    site, where = source_parts(url)
    if site == "web":  # another page: its site and last path step (`ecoresponsable.numerique.gouv.fr › episode 6 …`)
        parsed = urlsplit(url)
        last = [s for s in parsed.path.split("/") if s][-1:]
        host = parsed.netloc.removeprefix("www.")
        return host + (" › " + last[0].replace("-", " ") if last else "")
    page, _, anchor = where.partition(" › #")
    steps = [s.replace("-", " ").strip() for s in page.split(" › ") if s and s != "/"]
    text = " › ".join(s[:1].upper() + s[1:] for s in steps)
    if anchor:
        text += f" ({anchor.replace('-', ' ')})"
    return t("source." + site) + (" — " + text if text else "")


def clause_document(group: ClauseGroup, t: Wording) -> str:
    """The tender document a clause of this role goes in."""
    return t("dossier.doc." + ROLE_DOCUMENT.get(group.role.id, "rc"))


def label_levels(label: SheetLabel, t: Wording) -> str:
    """The label's levels and validity."""
    levels = ", ".join(v.name for v in label.levels)
    if label.validity_years:
        levels = (levels + "; " if levels else "") + t("sheet.label.validity", years=label.validity_years)
    return levels


def clause_lines(clause: Clause, group: ClauseGroup, lot: Lot, t: Wording) -> list[str]:
    """The facts of a clause, one line each: the tender document (the model clause's, else the role's),
    the proof asked, the minimum weighting, the legal basis."""
    lang = lot.sheet.lang
    model = lot.models.get(clause.ref.iri)
    document = model.document.ref.name if model else clause_document(group, t)
    lines = [t("dossier.clause.document") + " " + document]
    if model and model.proofs:
        lines.append(t("dossier.clause.proof") + " " + ", ".join(p.name for p in model.proofs))
    if clause.minimum_weighting_percent is not None:
        lines.append(t("sheet.weighting", weight=percent(clause.minimum_weighting_percent, lang)))
    basis = model.legal_basis if model and model.legal_basis else clause.legal_basis
    if basis:
        lines.append(t("sheet.basis") + " " + ", ".join(basis_text(b, lang) for b in basis))
    return lines


def clause_sources(clause: Clause, lot: Lot) -> list[str]:
    """The pages a clause and its model come from."""
    model = lot.models.get(clause.ref.iri)
    return list(dict.fromkeys([*clause.sources, *(model.sources if model else [])]))


def other_line(duty: Duty, lang: str, t: Wording) -> str:
    """A duty on others in one line: name — who — basis."""
    parts = [duty.ref.name]
    if duty.applies_to:
        parts.append("; ".join(duty.applies_to))
    if duty.legal_basis:
        parts.append(", ".join(basis_text(b, lang) for b in duty.legal_basis))
    return " — ".join(parts)


def notice_lines(lot: Lot, t: Wording) -> list[str]:
    """The contract notice's values for the lot, one line per eForms field, then the EU GPP matches."""
    if lot.notice is None:
        return []
    notice = lot.notice
    sep = " : " if lot.sheet.lang == "fr" else ": "
    lines = []
    for field in (notice.strategic_procurement, notice.green_procurement, notice.gpp_criteria):
        codes = "; ".join(f"{c.code} ({c.name})" for c in field.codes) or t("eforms.no_code")
        lines.append(f"{t('eforms.' + field.bt)} ({field.bt}){sep}{codes}")
    for g in notice.eu_gpp:
        close = t("eforms.gpp.for", criterion=g.criterion.name)
        line = f"{g.identifier} {g.gpp.name} — {g.criteria_set.name} — {close}"
        lines.append(line + ("" if g.verified else " " + t("eforms.unverified")))
    return lines


# -- DOCX ------------------------------------------------------------------------------------


def _hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """A clickable link in a paragraph (python-docx has no API for it: the w:hyperlink element)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F3A93")
    props.extend([style, color, underline])
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def dossier_docx(dossier: Dossier, t: Wording) -> bytes:
    """The dossier as a Word document (editable; headings per lot; numbered sources per lot)."""
    lang = dossier.lang
    doc = docx.Document()
    doc.core_properties.title = t("dossier.title")
    doc.core_properties.language = lang
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(t("dossier.title"), level=0)
    doc.add_paragraph(
        t(
            "dossier.file.intro",
            date=long_date(dossier.date, lang),
            lots=", ".join(lot.subject.name for lot in dossier.lots),
        )
    )
    warning = doc.add_paragraph()
    run = warning.add_run(t("dossier.disclaimer"))
    run.bold = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if dossier.reviewed:
        doc.add_paragraph(t("sheet.reviewed", date=long_date(dossier.reviewed, lang)))
    if dossier.beyond_review and dossier.reviewed:
        doc.add_paragraph(
            t("sheet.beyond_review", date=long_date(dossier.date, lang), reviewed=long_date(dossier.reviewed, lang))
        )

    for lot in dossier.lots:
        numbers = {url: i for i, url in enumerate(lot.sources, start=1)}

        def cite(paragraph: Paragraph, urls: list[str], numbers: dict[str, int] = numbers) -> None:
            refs = sorted({numbers[u] for u in urls if u in numbers})
            if refs:
                ref = paragraph.add_run(" [" + ", ".join(str(n) for n in refs) + "]")
                ref.font.superscript = True

        def bullets(lines: list[str]) -> None:
            for line in lines:
                doc.add_paragraph(line, style="List Bullet")

        doc.add_heading(t("dossier.lot", n=lot.number, name=lot.subject.name), level=1)
        for warning_text in lot.sheet.warnings:
            doc.add_paragraph(warning_text)
        doc.add_heading(t("dossier.own"), level=2)
        if not lot.own:
            doc.add_paragraph(t("dossier.own.none"))
        for duty in lot.own:
            doc.add_heading(duty.ref.name, level=3)
            bullets(duty_lines(duty, lang, t))
            if duty.description:
                cite(doc.add_paragraph(duty.description), duty.sources)

        doc.add_heading(t("dossier.labels"), level=2)
        if lot.labels:
            doc.add_paragraph(t("dossier.labels.equivalent"))
            table = doc.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, key in zip(
                table.rows[0].cells,
                ("sheet.label.name", "sheet.label.kind", "sheet.label.levels", "sheet.label.why"),
                strict=True,
            ):
                cell.text = ""
                cell.paragraphs[0].add_run(t(key)).bold = True
            for label in lot.labels:
                cells = table.add_row().cells
                cells[0].text = t("dossier.label.require", name=label.ref.name)
                cells[1].text = label_kind(label)
                cells[2].text = label_levels(label, t)
                cells[3].text = label_why(label, t)
                cite(cells[3].paragraphs[0], label.sources)
        else:
            doc.add_paragraph(t("sheet.labels.none"))

        doc.add_heading(t("dossier.criteria"), level=2)
        for group in lot.clause_groups:
            doc.add_heading(group.role.name, level=3)
            for clause in group.clauses:
                para = doc.add_paragraph()
                para.add_run(clause.ref.name).bold = True
                model = lot.models.get(clause.ref.iri)
                if model and model.text:
                    quote = doc.add_paragraph(style="Quote")
                    quote.add_run(t("dossier.clause.model") + " ").bold = True
                    quote.add_run(model.text)
                bullets(clause_lines(clause, group, lot, t))
                if model and model.how_to_adapt:
                    doc.add_paragraph().add_run(model.how_to_adapt).italic = True
                if clause.description:
                    cite(
                        doc.add_paragraph(t("dossier.clause.guide") + " " + clause.description),
                        clause_sources(clause, lot),
                    )

        if lot.notice is not None:
            doc.add_heading(t("eforms.title"), level=2)
            doc.add_paragraph(t("eforms.what"))
            bullets(notice_lines(lot, t))

        doc.add_heading(t("dossier.others.title"), level=2)
        for duty in [*lot.others, *lot.later]:
            cite(doc.add_paragraph(other_line(duty, lang, t), style="List Bullet"), duty.sources)

        doc.add_heading(t("dossier.sources"), level=2)
        for url, n in numbers.items():
            para = doc.add_paragraph(f"[{n}] ")
            _hyperlink(para, url, short_title(url, t))
            if url in lot.sheet.archives:
                para.add_run(" — ")
                _hyperlink(para, lot.sheet.archives[url], t("sheet.archived"))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- ODT -------------------------------------------------------------------------------------


def dossier_odt(dossier: Dossier, t: Wording) -> bytes:
    """The dossier as an OpenDocument text (editable; headings per lot; sources as footnotes)."""
    with _own_namespaces():
        return _odt(dossier, t)


def _odt(dossier: Dossier, t: Wording) -> bytes:
    lang = dossier.lang
    doc = OpenDocumentText()
    doc.meta.addElement(Title(text=t("dossier.title")))
    st = _Styles(doc)
    h3 = Style(name="Heading 3", family="paragraph")
    h3.addElement(TextProperties(fontsize="11pt", fontweight="bold"))
    warn = Style(name="Disclaimer", family="paragraph")
    warn.addElement(TextProperties(fontweight="bold", backgroundcolor="#fff3b0"))
    quoted = Style(name="Model clause", family="paragraph")
    quoted.addElement(
        ParagraphProperties(
            marginleft="0.6cm",
            borderleft="0.06cm solid #000091",
            padding="0.15cm",
            margintop="0.1cm",
            marginbottom="0.1cm",
        )
    )
    for style in (h3, warn, quoted):
        doc.styles.addElement(style)
    body = doc.text
    notes = [0]

    def note(paragraph: P, urls: list[str], archives: dict[str, str]) -> None:
        """A footnote after the paragraph's text: the short titles of its sources, linked."""
        if not urls:
            return
        notes[0] += 1
        n = notes[0]
        footnote = Note(id=f"ftn{n}", noteclass="footnote")
        footnote.addElement(NoteCitation(text=str(n)))
        content = NoteBody()
        for url in urls:
            line = P(stylename=st.small)
            line.addElement(A(href=url, type="simple", text=short_title(url, t)))
            if url in archives:
                line.addText(" — ")
                line.addElement(A(href=archives[url], type="simple", text=t("sheet.archived")))
            content.addElement(line)
        footnote.addElement(content)
        paragraph.addElement(footnote)

    def para(text: str, style: Style | None = None) -> P:
        p = P(stylename=style, text=text) if style else P(text=text)
        body.addElement(p)
        return p

    def bullets(lines: list[str]) -> None:
        items = List()
        for line in lines:
            item = ListItem()
            item.addElement(P(text=line))
            items.addElement(item)
        body.addElement(items)

    body.addElement(H(outlinelevel=1, stylename=st.title, text=t("dossier.title")))
    para(
        t(
            "dossier.file.intro",
            date=long_date(dossier.date, lang),
            lots=", ".join(lot.subject.name for lot in dossier.lots),
        )
    )
    para(t("dossier.disclaimer"), warn)
    if dossier.reviewed:
        para(t("sheet.reviewed", date=long_date(dossier.reviewed, lang)), st.small)
    if dossier.beyond_review and dossier.reviewed:
        para(t("sheet.beyond_review", date=long_date(dossier.date, lang), reviewed=long_date(dossier.reviewed, lang)))

    for lot in dossier.lots:
        _odt_lot(lot, lang, t, body, st, h3, quoted, para, bullets, note)

    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _odt_lot(
    lot: Lot,
    lang: str,
    t: Wording,
    body: object,
    st: _Styles,
    h3: Style,
    quoted: Style,
    para: Callable[..., P],
    bullets: Callable[[list[str]], None],
    note: Callable[[P, list[str], dict[str, str]], None],
) -> None:
    add = body.addElement  # type: ignore[attr-defined]
    archives = lot.sheet.archives
    add(H(outlinelevel=1, stylename=st.h1, text=t("dossier.lot", n=lot.number, name=lot.subject.name)))
    for warning in lot.sheet.warnings:
        para(warning)
    add(H(outlinelevel=2, stylename=st.h2, text=t("dossier.own")))
    if not lot.own:
        para(t("dossier.own.none"))
    for duty in lot.own:
        add(H(outlinelevel=3, stylename=h3, text=duty.ref.name))
        bullets(duty_lines(duty, lang, t))
        note(para(duty.description or ""), duty.sources, archives)

    add(H(outlinelevel=2, stylename=st.h2, text=t("dossier.labels")))
    if lot.labels:
        para(t("dossier.labels.equivalent"))
        table = labels_table(f"labels{lot.number}", st, t)
        for label in lot.labels:
            row = TableRow()
            values = (t("dossier.label.require", name=label.ref.name), label_kind(label), label_levels(label, t))
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            cell = TableCell(valuetype="string")
            why = P(text=label_why(label, t))
            note(why, label.sources, archives)
            cell.addElement(why)
            row.addElement(cell)
            table.addElement(row)
        add(table)
    else:
        para(t("sheet.labels.none"))

    add(H(outlinelevel=2, stylename=st.h2, text=t("dossier.criteria")))
    for group in lot.clause_groups:
        add(H(outlinelevel=3, stylename=h3, text=group.role.name))
        for clause in group.clauses:
            p = P()
            p.addElement(Span(stylename=st.strong, text=clause.ref.name))
            add(p)
            model = lot.models.get(clause.ref.iri)
            if model and model.text:
                quote = P(stylename=quoted)
                quote.addElement(Span(stylename=st.strong, text=t("dossier.clause.model") + " "))
                quote.addText(model.text)
                add(quote)
            bullets(clause_lines(clause, group, lot, t))
            if model and model.how_to_adapt:
                para(model.how_to_adapt, st.small)
            if clause.description:
                note(para(t("dossier.clause.guide") + " " + clause.description), clause_sources(clause, lot), archives)

    if lot.notice is not None:
        add(H(outlinelevel=2, stylename=st.h2, text=t("eforms.title")))
        para(t("eforms.what"))
        bullets(notice_lines(lot, t))

    add(H(outlinelevel=2, stylename=st.h2, text=t("dossier.others.title")))
    for duty in [*lot.others, *lot.later]:
        note(para(other_line(duty, lang, t)), duty.sources, archives)
