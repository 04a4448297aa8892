"""The HTML pages themselves, assembled from the pieces of html.py."""

from __future__ import annotations

import difflib
from collections import Counter
from html import escape

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from graph_service.namespaces import ANR
from graph_service.publishing.describe import covered_categories, covering_labels, name
from graph_service.publishing.dumps import Dumps
from graph_service.publishing.html import Renderer, descriptions, heading, link_list

SHOWN_APART = (RDF.type, DCTERMS.description, DCTERMS.source)


def resource_body(r: Renderer, graph: Graph, iri: URIRef) -> str:
    """A resource: names, kinds, descriptions, properties, coverage, sources, incoming links."""
    parts = [heading(r, graph, iri), descriptions(graph, iri)]
    parts.append("<h2>Propriétés / properties</h2>" + r.table(graph, iri, exclude=SHOWN_APART))
    if (iri, RDF.type, ANR.Label) in graph or (iri, RDF.type, ANR.LabelLevel) in graph:
        parts.append(link_list(r, "Équipements couverts / equipment covered", covered_categories(graph, iri)))
    if (iri, RDF.type, ANR.PurchaseCategory) in graph:
        title = "Labels qui couvrent cette catégorie / labels covering it"
        parts.append(link_list(r, title, covering_labels(graph, iri)))
    parts.append(link_list(r, "Sources", sorted(graph.objects(iri, DCTERMS.source), key=str)))
    parts.append(r.incoming(graph, iri))
    return "".join(parts)


def namespace_body(r: Renderer, graph: Graph, iri: URIRef, kinds: tuple[URIRef, ...]) -> str:
    """An ontology or shapes document: its own properties, then its terms by kind."""
    parts = [heading(r, graph, iri), descriptions(graph, iri), r.table(graph, iri, exclude=SHOWN_APART)]
    for kind in kinds:
        terms = sorted(
            (s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(str(iri))),
            key=str,
        )
        if not terms:
            continue
        rows = "".join(
            f"<tr><th>{r.link(t)}</th><td>{escape(_comment(graph, t))}</td></tr>" for t in terms
        )
        parts.append(f"<h2>{r.link(kind)} ({len(terms)})</h2><table>{rows}</table>")
    return "".join(parts)


def shape_body(r: Renderer, shapes: Graph, iri: URIRef) -> str:
    """A SHACL shape with its property shapes shown inline."""
    parts = [heading(r, shapes, iri)]
    parts += [f"<p>{escape(str(c))}</p>" for c in sorted(shapes.objects(iri, RDFS.comment), key=str)]
    parts.append(r.table(shapes, iri, exclude=(RDF.type, RDFS.comment)))
    return "".join(parts)


