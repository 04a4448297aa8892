"""The publishing artefacts, built once by the runtime: dumps, dataset facts, names, DCAT and VoID per public URL."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

import pyoxigraph as ox

from graph_service.bounded import BoundedCache
from graph_service.config import DEFAULT_CONTACT_EMAIL, Settings
from graph_service.dataset.data_version import data_modified, data_version
from graph_service.publishing.catalog import DatasetFacts, catalog_graph, find_dataset, temporal_coverage
from graph_service.publishing.dumps import Dumps, build_dumps
from graph_service.publishing.iris import Site
from graph_service.publishing.storegraph import BuiltGraph, StoreGraph, resource
from graph_service.publishing.void import void_graph
from graph_service.sparql.description import Statistics

log = logging.getLogger(__name__)


@dataclass
class Publication:
    """The graph, the shapes, the dumps and the dataset facts; catalogues cached per public URL."""

    settings: Settings
    graph: StoreGraph  # the data: a view of the one store, nothing copied
    shapes: StoreGraph  # the shapes, in a small store of their own (not served by /sparql)
    dumps: Dumps
    facts: DatasetFacts
    stats: Statistics
    local_iris: list[str]
    names: StoreGraph  # data and shapes together, to name any link
    # keyed by the public URL, which comes from the request's Host when KG_PUBLIC_BASE_URL is unset
    _catalogs: BoundedCache[str, BuiltGraph] = field(default_factory=BoundedCache)
    _voids: BoundedCache[str, BuiltGraph] = field(default_factory=BoundedCache)

    @property
    def version(self) -> str:
        """The data version (owl:versionInfo of the dataset)."""
        return self.facts.version

    @property
    def last_modified(self) -> datetime | None:
        """dcterms:modified of the dataset at midnight UTC (Last-Modified of the dumps)."""
        day = self.facts.modified
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None

    def is_described(self, iri: str) -> bool:
        """Whether the graph or the shapes say something about `iri` as a subject."""
        try:
            node = resource(iri)
        except ValueError:  # not an IRI (a literal's text, a bad path): nothing describes it
            return False
        return (node, None, None) in self.names

    def kind_paths(self, site: Site) -> set[str]:
        """`/id/{kind}/` for every kind of resource (index pages)."""
        return self._kind_paths

    @cached_property
    def _kind_paths(self) -> set[str]:
        """kind_paths, walked once: every /id page asks it, and there is one IRI per resource of the data."""
        prefix = self.settings.base_iri + "id/"
        return {
            "/id/" + i[len(prefix) :].split("/", 1)[0] + "/"
            for i in self.local_iris
            if i.startswith(prefix) and "/" in i[len(prefix) :]
        }

    def site(self, public_url: str) -> Site:
        """The IRI/URL mapping for a public base URL."""
        return Site(self.settings.base_iri, public_url)

    def catalog(self, site: Site) -> BuiltGraph:
        """The DCAT catalogue for the given public URL (built on first use)."""
        return self._catalogs.get_or_build(
            site.public_url,
            lambda: catalog_graph(self.graph, self.facts, self.dumps, site, self.settings.contact_email),
        )

    def void(self, site: Site) -> BuiltGraph:
        """The VoID description for the given public URL (built on first use)."""
        return self._voids.get_or_build(
            site.public_url, lambda: void_graph(self.graph, self.facts, self.stats, self.dumps, site)
        )


@dataclass(frozen=True)
class Prepared:
    """What the publication derives from the whole store, when prepared once per data version
    (graph_service/prepared.py): the dumps' files, the temporal coverage, the local IRIs."""

    dumps: Dumps
    temporal: tuple[date, date] | None
    local_iris: list[str]


def dataset_facts(graph: StoreGraph, base_iri: str, temporal: tuple[date, date] | bool | None = True) -> DatasetFacts:
    """The dataset node, its version and dates, read from the data (`temporal`: the coverage when
    already known, True to compute it)."""
    fallback = resource(base_iri + "id/dataset/graph")
    node = find_dataset(graph, fallback)
    if node == fallback:
        log.warning("no dcat:Dataset in the data: the catalogue describes %s with no metadata", fallback)
    modified: date | None = data_modified(graph.stores[0])
    return DatasetFacts(
        node=node,
        version=data_version(graph.stores[0]),
        modified=modified,
        temporal=temporal_coverage(graph) if temporal is True else temporal or None,
    )


def local_iris(store: ox.Store, prefix: str) -> list[str]:
    """The IRIs of the store under `prefix`, as subjects or objects (sorted)."""
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, None, None):
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(prefix):
                found.add(term.value)
    return sorted(found)


def build_publication(
    store: ox.Store, shapes: ox.Store, settings: Settings, stats: Statistics, prepared: Prepared | None = None
) -> Publication:
    """Serialize the dumps from the store and scan it unless `prepared` (once per data version); reuse the
    SPARQL service's statistics. The pages read the store."""
    if settings.contact_email == DEFAULT_CONTACT_EMAIL:
        log.warning("KG_CONTACT_EMAIL is not set: the catalogue shows %s", DEFAULT_CONTACT_EMAIL)
    graph = StoreGraph(store)
    prefix = settings.base_iri
    shape_iris = sorted(
        {
            q.subject.value
            for q in shapes.quads_for_pattern(None, None, None)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
        }
    )
    return Publication(
        settings=settings,
        graph=graph,
        shapes=StoreGraph(shapes),
        dumps=prepared.dumps if prepared else build_dumps(store),
        facts=dataset_facts(graph, settings.base_iri, prepared.temporal if prepared else True),
        stats=stats,
        local_iris=(prepared.local_iris if prepared else local_iris(store, prefix)) + shape_iris,
        names=StoreGraph(store, shapes),
    )
