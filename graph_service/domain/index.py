"""Every IRI resource of the graph by short id: names, types (with superclasses), sources.

Built once at start-up from the Oxigraph store. The short id is the IRI's last path segment
(`lbl:tco-certified` -> `tco-certified`); data/README.md makes it unique across the graph.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.prefixes import NAME_IRIS, PREFIXES, sparql_prologue

NAME_PROPS = NAME_IRIS
ALT = PREFIXES["skos"] + "altLabel"
HIDDEN = PREFIXES["skos"] + "hiddenLabel"  # words buyers type (misspellings, jargon): searched, never shown
DESCRIPTION = PREFIXES["dcterms"] + "description"
SOURCE = PREFIXES["dcterms"] + "source"
TYPE = PREFIXES["rdf"] + "type"
LANGS = ("fr", "en")

INDEX_QUERY = (
    sparql_prologue()
    + """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { """
    + " ".join(f"<{p}>" for p in NAME_PROPS)
    + """ skos:altLabel skos:hiddenLabel dcterms:description
              dcterms:source rdf:type }
  ?s ?p ?o . FILTER (isIRI(?s))
}"""
)
SUBCLASS_QUERY = sparql_prologue() + "SELECT DISTINCT ?c ?super WHERE { ?c rdfs:subClassOf+ ?super }"


def short_id(iri: str) -> str:
    """The IRI's last segment (`…/id/label/tco-certified` -> `tco-certified`)."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def expand(value: str) -> str | None:
    """`lbl:x` -> full IRI, if the prefix is one of the project's; else None."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


@dataclass
class Resource:
    """What the index knows of one resource."""

    iri: str
    id: str
    names: dict[str, str] = field(default_factory=dict)
    alt_names: dict[str, list[str]] = field(default_factory=dict)
    hidden_names: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)  # with superclasses
    kinds: list[str] = field(default_factory=list)  # the rdf:type values themselves, sorted
    sources: list[str] = field(default_factory=list)
    name_ranks: dict[str, int] = field(default_factory=dict, repr=False)

    def name(self, lang: str) -> str:
        """The name in `lang`, else in the other language, else the id."""
        for key in (lang, *LANGS, ""):
            if key in self.names:
                return self.names[key]
        return self.id

    def description(self, lang: str) -> str | None:
        """The description in `lang`, else in the other language."""
        for key in (lang, *LANGS, ""):
            if key in self.descriptions:
                return self.descriptions[key]
        return None


class ResourceIndex:
    """Resources by IRI and by short id, with class membership and fuzzy suggestions."""

    def __init__(self, resources: dict[str, Resource], base_iri: str) -> None:
        self.by_iri = resources
        self.base_iri = base_iri
        by_id: dict[str, list[str]] = defaultdict(list)
        for res in resources.values():
            by_id[res.id].append(res.iri)
        self.by_id = {k: sorted(v, key=self._preference) for k, v in by_id.items()}
        self._of_type: dict[str, list[Resource]] = {}

    def _preference(self, iri: str) -> tuple[int, str]:
        return (0 if iri.startswith(self.base_iri + "id/") else 1, iri)

    def get(self, iri: str) -> Resource | None:
        """The resource of that IRI, if described in the graph."""
        return self.by_iri.get(iri)

    def resolve(self, raw: str) -> Resource | None:
        """A short id, a prefixed name or a full IRI -> the resource, if any."""
        value = raw.strip()
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        value = re.sub(r"^(https?):/(?!/)", r"\1://", value)  # proxies may squash `//`
        if value in self.by_iri:
            return self.by_iri[value]
        expanded = expand(value)
        if expanded and expanded in self.by_iri:
            return self.by_iri[expanded]
        iris = self.by_id.get(value)
        return self.by_iri[iris[0]] if iris else None

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether the resource has type `cls` (superclasses included)."""
        res = self.by_iri.get(iri)
        return res is not None and cls in res.types

    def of_type(self, cls: str) -> list[Resource]:
        """All resources of a class, sorted by id (computed once per class: the index does not change)."""
        if cls not in self._of_type:
            self._of_type[cls] = sorted((r for r in self.by_iri.values() if cls in r.types), key=lambda r: r.id)
        return list(self._of_type[cls])

    def suggest(self, raw: str, cls: str | None = None, n: int = 5) -> list[Resource]:
        """The closest ids (difflib) among resources of `cls` (or all)."""
        pool = self.of_type(cls) if cls else list(self.by_iri.values())
        ids = {r.id: r for r in pool}
        names = {r.name("en").lower(): r for r in pool} | {r.name("fr").lower(): r for r in pool}
        needle = short_id(raw.strip()).lower()
        found: dict[str, Resource] = {}
        for key in difflib.get_close_matches(needle, list(ids), n=n, cutoff=0.5):
            found.setdefault(ids[key].iri, ids[key])
        for key in difflib.get_close_matches(raw.strip().lower(), list(names), n=n, cutoff=0.5):
            found.setdefault(names[key].iri, names[key])
        if len(found) < n:
            for res in pool:
                if needle and needle in res.id and len(found) < n:
                    found.setdefault(res.iri, res)
        return list(found.values())[:n]


def build_index(store: ox.Store, base_iri: str) -> ResourceIndex:
    """Read names, descriptions, types and sources of every IRI subject."""
    supers: dict[str, set[str]] = defaultdict(set)
    for row in store.query(SUBCLASS_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        supers[row["c"].value].add(row["super"].value)
    resources: dict[str, Resource] = {}
    for row in store.query(INDEX_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        iri, prop, obj = row["s"].value, row["p"].value, row["o"]
        res = resources.get(iri)
        if res is None:
            res = resources[iri] = Resource(iri=iri, id=short_id(iri))
        if prop == TYPE:
            res.kinds.append(obj.value)
            res.types.add(obj.value)
            res.types.update(supers.get(obj.value, ()))
        elif prop == SOURCE:
            res.sources.append(obj.value)
        elif isinstance(obj, ox.Literal):
            _add_text(res, prop, obj)
    for res in resources.values():
        res.sources.sort()
        res.kinds.sort()
        for names in (*res.alt_names.values(), *res.hidden_names.values()):
            names.sort()
    return ResourceIndex(resources, base_iri)


def _add_text(res: Resource, prop: str, obj: ox.Literal) -> None:
    lang = obj.language or ""
    if prop == ALT:
        res.alt_names.setdefault(lang, []).append(obj.value)
    elif prop == HIDDEN:
        res.hidden_names.setdefault(lang, []).append(obj.value)
    elif prop == DESCRIPTION:
        res.descriptions.setdefault(lang, obj.value)
    elif prop in NAME_PROPS:
        rank = NAME_PROPS.index(prop)
        if rank < res.name_ranks.get(lang, len(NAME_PROPS)):
            res.names[lang] = obj.value
            res.name_ranks[lang] = rank
