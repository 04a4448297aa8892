"""The representations of a resource: HTML and four RDF syntaxes, by Accept or by suffix."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.sparql.negotiation import choose


@dataclass(frozen=True)
class RdfFormat:
    """One representation: suffix, media type, and the name rdflib knows it by."""

    name: str
    suffix: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """Content-Type header value (text formats declare UTF-8)."""
        text = self.media_type.startswith("text/") or self.media_type.endswith("json")
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


HTML = RdfFormat("html", ".html", "text/html", ("application/xhtml+xml",))
TURTLE = RdfFormat("turtle", ".ttl", "text/turtle", ("application/x-turtle",))
NTRIPLES = RdfFormat("nt", ".nt", "application/n-triples", ("text/plain",))
RDFXML = RdfFormat("xml", ".rdf", "application/rdf+xml", ("application/xml", "text/xml"))
JSONLD = RdfFormat("json-ld", ".jsonld", "application/ld+json", ("application/json",))

RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, NTRIPLES, RDFXML, JSONLD)
# Server preference when the client accepts anything: browsers send */* after text/html.
ALL_FORMATS: tuple[RdfFormat, ...] = (HTML, *RDF_FORMATS)


def by_suffix(suffix: str) -> RdfFormat | None:
    """The format of a file suffix (`.ttl`), if any."""
    return next((f for f in ALL_FORMATS if f.suffix == suffix), None)


def split_suffix(path: str) -> tuple[str, RdfFormat | None]:
    """`/id/x.ttl` -> (`/id/x`, TURTLE); a path without a known suffix is returned as is."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        fmt = by_suffix("." + ext)
        if fmt is not None:
            return stem, fmt
    return path, None


def negotiate(accept: str | None, formats: tuple[RdfFormat, ...] = ALL_FORMATS) -> RdfFormat | None:
    """The format the Accept header prefers; None means 406."""
    offers: list[str] = []
    by_type: dict[str, RdfFormat] = {}
    for fmt in formats:
        for media_type in (fmt.media_type, *fmt.aliases):
            if media_type not in by_type:
                offers.append(media_type)
                by_type[media_type] = fmt
    chosen = choose(accept, offers)
    return by_type[chosen] if chosen else None
