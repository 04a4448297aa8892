"""HTML pages for people: resources, ontology and shapes documents, catalogue, not-found pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from graph_service.publishing.context import ALL_PREFIXES, compact
from graph_service.publishing.describe import name
from graph_service.publishing.iris import Site
from graph_service.representations import GRAPHS

NAV = (("/", "Requête / Query"), ("/catalog", "Catalogue"), ("/def/", "Ontologie / Ontology"),
       ("/shapes/", "Formes / Shapes"), ("/dumps/", "Exports / Dumps"), ("/sparql", "SPARQL"))


def page(title: str, body: str, site: Site, alternates: Iterable[tuple[str, str]] = (), status: str = "") -> str:
    """A complete page with the site navigation; `alternates` are (href, media type) links."""
    links = "".join(
        f'<link rel="alternate" type="{escape(t)}" href="{escape(h)}">' for h, t in alternates
    )
    nav = "".join(f'<a href="{escape(site.url(p))}">{escape(t)}</a>' for p, t in NAV)
    formats = "".join(
        f' <a href="{escape(h)}" type="{escape(t)}">{escape(t)}</a>' for h, t in alternates
    )
    foot = f"<p>Autres formats / other formats:{formats}</p>" if formats else ""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title>{links}'
        f'<link rel="stylesheet" href="{escape(site.url("/static/pages.css"))}"></head><body>'
        f"<header><nav>{nav}</nav></header><main>{status}{body}</main>"
        f"<footer>{foot}<p>Données / data: Licence Ouverte 2.0 — "
        f'<a href="{escape(site.url("/catalog"))}">catalogue DCAT</a></p></footer></body></html>'
    )


def alternates_for(base_href: str) -> list[tuple[str, str]]:
    """Links to the RDF representations of a page (`href.ttl`, ...)."""
    return [(base_href + f.suffix, f.media_type) for f in GRAPHS]


@dataclass
class Renderer:
    """Turns nodes and triples into HTML; knows which IRIs the service describes."""

    site: Site
    names: Graph
    described: Callable[[str], bool]

    def label(self, node: Node) -> str:
        """A readable name: the node's name, else its compact IRI."""
        found = name(self.names, node)
        return found if found else compact(str(node), ALL_PREFIXES)

    def link(self, node: Node) -> str:
        """An IRI as a link (to the service if it describes it), a literal as text."""
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            return "<em>(nœud anonyme / blank node)</em>"
        iri = str(node)
        href = self.site.href(iri, described=self.described(iri))
        text = escape(self.label(node))
        external = "" if href != iri else ' rel="external"'
        return f'<a href="{escape(href)}"{external}>{text}</a>'

    def literal(self, value: Literal) -> str:
        """A literal with its language or datatype."""
        note = ""
        if value.language:
            note = f' <span class="lang">@{escape(value.language)}</span>'
        elif value.datatype is not None:
            note = f' <span class="dt">{escape(compact(str(value.datatype), ALL_PREFIXES))}</span>'
        text = escape(str(value))
        if str(value).startswith(("http://", "https://")) and " " not in str(value):
            text = f'<a href="{text}" rel="external">{text}</a>'
        return f"<span>{text}</span>{note}"

    def prop(self, prop: Node) -> str:
        """A property name with its compact IRI, linked."""
        curie = compact(str(prop), ALL_PREFIXES)
        found = name(self.names, prop)
        text = f"{escape(found)} <span class='dt'>{escape(curie)}</span>" if found else escape(curie)
        href = self.site.href(str(prop), described=self.described(str(prop)))
        return f'<a href="{escape(href)}">{text}</a>'

    def value(self, graph: Graph, node: Node, depth: int) -> str:
        """A value; blank nodes are shown inline (lists as ordered lists)."""
        if isinstance(node, BNode) and depth < 6:
            items = rdf_list(graph, node)
            if items is not None:
                return "<ol>" + "".join(f"<li>{self.value(graph, i, depth + 1)}</li>" for i in items) + "</ol>"
            return self.table(graph, node, depth=depth + 1)
        return self.link(node)

    def table(self, graph: Graph, subject: Node, exclude: Iterable[Node] = (), depth: int = 0) -> str:
        """All properties of `subject` in `graph`, grouped by property."""
        skip = set(exclude)
        rows = []
        for prop in sorted({p for p in graph.predicates(subject) if p not in skip}, key=self._order):
            values = sorted(graph.objects(subject, prop), key=_value_order)
            cells = "<br>".join(self.value(graph, v, depth) for v in values)
            rows.append(f"<tr><th>{self.prop(prop)}</th><td>{cells}</td></tr>")
        return f"<table>{''.join(rows)}</table>" if rows else ""

    def incoming(self, graph: Graph, focus: Node) -> str:
        """Links to `focus`: who points to it, and by which property."""
        rows = sorted(
            ((self.label(s), s, p) for s, p in graph.subject_predicates(focus) if not isinstance(s, BNode)),
            key=lambda r: (str(r[2]), r[0]),
        )
        if not rows:
            return ""
        body = "".join(f"<tr><td>{self.link(s)}</td><td>{self.prop(p)}</td></tr>" for _l, s, p in rows)
        return (
            f"<h2>Liens entrants / incoming links ({len(rows)})</h2>"
            f"<table><tr><th>ressource / resource</th><th>propriété / property</th></tr>{body}</table>"
        )

    def _order(self, prop: Node) -> tuple[int, str]:
        first = (RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), DCTERMS.description)
        return (first.index(prop) if prop in first else len(first), compact(str(prop), ALL_PREFIXES))


