"""HTTP `Accept` parsing (RFC 9110 §12.5.1): media ranges, q-values, wildcards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an Accept header; malformed entries (bad media range or bad q) are skipped."""
    ranges: list[MediaRange] = []
    for part in _split_outside_quotes(header, ","):
        fields = _split_outside_quotes(part, ";")
        media = fields[0].strip().lower()
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q: float | None = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = _quality(value.strip())
                break
        if q is not None:
            ranges.append(MediaRange(main, sub, q))
    return ranges


def choose(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers most (ties: server order); None if none fits."""
    if header is None or not header.strip():
        return offers[0] if offers else None
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best: str | None = None
    best_q = 0.0
    for offer in offers:
        q = quality_of(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def quality_of(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q the client gives `media_type`: that of the most specific range covering it."""
    found = -1
    q = 0.0
    for media_range in ranges:
        level = media_range.specificity(media_type)
        if level > found or (level == found and media_range.q > q):
            found, q = level, media_range.q
    return q if found >= 0 else 0.0


def _quality(value: str) -> float | None:
    """A q-value between 0 and 1, or None when it is not one (RFC 9110 §12.4.2)."""
    try:
        q = float(value.strip('"'))
    except ValueError:
        return None
    return q if 0.0 <= q <= 1.0 else None


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
