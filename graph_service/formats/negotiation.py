"""The request headers that choose an answer: one q-value parser for every `Accept-*` header.

`Accept`, `Accept-Language` and `Accept-Encoding` are all lists of `value;param=x;q=0.5`
(RFC 9110 §12.4.2); `parse_weighted` reads them once, and skips what is malformed (an entry with a
bad value or a bad q is ignored, never refused; a header with no valid entry counts as absent).
`negotiate` picks a representation among the offers of a route; `If-None-Match` lists are read here
too. Plain functions over header strings: the web layer and the SPARQL engine share them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from graph_service.formats.representations import Representation

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
_QVALUE = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")
_ENTITY_TAG = re.compile(r'(?:W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
_LANGUAGE = re.compile(r"\*|[a-z]{1,8}(-[a-z0-9]{1,8})*")


@dataclass(frozen=True)
class Weighted:
    """One entry of an `Accept-*` header: its value (lower case), parameters and weight."""

    value: str
    q: float
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 if the range does not cover `media_type`, else 0 (*/*), 1 (type/*) or 2 (exact)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_weighted(header: str | None) -> list[Weighted]:
    """The entries of an `Accept-*` header, in order; malformed entries are skipped."""
    entries: list[Weighted] = []
    for part in _split_outside_quotes(header or "", ","):
        fields = _split_outside_quotes(part, ";")
        if not fields:
            continue
        value = fields[0].strip().lower()
        q: float | None = 1.0
        params: list[tuple[str, str]] = []
        for field in fields[1:]:
            name, _, raw = field.partition("=")
            name = name.strip().lower()
            if name == "q":
                q = _quality(raw.strip())
                break
            params.append((name, raw.strip()))
        if value and q is not None:
            entries.append(Weighted(value, q, tuple(params)))
    return entries


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header (`type/subtype`, `type/*`, `*/*`)."""
    ranges: list[MediaRange] = []
    for entry in parse_weighted(header):
        main, slash, sub = entry.value.partition("/")
        if not slash or not _TOKEN.fullmatch(main) or not _TOKEN.fullmatch(sub):
            continue
        if main == "*" and sub != "*":
            continue
        ranges.append(MediaRange(main, sub, entry.q))
    return ranges


def quality_of(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q the client gives `media_type`: that of the most specific range covering it."""
    found = -1
    q = 0.0
    for media_range in ranges:
        level = media_range.specificity(media_type)
        if level > found or (level == found and media_range.q > q):
            found, q = level, media_range.q
    return q if found >= 0 else 0.0


def negotiate(
    accept: str | None,
    offers: Sequence[Representation],
    *,
    named_only: Sequence[Representation] = (),
) -> Representation | None:
    """The offer the Accept header prefers most (ties: the offers' order); None means 406.

    An offer in `named_only` (the query page among data formats) is chosen only when the client
    names its media type itself, never through a wildcard. Without a usable Accept header, the
    first offer not in `named_only` is the answer. Remembered for the last few hundred headers:
    clients send few distinct ones, and parsing one costs tens of microseconds.
    """
    return _negotiate(accept, tuple(offers), tuple(named_only))


@lru_cache(maxsize=512)
def _negotiate(
    accept: str | None, offers: tuple[Representation, ...], named_only: tuple[Representation, ...]
) -> Representation | None:
    ranges = parse_accept(accept)
    if not ranges:
        return next((o for o in offers if o not in named_only), None)
    exact = [r for r in ranges if r.type != "*" and r.subtype != "*"]
    best: Representation | None = None
    best_rank = (0.0, False)
    for offer in offers:
        usable = exact if offer in named_only else ranges
        canonical = quality_of(usable, offer.media_type)
        alias = max((quality_of(usable, t) for t in offer.aliases), default=0.0)
        rank = (canonical, True) if canonical >= alias else (alias, False)  # canonical types win ties
        if rank[0] > 0 and rank > best_rank:
            best, best_rank = offer, rank
    return best


def names_an_offer(accept: str | None, offers: Sequence[Representation]) -> bool:
    """Whether Accept names one of the offers itself (media type or alias, q > 0); wildcards name none."""
    exact = [r for r in parse_accept(accept) if r.type != "*" and r.subtype != "*"]
    return any(quality_of(exact, t) > 0 for o in offers for t in (o.media_type, *o.aliases))


def language(header: str | None, supported: Sequence[str], default: str) -> str:
    """The supported language the Accept-Language header prefers (ties: the header's order)."""
    best: tuple[float, int] = (0.0, 0)
    chosen = default
    for position, entry in enumerate(parse_weighted(header)):
        if not _LANGUAGE.fullmatch(entry.value):
            continue
        primary = entry.value.split("-")[0]
        for lang in supported:
            if (primary == lang or (primary == "*" and lang == default)) and (entry.q, -position) > best:
                best, chosen = (entry.q, -position), lang
    return chosen


def accepts_encoding(header: str | None, coding: str) -> bool:
    """Whether Accept-Encoding allows `coding` (its own entry, else `*`, with q > 0)."""
    entries = [e for e in parse_weighted(header) if _TOKEN.fullmatch(e.value)]
    for wanted in (coding, "*"):
        weights = [e.q for e in entries if e.value == wanted]
        if weights:
            return max(weights) > 0
    return False


def entity_tags(header: str) -> set[str] | None:
    """The opaque tags of an `If-None-Match` header (RFC 9110 §13.1.2), weak or strong alike.

    `*` alone gives `{"*"}`; an entry that is not an entity tag (`W/"x"` or `"x"`) is ignored, and a
    header with no valid entry gives None (it counts as absent).
    """
    if header.strip() == "*":
        return {"*"}
    tags = {m.group(1) for part in header.split(",") if (m := _ENTITY_TAG.fullmatch(part.strip()))}
    return tags or None


def _quality(value: str) -> float | None:
    """A q-value between 0 and 1 (at most three decimals), or None when it is not one."""
    value = value.strip('"')
    return float(value) if _QVALUE.fullmatch(value) else None


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]
