"""HTML answers: the page's language (`?lang=`, else Accept-Language, else French) and the rendered template.

Routes call `html_page(request, site, "resource.html", **context)`; the template gets `lang`, `site`
and `switch` (the URL of this page in each language) besides the route's context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from graph_service.publishing.iris import Site
from graph_service.rendering import DEFAULT_LANGUAGE, LANGUAGES, render
from graph_service.web.caching import for_today
from graph_service.web.colophon import colophon
from graph_service.web.deps import RUNTIME_KEY
from graph_service.web.request import answer_language, preferred_language
from graph_service.web.source_names import named_source_parts


def page_language(request: Request) -> str:
    """The page's language: `?lang=fr|en` when given, else the one Accept-Language prefers, else French."""
    asked = request.query_params.get("lang")
    chosen = asked if asked in LANGUAGES else preferred_language(request, LANGUAGES, DEFAULT_LANGUAGE)
    answer_language(request, chosen)
    return chosen


def language_links(request: Request) -> dict[str, str]:
    """This page's URL (relative: its query string) in each language."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: "?" + urlencode([*kept, ("lang", code)]) for code in LANGUAGES}


ROUTES_KEY = "graph_service.route_paths"


def _routes(request: Request) -> frozenset[str]:
    """The app's route paths: the menu links only to pages the app serves (the dossier may be absent)."""
    found = getattr(request.app.state, ROUTES_KEY, None)
    if found is None:
        found = frozenset(_paths(request.app.routes))
        setattr(request.app.state, ROUTES_KEY, found)
    return found


def _paths(routes: Iterable[object]) -> Iterator[str]:
    for route in routes:
        path = getattr(route, "path", None)
        if isinstance(path, str):
            yield path
        inner = getattr(route, "original_router", route)  # FastAPI keeps an included router as it was given
        yield from _paths(getattr(inner, "routes", None) or ())


def html_page(
    request: Request,
    site: Site,
    template: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The template rendered in the page's language, as an HTML response."""
    lang = page_language(request)
    found = getattr(request.app.state, RUNTIME_KEY, None)
    reviewed = getattr(getattr(found, "read", None), "reviewed", None)  # the data's « à jour au », if served
    text = render(
        template,
        lang=lang,
        site=site,
        switch=language_links(request),
        reviewed=reviewed,
        colophon=colophon(found, lang),
        page_path=request.url.path,
        has_route=_routes(request),
        keep_lang=f"?lang={lang}" if request.query_params.get("lang") in LANGUAGES else "",
        source_parts=named_source_parts(getattr(found, "index", None), lang),
        **context,
    )
    return HTMLResponse(text, status_code=status, headers=headers)


def page_date(request: Request) -> tuple[dt.date, str | None]:
    """The day a page answers for (`?date=`), and the refused text when it is not a day (then today)."""
    raw = request.query_params.get("date", "").strip()
    try:
        return dt.date.fromisoformat(raw), None
    except ValueError:
        for_today(request)
        return dt.date.today(), raw[:40] or None
