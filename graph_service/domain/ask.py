"""Questions in French or English, routed to a named query, the label coverage or a category's sheet.

The route comes from cue words ("labels", "critères", "textes juridiques", "type I", "fiche"…) and
from the kinds of the entities the question names; the entities are linked by fuzzy matching over
every name and other name of the categories, families and labels (rapidfuzz; case, accents and
plurals ignored), and CPV codes by their digits. A question that fits no route, or that lacks the
entity its route needs, is answered as such, with questions that would work: nothing is guessed
beyond what the question names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from graph_service.domain.index import LANGS, ResourceIndex
from graph_service.domain.readmodel import CATEGORY, FAMILY, LABEL, ReadModel
from graph_service.domain.sheet import folded

MAX_QUESTION = 300
FUZZY_CUTOFF = 88.0  # partial_ratio over folded text: a typo or two in a name of 8+ letters
GENERIC = {"label", "labels", "nr", "tco label"}  # names that are also everyday words of a question
KINDS = {"category": CATEGORY, "family": FAMILY, "label": LABEL}
CPV_RE = re.compile(r"\b(\d{8})(?:-(\d))?\b")

# route -> cue phrases (folded, singular); the first route whose cue appears and whose entity is found wins
CUES: dict[str, tuple[str, ...]] = {
    "type-1-ecolabels-per-category": (
        "type i par categorie",
        "type 1 par categorie",
        "type i per category",
        "type 1 per category",
        "ecolabels de type i par",
        "nombre d ecolabel",
        "number of type",
        "how many type",
        "combien d ecolabel",
    ),
    "type-1-ecolabels": ("type i", "type 1", "iso 14024"),
    "good-practices": ("bonne pratique", "good practice", "best practice"),
    "legal-texts-by-family": (
        "texte juridique",
        "textes juridique",
        "legal text",
        "loi",
        "law",
        "decret",
        "reglementation",
        "regulation",
        "cadre juridique",
        "legal",
    ),
    "obligations-by-cpv": ("obligation", "cpv"),
    "criteria-of-family": ("critere", "clause", "criteria", "criterion"),
    "coverage": ("couverture", "coverage", "matrice", "matrix", "tableau des label"),
    "categories-for-label": (
        "couvre",
        "couvert par",
        "cover",
        "s applique",
        "apply",
        "applies",
        "pour quel",
        "which equipment",
        "what equipment",
        "quels equipement",
        "quelles categorie",
        "which categor",
        "what does",
    ),
    "labels-for-category": ("label", "ecolabel", "certification", "certified", "certifie"),
    "sheet": (
        "fiche",
        "sheet",
        "acheter",
        "achat",
        "buy",
        "purchase",
        "que dois",
        "what should",
        "exigence",
        "requirement",
    ),
}
NEEDS: dict[str, tuple[str, ...]] = {  # the entity kinds a route binds (first found is used)
    "labels-for-category": ("category",),
    "categories-for-label": ("label",),
    "criteria-of-family": ("family",),
    "legal-texts-by-family": ("family",),  # optional
    "obligations-by-cpv": ("cpv",),  # optional
    "coverage": ("label", "category"),  # optional
    "sheet": ("category",),
}
OPTIONAL = {
    "legal-texts-by-family",
    "obligations-by-cpv",
    "coverage",
    "type-1-ecolabels",
    "type-1-ecolabels-per-category",
    "good-practices",
}
SUGGESTIONS = {
    "fr": [
        "Quels labels pour un ordinateur portable ?",
        "Que couvre le label TCO Certified ?",
        "Quels critères pour les matériels bureautiques ?",
        "Quels textes juridiques pour l'impression ?",
        "Quels sont les écolabels de type I ?",
        "Fiche d'achat pour des imprimantes",
    ],
    "en": [
        "Which labels for a laptop?",
        "What does the Blue Angel label cover?",
        "Which criteria for office IT equipment?",
        "Which legal texts apply to printing solutions?",
        "Which are the type I ecolabels?",
        "Purchase sheet for printers",
    ],
}
FRENCH_WORDS = {
    "quel",
    "quelle",
    "quels",
    "quelles",
    "pour",
    "les",
    "des",
    "une",
    "un",
    "le",
    "la",
    "du",
    "que",
    "qui",
    "est",
    "sont",
    "dois",
    "je",
    "achat",
    "acheter",
    "fiche",
    "couvre",
    "texte",
}


def normalized(text: str) -> str:
    """Folded (case, accents), punctuation as spaces, each word singular (a trailing s or x dropped)."""
    words = re.sub(r"[^a-z0-9%+]+", " ", folded(text)).split()
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" and not w.endswith("ss") else w for w in words)


@dataclass(frozen=True)
class Link:
    """An entity the question names: its kind, id, name, and the words that matched (with the score)."""

    kind: str
    id: str
    iri: str
    name: str
    matched: str
    score: float


@dataclass
class Understanding:
    """How a question was read: its language, route, linked entities and the parameters bound."""

    question: str
    lang: str
    route: str | None
    links: list[Link] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    missing: str | None = None  # the entity kind the route needed and the question did not name


class Linker:
    """Fuzzy entity linking over the names and other names of categories, families and labels."""

    def __init__(self, index: ResourceIndex) -> None:
        self.entries: list[tuple[str, str, str, str]] = []  # (normalized name, kind, id, iri)
        self.index = index
        for kind, cls in KINDS.items():
            for res in index.of_type(cls):
                if kind == "category" and index.is_a(res.iri, FAMILY):
                    continue
                names = [*(res.names.get(lang, "") for lang in (*LANGS, "")),
                         *(n for lang in res.alt_names for n in res.alt_names[lang])]  # fmt: skip
                for name in dict.fromkeys(n for n in names if n):
                    key = normalized(name)
                    if len(key) >= 2 and key not in GENERIC:
                        self.entries.append((key, kind, res.id, res.iri))

    def link(self, question: str, lang: str) -> list[Link]:
        """The best entity of each kind the question names (exact words first, then close spellings)."""
        text = f" {normalized(question)} "
        best: dict[str, tuple[tuple[float, int], Link]] = {}
        for key, kind, rid, iri in self.entries:
            if f" {key} " in text:
                score = 100.0
            elif len(key) >= 8:
                score = fuzz.partial_ratio(key, text, score_cutoff=FUZZY_CUTOFF)
                if not score:
                    continue
            else:
                continue
            rank = (score, len(key))
            if kind not in best or rank > best[kind][0]:
                res = self.index.get(iri)
                name = res.name(lang) if res else rid
                best[kind] = (rank, Link(kind, rid, iri, name, key, round(score, 1)))
        links = [link for _rank, link in best.values()]
        # a name inside a longer one of another kind ("imprimante" in "solutions d'impression") yields
        for link in list(links):
            if any(o is not link and o.score == 100 and link.score == 100 and f" {link.matched} " in f" {o.matched} "
                   and len(o.matched) > len(link.matched) for o in links):  # fmt: skip
                links.remove(link)
        for match in CPV_RE.finditer(question):
            code = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
            links.append(Link("cpv", code, "", code, match.group(0), 100.0))
        return links


def language(question: str) -> str:
    """French when the question has French words or accents, else English."""
    words = set(re.findall(r"[a-zà-ÿ]+", question.lower()))
    return "fr" if words & FRENCH_WORDS or re.search(r"[àâçéèêëîïôûùüÿœ]", question.lower()) else "en"


def understand(question: str, linker: Linker, lang: str | None = None) -> Understanding:
    """Route a question and bind the route's parameters from the entities it names."""
    question = question[:MAX_QUESTION]
    lang = lang or language(question)
    links = linker.link(question, lang)
    kinds = {link.kind: link for link in links}
    text = f" {normalized(question)} "
    found = Understanding(question, lang, None, links)
    for route, cues in CUES.items():
        if not any(f" {normalized(cue)}" in text for cue in cues):
            continue
        needs = NEEDS.get(route, ())
        if needs and not any(k in kinds for k in needs) and route not in OPTIONAL:
            found.route, found.missing = route, needs[0]
            continue  # a later route may fit what the question does name
        found.route, found.missing = route, None
        break
    if found.route is None or found.missing is not None:
        # no cue, or a cue without its entity: the entity alone decides (a label: what it covers;
        # a category: its sheet; a family: its criteria; a CPV code: its obligations)
        for kind, route in (("cpv", "obligations-by-cpv"), ("label", "categories-for-label"),
                            ("category", "sheet"), ("family", "criteria-of-family")):  # fmt: skip
            if kind in kinds and (found.route is None or kind in NEEDS.get(found.route, ())
                                  or found.missing is not None):  # fmt: skip
                found.route, found.missing = route, None
                break
    if found.route is not None and found.missing is None:
        for kind in NEEDS.get(found.route, ()):
            if kind in kinds:
                param = {"cpv": "code"}.get(kind, kind)
                found.params[param] = kinds[kind].id
                if found.route != "coverage":
                    break
    return found


