"""The response formats per result kind, keyed by media type, in the server's order of preference."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.sparql.negotiation import choose


@dataclass(frozen=True)
class Format:
    """A response format: what we send as Content-Type and the engine's name for it."""

    name: str
    media_type: str
    engine_name: str
    extension: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """Content-Type header value (text formats declare UTF-8)."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


RESULTS_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "JSON", "srj", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "XML", "srx", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "CSV", "csv"),
    Format("tsv", "text/tab-separated-values", "TSV", "tsv"),
)

GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", "TURTLE", "ttl", ("application/turtle", "application/x-turtle")),
    Format("ntriples", "application/n-triples", "N_TRIPLES", "nt", ("text/plain",)),
    Format("rdfxml", "application/rdf+xml", "RDF_XML", "rdf", ("application/xml", "text/xml")),
    Format(
        "jsonld", "application/ld+json", "JSON_LD", "jsonld", ("application/json", "application/x-json+ld")
    ),
)


def negotiate(accept: str | None, formats: tuple[Format, ...]) -> Format | None:
    """The format the Accept header prefers among `formats`; None means 406."""
    offers: list[str] = []
    by_type: dict[str, Format] = {}
    canonical = [(fmt.media_type, fmt) for fmt in formats]
    aliases = [(alias, fmt) for fmt in formats for alias in fmt.aliases]
    for media_type, fmt in canonical + aliases:  # canonical types win ties over aliases
        if media_type not in by_type:
            offers.append(media_type)
            by_type[media_type] = fmt
    chosen = choose(accept, offers)
    return by_type[chosen] if chosen else None


def by_name(name: str, formats: tuple[Format, ...]) -> Format | None:
    """A format by its short name (`json`, `turtle`...)."""
    return next((f for f in formats if f.name == name), None)


def media_types(formats: tuple[Format, ...]) -> list[str]:
    """The canonical media types, for error messages and the service description."""
    return [f.media_type for f in formats]
