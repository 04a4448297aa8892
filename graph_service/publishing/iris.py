"""Map the graph's IRIs to the service's own URLs and back."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

# Top-level paths whose IRIs are served by this package.
SERVED_ROOTS = ("id/", "def/", "shapes/", "catalog", "void")


@dataclass(frozen=True)
class Site:
    """The base IRI of the graph and where the service is reached (absolute URL, no trailing /)."""

    base_iri: str
    public_url: str

    def path_of(self, iri: str) -> str | None:
        """The service path (`/id/label/x`) of an IRI under the base, else None."""
        if not iri.startswith(self.base_iri):
            return None
        rest = iri[len(self.base_iri) :]
        if not rest.startswith(SERVED_ROOTS):
            return None
        return "/" + rest

    def iri_of(self, path: str) -> str:
        """The IRI a service path stands for (`/id/label/x` -> `{base}id/label/x`)."""
        return self.base_iri + path.lstrip("/")

    def href(self, iri: str, described: bool = False) -> str:
        """Link target for an IRI: the service URL if we serve it, /describe if described, else itself."""
        path = self.path_of(iri)
        if path is not None:
            return self.public_url + quote(path, safe="/#:-._~")
        if described:
            return f"{self.public_url}/describe?iri={quote(iri, safe='')}"
        return iri

    def url(self, path: str) -> str:
        """Absolute URL of a service path."""
        return self.public_url + path


def public_url(configured: str | None, request_base: str) -> str:
    """The configured public base URL, or the one the request came in on; without a trailing /."""
    return (configured or request_base).rstrip("/")
