"""The response language: `?lang=fr|en`, else the Accept-Language header, else English."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from fastapi import Query, Request, Response

from graph_service.web.request import preferred_language

Lang = Literal["fr", "en"]
SUPPORTED: tuple[Lang, ...] = ("fr", "en")
DEFAULT: Lang = "en"


def negotiate_lang(
    request: Request,
    response: Response,
    lang: Annotated[Lang | None, Query(description="Language of names: fr or en (default: Accept-Language)")] = None,
) -> Lang:
    """FastAPI dependency: the language of the answer; sets Content-Language."""
    chosen = lang or cast(Lang, preferred_language(request, SUPPORTED, DEFAULT))
    response.headers["Content-Language"] = chosen
    return chosen