def catalog_body(r: Renderer, catalog: Graph, catalog_iri: URIRef, dumps: Dumps, version: str) -> str:
    """The catalogue for people: downloads first, then every DCAT statement."""
    rows = "".join(
        f"<tr><td><a href='{escape(r.site.url('/dumps/' + f.name))}'>{escape(f.name)}</a></td>"
        f"<td>{escape(f.media_type.split(';')[0])}</td><td>{f.size:,} octets / bytes</td>"
        f"<td class='iri'>{f.sha256}</td></tr>"
        for f, _fmt in dumps.graph_dumps()
    )
    parts = [
        "<h1>Catalogue DCAT / DCAT catalogue</h1>",
        f"<p>Version des données / data version <strong>{escape(version)}</strong>. "
        f"Moissonnable par data.gouv.fr (DCAT) à cette adresse / harvestable at this URL: "
        f"<code>{escape(r.site.url('/catalog'))}</code>.</p>",
        "<h2>Téléchargements / downloads</h2><table><tr><th>fichier / file</th><th>type</th>"
        f"<th>taille / size</th><th>SHA-256</th></tr>{rows}</table>",
        f"<p><a href='{escape(r.site.url('/dumps/SHA256SUMS'))}'>SHA256SUMS</a> · "
        f"<a href='{escape(r.site.url('/context.jsonld'))}'>contexte JSON-LD / JSON-LD context</a> · "
        f"<a href='{escape(r.site.url('/void'))}'>VoID</a></p>",
    ]
    subjects = sorted({s for s in catalog.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str)
    for subject in [catalog_iri, *[s for s in subjects if s != catalog_iri]]:
        parts.append(f"<h2 id='{escape(str(subject).rpartition('#')[2])}'>{escape(r.label(subject))}</h2>")
        parts.append(f"<p class='iri'>{escape(str(subject))}</p>{r.table(catalog, subject)}")
    return "".join(parts)


def dumps_body(r: Renderer, dumps: Dumps, version: str) -> str:
    """The list of files of the export."""
    rows = "".join(
        f"<tr><td><a href='{escape(r.site.url('/dumps/' + f.name))}'>{escape(f.name)}</a></td>"
        f"<td>{escape(f.media_type.split(';')[0])}</td><td>{f.size:,}</td><td class='iri'>{f.sha256}</td></tr>"
        for f in sorted(dumps.files.values(), key=lambda f: f.name)
    )
    return (
        f"<h1>Exports du graphe / graph dumps</h1><p>Version {escape(version)}.</p>"
        f"<table><tr><th>fichier / file</th><th>type</th><th>octets / bytes</th><th>SHA-256</th></tr>{rows}</table>"
    )


def index_body(r: Renderer, graph: Graph, iris: list[str], prefix: str) -> str:
    """Resources whose IRI starts with `prefix` (a kind under /id/), or the kinds themselves."""
    rest = [i[len(prefix):] for i in iris if i.startswith(prefix)]
    if prefix.endswith("/id/"):
        kinds = Counter(x.split("/", 1)[0] for x in rest if "/" in x)
        items = "".join(
            f"<li><a href='{escape(r.site.url('/id/' + k + '/'))}'>{escape(k)}</a> ({n})</li>"
            for k, n in sorted(kinds.items())
        )
        return f"<h1>Ressources / resources</h1><ul>{items}</ul>"
    members = sorted({prefix + x for x in rest if x and "/" not in x and (URIRef(prefix + x), None, None) in graph})
    items = "".join(f"<li>{r.link(URIRef(i))} <span class='iri'>{escape(i[len(prefix):])}</span></li>" for i in members)
    return f"<h1>{escape(prefix)}</h1><p>{len(members)} ressources / resources</p><ul>{items}</ul>"


def not_found_body(r: Renderer, path: str, suggestions: list[str]) -> str:
    """A helpful 404: the closest known ids, and where to search."""
    items = "".join(f"<li><a href='{escape(r.site.url(p))}'>{escape(p)}</a></li>" for p in suggestions)
    closest = f"<h2>Identifiants proches / closest ids</h2><ul>{items}</ul>" if items else ""
    return (
        f"<h1>Inconnu / not found</h1><p>Aucune ressource du graphe n'a l'adresse "
        f"<code>{escape(path)}</code>. / No resource of the graph has this address.</p>{closest}"
        f"<p>Chercher / search: <a href='{escape(r.site.url('/'))}'>page de requête / query page</a>, "
        f"<a href='{escape(r.site.url('/sparql'))}'>SPARQL</a>, "
        f"<a href='{escape(r.site.url('/id/'))}'>liste des ressources / all resources</a>, "
        f"<a href='{escape(r.site.url('/def/'))}'>ontologie / ontology</a>.</p>"
    )


def closest_paths(path: str, known_paths: list[str], n: int = 8) -> list[str]:
    """Known paths closest to `path`, by whole path and by last segment (the slug)."""
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    by_slug: dict[str, list[str]] = {}
    for p in known_paths:
        by_slug.setdefault(p.rstrip("/").rsplit("/", 1)[-1], []).append(p)
    found = [p for s in difflib.get_close_matches(slug, list(by_slug), n=n, cutoff=0.5) for p in by_slug[s]]
    found += difflib.get_close_matches(path, known_paths, n=n, cutoff=0.6)
    return list(dict.fromkeys(found))[:n]


def _comment(graph: Graph, term: URIRef) -> str:
    for prop in (RDFS.comment, SKOS.definition, DCTERMS.description):
        for value in sorted(graph.objects(term, prop), key=lambda v: getattr(v, "language", "") != "fr"):
            return str(value)
    return name(graph, term) or ""


NAMESPACE_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
SHAPE_KINDS = (SH.NodeShape, SH.PropertyShape)
