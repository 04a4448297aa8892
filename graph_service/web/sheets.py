"""Pages for buyers: the home page (what are you buying?), the search results, the procurement sheets
and their exports (ODT tender annex, lists as CSV or XLSX). French by default, English by `?lang=en` or
Accept-Language. Everything works without a script. A sheet and its exports are computed on a thread,
under the costly pages' admission (`web/costly.py`).

URLs: `/` (browsers; other clients keep the service description), `/recherche?q=`,
`/fiche/categorie/{id}`, `/fiche/famille/{id}`, `/fiche/cpv/{code}`, each with `?date=YYYY-MM-DD`
and `/annexe.odt`, `/listes.csv` (RFC 4180; `?dialect=excel-fr` for French Excel: `;`, BOM, decimal
comma), `/listes.xlsx` below it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from graph_service.documents.sheet_export import annex_odt, lists_csv, lists_table
from graph_service.domain.eforms import notice_values
from graph_service.domain.errors import InvalidValueError, UnknownResourceError
from graph_service.domain.finder import Hit, HitKind
from graph_service.domain.readmodel import CATEGORY, CPV_CODE, FAMILY
from graph_service.domain.sheet import Named, Sheet, UnknownSubjectError, folded
from graph_service.formats.representations import XLSX
from graph_service.formats.spreadsheet import DIALECTS, to_xlsx
from graph_service.publishing.iris import Site
from graph_service.rendering import message
from graph_service.web.costly import costly
from graph_service.web.deps import runtime
from graph_service.web.document import describe_or_page
from graph_service.web.dossier import buyer_duties, dossier_ids
from graph_service.web.files import download
from graph_service.web.html import html_page, page_date, page_language
from graph_service.web.request import public_url

router = APIRouter(include_in_schema=False)
KINDS: dict[str, Literal["category", "family", "cpv"]] = {"categorie": "category", "famille": "family", "cpv": "cpv"}
ODT = "application/vnd.oasis.opendocument.text"


def _site(request: Request) -> Site:
    settings = runtime(request).settings
    return Site(settings.base_iri, public_url(request, settings))


def sheet_path(request: Request, iri: str) -> str | None:
    """The procurement sheet of a category, family or CPV code of the graph (linked from its resource page)."""
    index = runtime(request).index
    res = index.get(iri)
    if res is None:
        return None
    if FAMILY in res.types:
        return f"/fiche/famille/{res.id}"
    if CATEGORY in res.types:
        return f"/fiche/categorie/{res.id}"
    if CPV_CODE in res.types:
        return f"/fiche/cpv/{res.id}"
    return None


def _lang_query(request: Request) -> str:
    """`?lang=xx` when the visitor chose a language by the switch, so that links keep it."""
    lang = request.query_params.get("lang")
    return f"?lang={lang}" if lang in ("fr", "en") else ""


def _families(request: Request, lang: str) -> list[tuple[Named, list[Named]]]:
    """The purchase families and their categories (direct narrower ones), by name."""
    read = runtime(request).read
    out = []
    for fam in read.index.of_type(FAMILY):
        cats = [c for c in read.narrower.get(fam.iri, []) if read.index.is_a(c, CATEGORY)]
        named = [Named(r.id, r.iri, r.name) for r in read.refs(cats, lang)]
        out.append((Named(fam.id, fam.iri, fam.name(lang)), sorted(named, key=lambda n: folded(n.name))))
    return sorted(out, key=lambda f: folded(f[0].name))


def home_page(request: Request) -> Response:
    """The buyers' home page."""
    lang = page_language(request)
    return html_page(
        request, _site(request), "home.html", families=_families(request, lang), lang_query=_lang_query(request)
    )


@router.get("/")
async def home(request: Request) -> Response:
    """The buyers' home page for browsers, the service description for other clients."""
    return describe_or_page(request, home_page)


def _hit_url(site: Site, lang_query: str) -> object:
    def url(hit: Hit) -> str:
        if hit.kind == "label":
            return site.href(hit.iri)
        kind = {"category": "categorie", "family": "famille", "cpv": "cpv"}[hit.kind]
        return site.url(f"/fiche/{kind}/{hit.id}") + lang_query

    return url


@router.get("/recherche")
async def search(request: Request, q: str = "") -> Response:
    """Search results, server side (no script needed)."""
    lang = page_language(request)
    site = _site(request)
    hits = runtime(request).finder.search(q, lang) if q.strip() else []
    lang_query = _lang_query(request)
    heading = message("search.title", lang, query=q.strip()) if q.strip() else message("search.label", lang)
    return html_page(
        request,
        site,
        "search.html",
        query=q.strip(),
        hits=hits,
        heading=heading,
        notice="",
        hit_url=_hit_url(site, lang_query),
        lang_query=lang_query,
        dossier_carry=dossier_ids(request),
    )


@router.get("/recherche.json")
async def search_names(request: Request, q: str = "") -> list[dict[str, str]]:
    """The names the search would find, for the home page's type-ahead (static/search.js)."""
    lang = page_language(request)
    hits = runtime(request).finder.search(q, lang, limit=8) if len(q.strip()) >= 2 else []
    return [{"name": h.name, "kind": message(f"kind.{h.kind}", lang)} for h in hits]