def coverage_rows(read: ReadModel, index: ResourceIndex, label: str | None, category: str | None,
                  lang: str) -> tuple[list[dict[str, object]], list[str]]:  # fmt: skip
    """The coverage statements (as /api/coverage reads them), for one label or category (which inherits
    those of its broader categories); LookupError for an unknown id."""

    def iri_of(key: str | None, kind: str) -> str | None:
        if key is None:
            return None
        res = index.resolve(key)
        if res is None:
            raise LookupError(f"no {kind} {key!r}")
        return res.iri

    label_iri, category_iri = iri_of(label, "label"), iri_of(category, "category")
    wanted = {category_iri, *read.ancestors(category_iri)} if category_iri else None
    rows: list[dict[str, object]] = []
    sources: set[str] = set()
    for (lab, cat), (cov, cited) in sorted(read.coverage_statements().items()):
        if label_iri not in (None, lab) or (wanted is not None and cat not in wanted):
            continue
        label_ref, category_ref = read.ref(lab, lang), read.ref(cat, lang)
        how = "inherited" if category_iri and cat != category_iri else "direct"
        rows.append({"label": label_ref.id, "label_name": label_ref.name, "category": category_ref.id,
                     "category_name": category_ref.name, "how": how, "coverage": cov,
                     "sources": cited})  # fmt: skip
        sources.update(cited)
    return rows, sorted(sources)
