"""What a request asks for: a representation, a language, gzip, and the public URL to answer with.

Each reader records the header it consulted, and the edge middleware sends them as `Vary`
(`web/edge.py`): no route writes `Vary` by hand.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, unquote

from starlette.datastructures import QueryParams
from starlette.requests import Request

from graph_service.config import Settings
from graph_service.formats.negotiation import accepts_encoding, language, names_an_offer, negotiate
from graph_service.formats.representations import Representation
from graph_service.problems import not_acceptable

VARY_KEY = "graph_service.vary"
PARAMS_KEY = "graph_service.query-params"
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
    header = accept(request)
    if requested is not None and not names_an_offer(header, offers):
        return requested  # Accept names no offer (a wildcard at most): `?format=` decides
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


def query_params(request: Request) -> QueryParams:
    """The query string's parameters exactly as Starlette reads them (`parse_qsl`, blank values kept),
    remembered on the request."""
    params: QueryParams | None = request.scope.get(PARAMS_KEY)
    if params is None:
        params = request.scope[PARAMS_KEY] = QueryParams(parse_query_string(request.scope["query_string"]))
    return params


def parse_query_string(raw: bytes) -> list[tuple[str, str]]:
    """`parse_qsl(raw.decode("latin-1"), keep_blank_values=True)`, with the escapes decoded in C.

    Kept for its measured gain (bench/README.md, "Issue 24"): on the bench's query strings (1,300
    characters, mostly `%XX`) urllib takes ~130 µs a request, decoding one escape at a time in
    Python; this reading ~33 µs. A value with a `%` not followed by two hex digits, or a query
    string with other than ASCII, is left to urllib, so every reading is urllib's (a differential
    test checks it: tests/web/test_query_string.py).
    """
    text = raw.decode("latin-1")
    if not raw.isascii():
        return parse_qsl(text, keep_blank_values=True)
    pairs = []
    for field in text.split("&"):
        if field:
            name, _, value = field.partition("=")
            pairs.append((_unquote_plus(name), _unquote_plus(value)))
    return pairs


_NOT_AN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _unquote_plus(text: str) -> str:
    """`%XX` escapes read as quoted-printable `=XX` ones by binascii (a literal `=` escaped first)."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    if _NOT_AN_ESCAPE.search(text):
        return unquote(text)
    return binascii.a2b_qp(text.replace("=", "=3D").replace("%", "=")).decode("utf-8", "replace")
