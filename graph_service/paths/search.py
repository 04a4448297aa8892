"""Shortest simple paths and neighbourhoods on the projection, with readable explanations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx

from graph_service.paths.projection import COVERS, Projection
from graph_service.prefixes import PREFIXES

P = PREFIXES
Namer = Callable[[str], str]

# Verb phrases (fr, en) for sentences; other predicates read "X has <label> Y".
VERBS: dict[str, tuple[str, str]] = {
    COVERS: ("couvre", "covers"),
    P["anr"] + "attests": ("atteste", "attests"),
    P["skos"] + "broader": ("relève de", "falls under"),
    P["anr"] + "levelOf": ("est un niveau de", "is a level of"),
    P["anr"] + "themeOf": ("est un thème de", "is a theme of"),
    P["anr"] + "labelKind": ("est de type", "is of kind"),
    P["anr"] + "issuer": ("est délivré par", "is awarded by"),
    P["anr"] + "legalBasis": ("repose sur", "rests on"),
    P["anr"] + "appliesToFamily": ("s'applique à la famille", "applies to the family"),
    P["anr"] + "appliesToCategory": ("s'applique à la catégorie", "applies to the category"),
    P["anr"] + "cpvCode": ("a pour code CPV", "has CPV code"),
    P["anr"] + "role": ("a pour rôle", "has the role"),
    P["anr"] + "dimension": ("relève de la dimension", "has the dimension"),
    P["eli"] + "is_part_of": ("fait partie de", "is part of"),
    P["eli"] + "type_document": ("est de type", "is of type"),
    P["eli"] + "based_on": ("est pris sur le fondement de", "is based on"),
    P["dcterms"] + "creator": ("a été créé par", "was created by"),
    P["dcterms"] + "spatial": ("concerne", "relates to"),
    P["schema"] + "parentOrganization": ("dépend de", "belongs to"),
}


@dataclass(frozen=True)
class StepData:
    """One step walked from `source` to `target`; `triple` is the RDF direction."""

    source: str
    target: str
    predicate: str
    inverse: bool
    sources: tuple[str, ...]


def shortest_paths(proj: Projection, source: str, target: str, max_hops: int, limit: int) -> list[list[str]]:
    """Up to `limit` shortest simple paths of at most `max_hops` edges, shortest first."""
    try:
        found = []
        for path in islice(nx.shortest_simple_paths(proj.undirected, source, target), limit):
            if len(path) - 1 > max_hops:
                break
            found.append(path)
        return found
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


def steps_of(proj: Projection, path: list[str]) -> list[StepData]:
    """The (node, predicate, node) steps of a path; forward triples preferred."""
    steps = []
    for a, b in pairwise(path):
        triples = proj.undirected.edges[a, b]["triples"]
        s, p, o = min(triples, key=lambda t: (t[0] != a, t[1] != COVERS, t[1]))
        data = proj.graph.edges[s, o, p]
        steps.append(StepData(a, b, p, inverse=s != a, sources=tuple(data.get("sources", ()))))
    return steps


def clause(proj: Projection, step: StepData, name: Namer, lang: str) -> str:
    """The step as a clause, in the triple's own direction."""
    subject, obj = (step.target, step.source) if step.inverse else (step.source, step.target)
    verbs = VERBS.get(step.predicate)
    if verbs:
        verb = verbs[0] if lang == "fr" else verbs[1]
    else:
        label = proj.predicate_label(step.predicate, lang)
        verb = f"a pour {label}" if lang == "fr" else f"has {label}"
    return f"{said(name(subject), lang)} {verb} {said(name(obj), lang)}"


def said(name: str, lang: str) -> str:
    """A name as a sentence quotes it: in French between « », so that the verbs' prepositions read
    right whatever the name's gender, number or first letter ("relève de « Ordinateurs fixes… »",
    not "relève de Ordinateurs…"); English needs no quotes."""
    return f"« {name} »" if lang == "fr" else name


def explain(proj: Projection, path: list[str], steps: list[StepData], name: Namer, lang: str) -> str:
    """A sentence built from the names and predicate labels, in `lang`."""
    clauses = [clause(proj, s, name, lang) for s in steps]
    if len(clauses) == 1:
        return clauses[0] + "."
    n = len(steps)
    if lang == "fr":
        head = f"{said(name(path[0]), lang)} est relié à {said(name(path[-1]), lang)} en {n} étapes : "
    else:
        head = f"{name(path[0])} is linked to {name(path[-1])} in {n} steps: "
    separator = " ; " if lang == "fr" else "; "
    return head + separator.join(clauses) + "."


def neighbourhood(proj: Projection, center: str, hops: int, max_nodes: int) -> tuple[dict[str, int], bool]:
    """Nodes within `hops` edges of `center` with their distance (nearest kept first)."""
    distances = nx.single_source_shortest_path_length(proj.undirected, center, cutoff=hops)
    ordered = sorted(distances.items(), key=lambda kv: (kv[1], kv[0]))
    kept = dict(ordered[:max_nodes])
    return kept, len(ordered) > max_nodes


def edges_within(proj: Projection, nodes: dict[str, int]) -> list[tuple[str, str, str]]:
    """Directed (s, p, o) edges between kept nodes, sorted."""
    sub = proj.graph.subgraph(nodes)
    return sorted((s, p, o) for s, o, p in sub.edges(keys=True))
