"""Every representation the service sends, in one table: media type, aliases, suffix, engine format.

RDF graphs and SPARQL results take their media type and file suffix from pyoxigraph's own
`RdfFormat` / `QueryResultsFormat`; the aliases are the names clients also send for them. One
charset rule: `text/*` types declare UTF-8, others (JSON, XML, SVG) carry no charset parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox


@dataclass(frozen=True)
class Representation:
    """One way to send something: what goes in Content-Type, the suffix that names it, the engine format."""

    name: str
    media_type: str
    suffix: str = ""
    aliases: tuple[str, ...] = ()
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None

    def __hash__(self) -> int:
        """By name and media type (equal representations share them): the negotiation's memo hashes
        tuples of representations on every request, and the engine formats hash slowly."""
        return hash((self.name, self.media_type))

    @property
    def content_type(self) -> str:
        """Content-Type header value (text formats declare UTF-8)."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    @cached_property
    def engine_name(self) -> str:
        """The pyoxigraph attribute naming the engine format (`TURTLE`, `JSON`...), for the workers."""
        for owner, fmt in ((ox.RdfFormat, self.rdf), (ox.QueryResultsFormat, self.results)):
            if fmt is not None:
                return next(n for n in dir(owner) if n.isupper() and getattr(owner, n) == fmt)
        raise ValueError(f"{self.name} has no engine format")


def _graph(fmt: ox.RdfFormat, name: str, *aliases: str) -> Representation:
    return Representation(name, fmt.media_type, "." + fmt.file_extension, aliases, rdf=fmt)


def _results(fmt: ox.QueryResultsFormat, name: str, *aliases: str) -> Representation:
    media_type = fmt.media_type.split(";")[0].strip()
    return Representation(name, media_type, "." + fmt.file_extension, aliases, results=fmt)


HTML = Representation("html", "text/html", ".html", ("application/xhtml+xml",))
JSON = Representation("json", "application/json", ".json")
SVG = Representation("svg", "image/svg+xml", ".svg")
PROBLEM = Representation("problem", "application/problem+json")
# Spreadsheets: tables as Office Open XML workbooks (openpyxl), read by Excel and LibreOffice alike.
XLSX = Representation("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")

TURTLE = _graph(ox.RdfFormat.TURTLE, "turtle", "application/turtle", "application/x-turtle")
NTRIPLES = _graph(ox.RdfFormat.N_TRIPLES, "ntriples", "text/plain")
RDFXML = _graph(ox.RdfFormat.RDF_XML, "rdfxml", "application/xml", "text/xml")
JSONLD = _graph(ox.RdfFormat.JSON_LD, "jsonld", "application/json", "application/x-json+ld")

SPARQL_JSON = _results(ox.QueryResultsFormat.JSON, "json", "application/json")
SPARQL_XML = _results(ox.QueryResultsFormat.XML, "xml", "application/xml", "text/xml")
CSV = _results(ox.QueryResultsFormat.CSV, "csv")
TSV = _results(ox.QueryResultsFormat.TSV, "tsv")

# Offer lists, in the server's order of preference (the first wins when the client accepts anything).
GRAPHS: tuple[Representation, ...] = (TURTLE, NTRIPLES, RDFXML, JSONLD)
RESULTS: tuple[Representation, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
PAGES: tuple[Representation, ...] = (HTML, *GRAPHS)  # resource pages: browsers send */* after text/html
DOCUMENTS: tuple[Representation, ...] = (*GRAPHS, HTML)  # /catalog, /void: harvesters send no Accept
ANSWERS: tuple[Representation, ...] = (*RESULTS, *GRAPHS)  # what a SPARQL query may get, by its form
ALL: tuple[Representation, ...] = (HTML, JSON, SVG, PROBLEM, *GRAPHS, *RESULTS, XLSX)


def by_name(name: str, offers: tuple[Representation, ...]) -> Representation | None:
    """The offer a `?format=` value names: its name (`csv`, `turtle`), suffix (`ttl`, `srj`) or media
    type (`text/csv`, as SPARQLWrapper also sends)."""
    wanted = name.strip().lower()
    return next((r for r in offers if wanted in (r.name, r.suffix.lstrip("."), r.media_type, *r.aliases)), None)


def by_suffix(suffix: str, offers: tuple[Representation, ...] = PAGES) -> Representation | None:
    """The representation a file suffix (`.ttl`, or `ttl`) names among `offers`."""
    wanted = "." + suffix.lstrip(".")
    return next((r for r in offers if r.suffix == wanted), None)


def split_suffix(path: str, offers: tuple[Representation, ...] = PAGES) -> tuple[str, Representation | None]:
    """`/id/x.ttl` -> (`/id/x`, TURTLE); a path without a known suffix is returned as is."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        found = by_suffix(ext, offers)
        if found is not None:
            return stem, found
    return path, None


def media_types(offers: tuple[Representation, ...]) -> list[str]:
    """The canonical media types of `offers`, for 406 bodies and the service description."""
    return [r.media_type for r in offers]
