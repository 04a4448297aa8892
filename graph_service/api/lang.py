"""The response language: `?lang=fr|en`, else the Accept-Language header, else English."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Header, Query, Response

Lang = Literal["fr", "en"]
SUPPORTED: tuple[Lang, ...] = ("fr", "en")
DEFAULT: Lang = "en"


def from_accept_language(header: str | None) -> Lang:
    """The supported language the header prefers most (RFC 9110 q-values); English if none."""
    best: tuple[float, int] = (0.0, 0)
    chosen: Lang = DEFAULT
    for position, part in enumerate((header or "").split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.lower().split("-")[0]
        for lang in SUPPORTED:
            if primary == lang and (q, -position) > best:
                best, chosen = (q, -position), lang
    return chosen if best[0] > 0 else DEFAULT


def negotiate_lang(
    response: Response,
    lang: Annotated[Lang | None, Query(description="Language of names: fr or en (default: Accept-Language)")] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Lang:
    """FastAPI dependency: the language of the answer; sets Content-Language."""
    chosen = lang or from_accept_language(accept_language)
    response.headers["Content-Language"] = chosen
    response.headers["Vary"] = "Accept, Accept-Language"
    return chosen
