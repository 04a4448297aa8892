"""Source links named for people: « Guide : Fiche impression › Réglementation », not the URL's slugs.

`named_source_parts(index, lang)` has the signature of `formatting.source_parts` (url -> site key, where)
and replaces it in the pages' templates: the page's French name comes from the graph (`anr:SourcePage`
prefLabel in data/sources.ttl), the section's from the table below; an unknown one is its slug in words.
"""

from __future__ import annotations

from collections.abc import Callable

from graph_service.domain.index import ResourceIndex
from graph_service.formats.formatting import source_parts

# The guide's section anchors used in the data, named in French and English.
SECTIONS: dict[str, tuple[str, str]] = {
    "exemples": ("Exemples", "Examples"),
    "reglementation": ("Réglementation", "Regulation"),
    "echanges": ("Échanges", "Exchanges"),
    "tableau-ecolabels": ("Tableau des écolabels", "Ecolabel table"),
    "exemple-annexe-performance-environnementale": (
        "Exemple d'annexe de performance environnementale",
        "Example of an environmental performance annex",
    ),
    "exemple-annexe-performance-environnementale-serveurs": (
        "Exemple d'annexe de performance environnementale (serveurs)",
        "Example of an environmental performance annex (servers)",
    ),
    "declarations-environnementales": ("Déclarations environnementales", "Environmental declarations"),
    "ecolabels-type-1": ("Écolabels de type I", "Type I ecolabels"),
    "exemple-annexe-memoire-social": ("Exemple d'annexe de mémoire social", "Example of a social report annex"),
    "exemple-annexe-performance-sociale": (
        "Exemple d'annexe de performance sociale",
        "Example of a social performance annex",
    ),
    "exemple-annexe-questionnaire": ("Exemple d'annexe : questionnaire", "Example of an annex: questionnaire"),
    "autres-labels": ("Autres labels", "Other labels"),
    "ecolabel": ("Écolabel", "Ecolabel"),
    "label": ("Label", "Label"),
    "norme": ("Norme", "Standard"),
    "parties-prenantes": ("Parties prenantes", "Stakeholders"),
    "certification": ("Certification", "Certification"),
    "preface": ("Préface", "Preface"),
    "validite-label": ("Validité du label", "Validity of the label"),
}


def _words(slug: str) -> str:
    text = slug.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def named_source_parts(index: ResourceIndex | None, lang: str) -> Callable[[str], tuple[str, str]]:
    """`source_parts` with names: (site key, "Page name › Section name"). The sources are French pages:
    they keep their French titles on English pages too (the templates mark them `lang="fr"`)."""
    lang = "fr"

    def parts(url: str) -> tuple[str, str]:
        key, where = source_parts(url)
        if key == "web":
            return key, where
        page, _, anchor = url.partition("#")
        found = index.get(page) if index is not None else None
        if found is not None:
            name = found.name(lang)
        else:
            steps = [s for s in page.split("/") if s]
            name = _words(steps[-1]) if steps else where
        if anchor:
            fr, en = SECTIONS.get(anchor, (_words(anchor), _words(anchor)))
            name += " › " + (fr if lang == "fr" else en)
        return key, name

    return parts
