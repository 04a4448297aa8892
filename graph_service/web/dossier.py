"""The buyer's dossier for several lots: `GET /dossier?category=<id>&category=<id>[&date=YYYY-MM-DD][&lang=]`.

One page (or `format=docx|odt`, or an Accept header naming one of them: a file to edit) with, per lot,
the buyer's own obligations, the labels to require, the criteria by role and the duties on others
(`domain/dossier.py`). Without a category, the page is the picker: a plain GET form of checkboxes, no
script. An unknown category is a 404 (with close names), too many lots a 422: an HTML page for
browsers, an RFC 9457 problem for the files. Built on a thread under the costly pages' admission.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.documents.dossier_export import dossier_docx, dossier_odt
from graph_service.domain.dossier import (
    MAX_LOTS,
    ROLE_DOCUMENT,
    Dossier,
    DossierBuilder,
    NoLotError,
    TooManyLotsError,
    lot_ids,
)
from graph_service.domain.readmodel import CATEGORY, FAMILY
from graph_service.domain.sheet import Named, Sheet, SheetBuilder, UnknownSubjectError, folded
from graph_service.formats.archives import fixed_dates
from graph_service.formats.negotiation import negotiate
from graph_service.formats.representations import HTML, Representation, by_name
from graph_service.problems import FieldError, Suggestion, format_not_offered, invalid, not_found
from graph_service.publishing.iris import Site
from graph_service.rendering import message
from graph_service.web.costly import costly
from graph_service.web.deps import runtime
from graph_service.web.files import download
from graph_service.web.html import html_page, page_date, page_language
from graph_service.web.request import public_url

router = APIRouter(include_in_schema=False)
DOCX = Representation("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
ODT = Representation("odt", "application/vnd.oasis.opendocument.text", ".odt")
OFFERS: tuple[Representation, ...] = (HTML, DOCX, ODT)


def dossier_ids(request: Request) -> list[str]:
    """The lots a page carries forward (`?dossier=<id>` repeated), for its « Ajouter au dossier » links."""
    return lot_ids(request.query_params.getlist("dossier"))[:MAX_LOTS]


def buyer_duties(sheets: SheetBuilder, sheet: Sheet) -> list[str]:
    """The ids of the sheet's other obligations that the buyer bears itself (shown open on the sheet)."""
    builder = DossierBuilder(sheets)
    return [d.ref.id for d in sheet.obligations if builder.buyer_bears(d)]


def dossier_href(ids: list[str], lang_query: str = "") -> str:
    """The dossier page of these category ids (relative to the site), keeping `?lang=`."""
    pairs = [("category", i) for i in lot_ids(ids)]
    if lang_query:
        pairs.append(("lang", lang_query.removeprefix("?lang=")))
    return "/dossier?" + urlencode(pairs)


def _site(request: Request) -> Site:
    settings = runtime(request).settings
    return Site(settings.base_iri, public_url(request, settings))


def _chosen(request: Request) -> Representation:
    """HTML, DOCX or ODT: `?format=` (name, suffix or media type) when given, as a download link sends
    it (a browser's Accept names text/html even then); else the Accept header. 406 for another format."""
    fmt = request.query_params.get("format")
    if fmt:
        requested = by_name(fmt, OFFERS)
        if requested is None:
            raise format_not_offered(fmt, OFFERS)
        return requested
    return negotiate(request.headers.get("accept"), OFFERS, named_only=(DOCX, ODT)) or HTML


def _choices(request: Request, lang: str) -> list[tuple[Named, list[Named]]]:
    """Every purchase category, under its family, by name (the picker's checkboxes)."""
    read = runtime(request).read
    out = []
    for fam in read.index.of_type(FAMILY):
        cats = [c for c in read.descendants(fam.iri) if read.index.is_a(c, CATEGORY) and not read.index.is_a(c, FAMILY)]
        named = sorted((Named(r.id, r.iri, r.name) for r in read.refs(cats, lang)), key=lambda n: folded(n.name))
        if named:
            out.append((Named(fam.id, fam.iri, fam.name(lang)), named))
    return sorted(out, key=lambda f: folded(f[0].name))


def _file(dossier: Dossier, chosen: Representation) -> Response:
    t = lambda key, **v: message(key, dossier.lang, **v)  # noqa: E731
    name = f"dossier-{'-'.join(dossier.ids)}-{dossier.date.isoformat()}{chosen.suffix}"
    body = dossier_docx(dossier, t) if chosen is DOCX else dossier_odt(dossier, t)
    return download(fixed_dates(body), chosen.media_type, name[:180])


def _page(
    request: Request,
    dossier: Dossier | None,
    asked: list[str],
    date_error: str | None,
    *,
    status: int = 200,
    problem: str = "",
    suggestions: list[Named] | None = None,
) -> Response:
    lang = page_language(request)
    site = _site(request)
    lang_query = f"?lang={lang}" if request.query_params.get("lang") in ("fr", "en") else ""
    chosen = dossier.ids if dossier else asked
    files: dict[str, str] = {}
    if dossier:
        pairs = [("category", i) for i in dossier.ids] + [("date", dossier.date.isoformat()), ("lang", lang)]
        files = {r.name: site.url("/dossier?" + urlencode([*pairs, ("format", r.name)])) for r in (DOCX, ODT)}
    return html_page(
        request,
        site,
        "dossier.html",
        status=status,
        dossier=dossier,
        chosen=chosen,
        date_error=date_error,
        problem=problem,
        suggestions=suggestions or [],
        choices=_choices(request, lang),
        files=files,
        max_lots=MAX_LOTS,
        lang_query=lang_query,
        dossier_href=dossier_href,
        role_document=ROLE_DOCUMENT,
    )


def build(request: Request) -> Response:
    """The dossier asked for, as a page or a file (on the admission's thread)."""
    chosen = _chosen(request)
    lang = page_language(request)
    on, date_error = page_date(request)
    asked = request.query_params.getlist("category")
    try:
        state = runtime(request)
        dossier = DossierBuilder(state.sheets, state.clauses).build(asked, on, lang)
    except NoLotError:
        if chosen is HTML:
            return _page(request, None, [], date_error)
        raise invalid([FieldError("query.category", "name at least one purchase category (category=laptop)")]) from None
    except TooManyLotsError as exc:
        if chosen is HTML:
            return _page(
                request,
                None,
                lot_ids(asked),
                date_error,
                status=422,
                problem=message("dossier.too_many", lang, n=exc.asked, max=exc.limit),
            )
        raise invalid([FieldError("query.category", str(exc))], limit=exc.limit) from exc
    except UnknownSubjectError as exc:
        if chosen is HTML:
            known = [i for i in lot_ids(asked) if i != exc.key]
            return _page(
                request,
                None,
                known,
                date_error,
                status=404,
                suggestions=exc.suggestions,
                problem=message("dossier.unknown", lang, id=exc.key[:80]),
            )
        raise not_found(
            f"no purchase category {exc.key[:80]!r}", [Suggestion(s.id, s.iri, s.name) for s in exc.suggestions]
        ) from exc
    if chosen is HTML:
        return _page(request, dossier, dossier.ids, date_error)
    return _file(dossier, chosen)


@router.get("/dossier")
async def dossier_page(request: Request) -> Response:
    """The buyer's dossier for the lots asked (`category` repeated), as a page, DOCX or ODT."""
    _chosen(request)  # a format not offered is refused before any work
    return await costly(request, lambda: build(request))
