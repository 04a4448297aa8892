"""The pages a French public service owes its visitors: « Données et API » (`/donnees`, the technical pages
in one place), « Mentions légales » (`/mentions-legales`) and « Déclaration d'accessibilité »
(`/accessibilite`, after the RGAA 4.1 model). The operator fills the hosting and the director of
publication by settings (`KG_LEGAL_HOSTING`, `KG_LEGAL_DIRECTOR`); nothing here invents a name.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.config import DEFAULT_CONTACT_EMAIL
from graph_service.publishing.iris import Site
from graph_service.web.deps import runtime
from graph_service.web.html import html_page
from graph_service.web.request import public_url

router = APIRouter()

# The accessibility statement: the date it was written and the compliance level it states. RGAA 4.1
# counts a service with no valid audit of its criteria as « non conforme »: change both after an audit.
STATEMENT_DATE = dt.date(2026, 12, 7)
COMPLIANCE = "non-conforme"
TESTED_PAGES = (
    "/",
    "/fiche/categorie/laptop",
    "/recherche?q=copieur",
    "/id/label/tco-certified",
    "/sparql",
    "/mentions-legales",
    "/accessibilite",
    "/donnees",
)


def _site(request: Request) -> Site:
    settings = runtime(request).settings
    return Site(settings.base_iri, public_url(request, settings))


def _contact(request: Request) -> str:
    """The contact address, or "" while it is still the reserved default."""
    email = runtime(request).settings.contact_email
    return "" if email == DEFAULT_CONTACT_EMAIL or email.endswith(".invalid") else email


@router.get("/donnees", include_in_schema=False)
async def data_pages(request: Request) -> Response:
    """« Données et API »: the technical pages, for analysts and developers."""
    return html_page(request, _site(request), "data_pages.html")


@router.get("/mentions-legales", include_in_schema=False)
async def legal_notice(request: Request) -> Response:
    """The legal notice: publisher, director of publication, hosting, licences, personal data."""
    settings = runtime(request).settings
    return html_page(
        request,
        _site(request),
        "legal.html",
        hosting=settings.legal_hosting.strip(),
        director=settings.legal_director.strip(),
        contact=_contact(request),
    )


@router.get("/accessibilite", include_in_schema=False)
async def accessibility(request: Request) -> Response:
    """The accessibility statement (RGAA 4.1 model): level, what was tested, feedback, remedies."""
    return html_page(
        request,
        _site(request),
        "accessibility.html",
        contact=_contact(request),
        statement_date=STATEMENT_DATE,
        compliance=COMPLIANCE,
        tested_pages=TESTED_PAGES,
    )
