"""What a request asks for: a representation, a language, gzip, and the public URL to answer with.

Each reader records the header it consulted, and the edge middleware sends them as `Vary`
(`web/edge.py`): no route writes `Vary` by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

from graph_service.config import Settings
from graph_service.negotiation import accepts_encoding, language, negotiate, with_format
from graph_service.problems import not_acceptable
from graph_service.representations import Representation

VARY_KEY = "graph_service.vary"
LANGUAGE_KEY = "graph_service.content-language"


def varies(request: Request, header: str) -> None:
    """Record that the answer depends on `header` (sent as Vary by the edge middleware)."""
    recorded: list[str] | None = request.scope.get(VARY_KEY)
    if recorded is not None and header not in recorded:
        recorded.append(header)


def accept(request: Request) -> str | None:
    """The Accept header, for a negotiation done further in (the SPARQL engine's)."""
    varies(request, "Accept")
    return request.headers.get("accept")


def representation(
    request: Request,
    offers: Sequence[Representation],
    *,
    suffix: Representation | None = None,
    named_only: Sequence[Representation] = (),
    requested: Representation | None = None,
) -> Representation:
    """The representation to send: the one a suffix names, else the one Accept prefers; else 406.

    `requested` is what `?format=` names: it decides unless Accept names one of the offers itself.
    """
    if suffix is not None:
        return suffix
    header = with_format(accept(request), requested, offers)
    chosen = negotiate(header, offers, named_only=named_only)
    if chosen is None:
        raise not_acceptable(header, offers)
    return chosen


def answer_language(request: Request, lang: str) -> None:
    """Record the language of the answer (sent as Content-Language by the edge middleware)."""
    request.scope[LANGUAGE_KEY] = lang


def preferred_language(request: Request, supported: Sequence[str], default: str) -> str:
    """The supported language Accept-Language prefers, else `default`."""
    varies(request, "Accept-Language")
    return language(request.headers.get("accept-language"), supported, default)


def wants_gzip(request: Request) -> bool:
    """Whether Accept-Encoding allows gzip."""
    varies(request, "Accept-Encoding")
    return accepts_encoding(request.headers.get("accept-encoding"), "gzip")


def public_url(request: Request, settings: Settings) -> str:
    """The base URL published in catalogues, links and redirects, without a trailing slash.

    KG_PUBLIC_BASE_URL when set; else the request's own base URL when its Host is one of
    KG_TRUSTED_HOSTS; else the configured base (`http://{KG_HOST}:{KG_PORT}`). An untrusted Host
    header never reaches a published URL.
    """
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    if not settings.trusted_host_names:
        return settings.configured_base_url
    varies(request, "Host")  # the answer names the Host it was asked under
    host = _host_name(request.headers.get("host", ""))
    if host and any(_host_matches(host, pattern) for pattern in settings.trusted_host_names):
        return str(request.base_url).rstrip("/")
    return settings.configured_base_url


def _host_name(header: str) -> str:
    """`Example.org:8080` -> `example.org`; `[::1]:80` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if ":" in header else header


def _host_matches(host: str, pattern: str) -> bool:
    pattern = pattern.lower()
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern
