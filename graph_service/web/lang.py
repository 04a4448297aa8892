"""The response language: `?lang=fr|en`, else the Accept-Language header, else English."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from fastapi import Query, Request

from graph_service.web.request import answer_language, preferred_language

Lang = Literal["fr", "en"]
SUPPORTED: tuple[Lang, ...] = ("fr", "en")
DEFAULT: Lang = "en"


async def negotiate_lang(
    request: Request,
    lang: Annotated[Lang | None, Query(description="Language of names: fr or en (default: Accept-Language)")] = None,
) -> Lang:
    """FastAPI dependency: the language of the answer (sent as Content-Language)."""
    chosen = lang or cast(Lang, preferred_language(request, SUPPORTED, DEFAULT))
    answer_language(request, chosen)
    return chosen