def _sheet_response(request: Request, kind: str, key: str, render: Callable[[Sheet, str | None], Response]) -> Response:
    """`render(sheet, date_error)` with the sheet asked for, or the 404 page with suggestions when there is none."""
    lang = page_language(request)
    on, date_error = page_date(request)
    builder = runtime(request).sheets
    chosen = KINDS.get(kind)
    if chosen is None:
        return _unknown(request, "page", kind, [])
    try:
        if chosen == "category":
            sheet = builder.category(key, on, lang)
        elif chosen == "family":
            sheet = builder.family(key, on, lang)
        else:
            sheet = builder.cpv(key, on, lang)
    except UnknownSubjectError as exc:
        return _unknown(request, chosen, key, exc.suggestions)
    except (InvalidValueError, UnknownResourceError):  # a CPV code the graph cannot place (bad code, unknown)
        return _unknown(request, chosen, key, [])
    return render(sheet, date_error)


def _unknown(request: Request, kind: str, key: str, suggestions: list[Named]) -> Response:
    lang = page_language(request)
    site = _site(request)
    lang_query = _lang_query(request)
    hit_kind: HitKind = "family" if kind == "family" else "category"
    hits = [Hit(hit_kind, n.id, n.iri, n.name, None, n.name) for n in suggestions]
    hits += [
        h
        for h in runtime(request).finder.search(key.replace("-", " "), lang, limit=8)
        if h.iri not in {n.iri for n in suggestions}
    ]
    title = message("unknown.title", lang)
    text = message("unknown.text", lang, kind=message(f"kind.{kind}", lang) if kind in KINDS.values() else kind, id=key)
    return html_page(
        request,
        site,
        "search.html",
        status=404,
        query="",
        hits=hits,
        hit_url=_hit_url(site, lang_query),
        lang_query=lang_query,
        heading=title,
        notice=text,
    )


@router.get("/fiche/{kind}/{key}")
async def sheet_page(request: Request, kind: str, key: str) -> Response:
    """A procurement sheet, on the date asked (today by default)."""

    def page(sheet: Sheet, date_error: str | None) -> Response:
        site = _site(request)
        here = site.url(f"/fiche/{kind}/{key}")
        export = [("date", sheet.date.isoformat()), ("lang", sheet.lang)]
        eforms = (
            notice_values(runtime(request).read, sheet.subject.iri, sheet.lang, sheet.date)
            if sheet.kind == "category"
            else None
        )
        return html_page(
            request,
            site,
            "sheet.html",
            sheet=sheet,
            here=here,
            date_error=date_error,
            eforms=eforms,
            lang_query=_lang_query(request),
            export_query="&".join(f"{k}={v}" for k, v in export),
            dossier_carry=dossier_ids(request),
            buyer_duties=buyer_duties(runtime(request).sheets, sheet),
        )

    return await costly(request, lambda: _sheet_response(request, kind, key, page))


@router.get("/fiche/{kind}/{key}/annexe.odt")
async def sheet_annex(request: Request, kind: str, key: str) -> Response:
    """The tender annex (OpenDocument text) of a sheet."""

    def annex(sheet: Sheet, _: str | None) -> Response:
        body = annex_odt(sheet, lambda k, **v: message(k, sheet.lang, **v))
        return download(body, ODT, f"annexe-{sheet.subject.id}-{sheet.date.isoformat()}.odt")

    return await costly(request, lambda: _sheet_response(request, kind, key, annex))


@router.get("/fiche/{kind}/{key}/listes.csv")
async def sheet_csv(
    request: Request,
    kind: str,
    key: str,
    dialect: Annotated[
        Literal["rfc4180", "excel-fr"], Query(description="rfc4180 (`,`) or excel-fr (`;`, BOM)")
    ] = "rfc4180",
) -> Response:
    """The sheet's lists as CSV: RFC 4180 (UTF-8, `,`), or French Excel's dialect (`;`, BOM, decimal comma),
    the one the sheet's download link asks for."""

    def lists(sheet: Sheet, _: str | None) -> Response:
        return download(lists_csv(sheet, DIALECTS[dialect]), "text/csv; charset=utf-8", _filename(sheet, "csv"))

    return await costly(request, lambda: _sheet_response(request, kind, key, lists))


@router.get("/fiche/{kind}/{key}/listes.xlsx")
async def sheet_xlsx(request: Request, kind: str, key: str) -> Response:
    """The sheet's lists as a workbook (the same rows as the CSV, typed, in the sheet's language)."""

    def lists(sheet: Sheet, _: str | None) -> Response:
        return download(to_xlsx(lists_table(sheet)), XLSX.media_type, _filename(sheet, "xlsx"))

    return await costly(request, lambda: _sheet_response(request, kind, key, lists))


def _filename(sheet: Sheet, suffix: str) -> str:
    """`fiche-laptop-2026-12-07.csv`: the subject and the date of the sheet."""
    return f"fiche-{sheet.subject.id}-{sheet.date.isoformat()}.{suffix}"
