""""What are you buying?": find purchase categories, families, CPV codes and labels by name or code.

Matching ignores case and accents and works on the names and other names in French and English;
a run of digits matches CPV codes by prefix. Results go from the most to the least likely:
exact names, then names starting with the words, then names containing every word; categories
and families first (they have a sheet), then CPV codes, then labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from graph_service.domain.index import LANGS, Resource, ResourceIndex
from graph_service.domain.readmodel import CATEGORY, CPV_CODE, FAMILY, LABEL, SKOS, ReadModel, literal
from graph_service.domain.sheet import folded

HitKind = Literal["family", "category", "cpv", "label"]
KIND_ORDER: tuple[HitKind, ...] = ("family", "category", "cpv", "label")
CLASSES: dict[HitKind, str] = {"family": FAMILY, "category": CATEGORY, "cpv": CPV_CODE, "label": LABEL}
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    """One search result: what it is, its id and name, and (for CPV codes) its notation."""

    kind: HitKind
    id: str
    iri: str
    name: str
    code: str | None
    matched: str


class Finder:
    """Search over the names of the resources a buyer starts from (built once, read-only)."""

    def __init__(self, read: ReadModel) -> None:
        self.read = read
        self.entries: list[tuple[HitKind, Resource, str | None, list[str]]] = []
        index: ResourceIndex = read.index
        for kind in KIND_ORDER:
            for res in index.of_type(CLASSES[kind]):
                if kind == "category" and index.is_a(res.iri, FAMILY):
                    continue
                code = literal(read.props(res.iri).get(SKOS + "notation")) if kind == "cpv" else None
                names = [*(res.names.get(lang, "") for lang in (*LANGS, "")),
                         *(n for lang in res.alt_names for n in res.alt_names[lang])]
                self.entries.append((kind, res, code, [n for n in dict.fromkeys(names) if n]))

    def search(self, query: str, lang: str, limit: int = 20) -> list[Hit]:
        """The best matches of `query` (empty for an empty query)."""
        words = folded(query[:MAX_QUERY]).replace("-", " ").split()
        if not words:
            return []
        digits = "".join(re.findall(r"\d", query)) if re.fullmatch(r"[\d\s-]+", query.strip()) else ""
        scored: list[tuple[int, int, str, Hit]] = []
        for kind, res, code, names in self.entries:
            best: tuple[int, str] | None = None
            if digits and kind == "cpv" and res.id.startswith(digits[:8]):
                best = (0, code or res.id)
            for name in names:
                text = folded(name)
                if text == " ".join(words):
                    rank = 0
                elif text.startswith(" ".join(words)):
                    rank = 1
                elif all(re.search(rf"\b{re.escape(w)}", text) for w in words):
                    rank = 2
                else:
                    continue
                if best is None or rank < best[0]:
                    best = (rank, name)
            if best is not None:
                hit = Hit(kind, res.id, res.iri, res.name(lang), code, best[1])
                scored.append((best[0], KIND_ORDER.index(kind), folded(hit.name), hit))
        scored.sort(key=lambda s: s[:3])
        return [s[3] for s in scored[:limit]]
