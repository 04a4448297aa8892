""" "What are you buying?": find purchase categories, families, CPV codes and labels by name or code.

Matching ignores case, accents and plural endings (-s, -x) and works on the names and other names in
French and English. A run of digits matches CPV codes by prefix, with or without the check digit; an
8-digit code the graph lacks is answered by its nearest ancestor in the graph, and the purchase
categories whose CPV code is that code or falls under it are found too. Results go from the most to
the least likely: exact names, then names starting with the words, then names containing every
word; categories and families first (they have a sheet), then CPV codes, then labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from graph_service.domain.index import LANGS, Resource, ResourceIndex
from graph_service.domain.profile import CPV, zeroed_ancestors
from graph_service.domain.readmodel import ANR, CATEGORY, CPV_CODE, FAMILY, LABEL, SKOS, ReadModel, iris, literal
from graph_service.domain.sheet import folded

HitKind = Literal["family", "category", "cpv", "label"]
KIND_ORDER: tuple[HitKind, ...] = ("family", "category", "cpv", "label")
CLASSES: dict[HitKind, str] = {"family": FAMILY, "category": CATEGORY, "cpv": CPV_CODE, "label": LABEL}
HIDDEN = "hidden"  # the language slot of hidden labels: searched, never shown
MAX_QUERY = 200
CODE_QUERY = re.compile(r"\s*(\d{2,8})(?:\s*-?\s*\d)?\s*")


def normalised(text: str) -> str:
    """The one matching rule of the search (and of the question box), applied to names and queries alike.

    - case: `str.casefold` ("ÉCRANS" and "écrans" match);
    - accents: removed after Unicode NFKD, and the ligatures œ and æ written oe and ae;
    - hyphens, apostrophes and other punctuation: word breaks ("multi-fonction", "d'impression"); the
      search also compares names and queries without their spaces, so "multi-fonction" finds "multifonction";
    - French plurals, word by word, for words over three letters: "-aux" becomes "-al" (terminaux ->
      terminal), a final "-s" or "-x" is dropped (imprimantes -> imprimante, multifonctions -> multifonction).

    "Imprimantes multi-fonctions" -> "imprimante multi fonction"; "ÉCRANS" -> "ecran".
    """
    text = unicodedata.normalize("NFKD", text.casefold()).replace("œ", "oe").replace("æ", "ae")
    plain = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+|_", " ", plain).split()
    return " ".join(_singular(w) for w in words)


def _singular(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("aux"):
        return word[:-3] + "al"
    return word[:-1] if word[-1] in "sx" else word


@dataclass(frozen=True)
class Hit:
    """One search result: what it is, its id and name, and (for CPV codes) its notation."""

    kind: HitKind
    id: str
    iri: str
    name: str
    code: str | None
    matched: str  # the other name of the page's language that matched ("" when none to show)


class Finder:
    """Search over the names of the resources a buyer starts from (built once, read-only)."""

    def __init__(self, read: ReadModel) -> None:
        self.read = read
        self.entries: list[tuple[HitKind, Resource, str | None, list[tuple[str, str]]]] = []
        index: ResourceIndex = read.index
        for kind in KIND_ORDER:
            for res in index.of_type(CLASSES[kind]):
                if kind == "category" and index.is_a(res.iri, FAMILY):
                    continue
                code = literal(read.props(res.iri).get(SKOS + "notation")) if kind == "cpv" else None
                names = [
                    *((res.names.get(lang, ""), lang) for lang in (*LANGS, "")),
                    *((n, lang) for lang in res.alt_names for n in res.alt_names[lang]),
                    *((n, HIDDEN) for lang in res.hidden_names for n in res.hidden_names[lang]),
                ]
                self.entries.append((kind, res, code, [(n, lang) for n, lang in dict.fromkeys(names) if n]))

    def search(self, query: str, lang: str, limit: int = 20) -> list[Hit]:
        """The best matches of `query` (empty for an empty query)."""
        text_query = normalised(query[:MAX_QUERY])
        if not text_query:
            return []
        code = CODE_QUERY.fullmatch(query[:MAX_QUERY])
        digits = code.group(1) if code else ""
        by_code = self._code_ranks(digits) if digits else {}
        wanted = text_query
        compact = wanted.replace(" ", "")  # "multi fonction" finds "multifonction" and the reverse
        scored: list[tuple[int, int, str, Hit]] = []
        for kind, res, notation, names in self.entries:
            best: tuple[int, str] | None = None
            if res.iri in by_code:
                best = by_code[res.iri]
            for name, name_lang in names:
                text = normalised(name)
                if text == wanted or text.replace(" ", "") == compact:
                    rank = 0
                elif text.startswith(wanted) or text.replace(" ", "").startswith(compact):
                    rank = 1
                elif all(re.search(rf"\b{re.escape(w)}", text) for w in wanted.split()):
                    rank = 2
                else:
                    continue
                if best is None or rank < best[0]:
                    # a hidden label or another language's name is not shown beside the page's name
                    best = (rank, name if name_lang in (lang, "") else "")
            if best is not None:
                hit = Hit(kind, res.id, res.iri, res.name(lang), notation, best[1])
                scored.append((best[0], KIND_ORDER.index(kind), folded(hit.name), hit))
        scored.sort(key=lambda s: s[:3])
        return [s[3] for s in scored[:limit]]

    def _code_ranks(self, digits: str) -> dict[str, tuple[int, str]]:
        """CPV concepts and categories a run of digits finds, with rank and the code matched."""
        read, index = self.read, self.read.index
        out: dict[str, tuple[int, str]] = {}
        concepts = [r.iri for r in index.of_type(CPV_CODE)]
        for iri in concepts:
            if iri.removeprefix(CPV).startswith(digits):
                out[iri] = (0 if iri.removeprefix(CPV) == digits else 1, self._notation(iri))
        anchor = CPV + digits if CPV + digits in concepts else None
        if anchor is None and len(digits) == 8:
            anchor = next((CPV + d for d in zeroed_ancestors(digits) if CPV + d in concepts), None)
            if anchor:
                out.setdefault(anchor, (1, self._notation(anchor)))
        for res in index.of_type(CATEGORY):
            for concept in iris(read.props(res.iri).get(ANR + "cpvCode")):
                lineage = [concept, *read.ancestors(concept)]
                if anchor and anchor in lineage:
                    rank = 0 if concept == anchor else 1
                elif concept.removeprefix(CPV).startswith(digits):
                    rank = 2
                else:
                    continue
                if res.iri not in out or rank < out[res.iri][0]:
                    out[res.iri] = (rank, self._notation(concept))
        return out

    def _notation(self, concept: str) -> str:
        return literal(self.read.props(concept).get(SKOS + "notation")) or concept.removeprefix(CPV)