def rdf_list(graph: Graph, node: Node) -> list[Node] | None:
    """The items of an RDF list starting at `node`, or None if it is not one."""
    items: list[Node] = []
    seen: set[Node] = set()
    while node != RDF.nil:
        first = graph.value(node, RDF.first)
        if first is None or node in seen:
            return None
        seen.add(node)
        items.append(first)
        rest = graph.value(node, RDF.rest)
        if rest is None:
            return None
        node = rest
    return items


def heading(renderer: Renderer, graph: Graph, iri: URIRef) -> str:
    """Title block: names in French and English, the IRI, the kinds."""
    fr = name(renderer.names, iri, "fr") or name(graph, iri, "fr")
    en = name(renderer.names, iri, "en") or name(graph, iri, "en")
    title = escape(fr or compact(str(iri), ALL_PREFIXES))
    sub = f"<p><em lang='en'>{escape(en)}</em></p>" if en and en != fr else ""
    types = sorted(graph.objects(iri, RDF.type), key=str)
    kinds = "".join(f"<span class='kind'>{renderer.link(t)}</span>" for t in types)
    return f"<h1>{title}</h1>{sub}<p class='iri'>{escape(str(iri))}</p><p>{kinds}</p>"


def descriptions(graph: Graph, iri: URIRef) -> str:
    """The resource's descriptions, French first."""
    values = sorted(
        (v for v in graph.objects(iri, DCTERMS.description) if isinstance(v, Literal)),
        key=lambda v: (v.language != "fr", v.language or ""),
    )
    return "".join(f"<p lang='{escape(v.language or '')}'>{escape(str(v))}</p>" for v in values)


def link_list(renderer: Renderer, title: str, nodes: Iterable[Node]) -> str:
    """A titled list of links, or nothing if empty."""
    items = "".join(f"<li>{renderer.link(n)}</li>" for n in nodes)
    return f"<h2>{escape(title)}</h2><ul>{items}</ul>" if items else ""


def _value_order(node: Node) -> tuple[int, str, str]:
    lang = node.language if isinstance(node, Literal) and node.language else ""
    return (0 if isinstance(node, Literal) else 1, {"fr": "0", "en": "1"}.get(lang, lang), str(node))
