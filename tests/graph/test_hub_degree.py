"""Pages ask bounded questions (issue 25): what a sheet or a resource page reads of the store does not grow
with the number of resources pointing at a label or a category (a hub), nor with the number of criteria
of other categories."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest

from graph_service.domain.index import build_index
from graph_service.domain.profile import CpvProfiler
from graph_service.domain.readmodel import ReadModel
from graph_service.domain.sheet import Sheet, SheetBuilder
from graph_service.prefixes import PREFIXES
from graph_service.publishing.iris import Site
from graph_service.publishing.pages import INCOMING_PER_PROPERTY, Views
from graph_service.publishing.storegraph import BuiltGraph, Pattern, StoreGraph, Triple

BASE = "https://w3id.org/achats-numeriques-responsables/"
ANR, SCHEMA, SKOS = PREFIXES["anr"], PREFIXES["schema"], PREFIXES["skos"]
RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL, LAPTOP, PRINTER = BASE + "id/label/eu-ecolabel", BASE + "id/category/laptop", BASE + "id/category/printer"
ADDED = 1000
ON = dt.date(2026, 12, 1)


def triple(s: str, p: str, o: str | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o))


def hubs(n: int) -> Iterator[ox.Quad]:
    """n certificates under the EU Ecolabel of laptop models, and n criteria of printers."""
    for i in range(n):
        cert, model = f"{BASE}id/certificate/eu-ecolabel-{i}", f"{BASE}id/product-model/m-{i}"
        yield triple(cert, RDF_TYPE, SCHEMA + "Certification")
        yield triple(cert, SCHEMA + "about", model)
        yield triple(cert, ANR + "certifiedUnder", LABEL)
        yield triple(model, RDF_TYPE, SCHEMA + "ProductModel")
        yield triple(model, SCHEMA + "name", ox.Literal(f"Model {i}"))
        yield triple(model, SCHEMA + "category", LAPTOP)
        crit = f"{BASE}id/criterion/printer-extra-{i}"
        yield triple(crit, RDF_TYPE, ANR + "Criterion")
        yield triple(crit, SKOS + "prefLabel", ox.Literal(f"Critère {i}", language="fr"))
        yield triple(crit, ANR + "appliesToCategory", PRINTER)


@pytest.fixture(scope="module")
def stores(store: ox.Store) -> dict[int, ox.Store]:
    """The project's data alone, and with ADDED / 10 and ADDED of each hub's additions."""
    out = {}
    for n in (0, ADDED // 10, ADDED):
        copy = ox.Store()
        copy.extend(store.quads_for_pattern(None, None, None))
        copy.extend(hubs(n))
        out[n] = copy
    return out


class CountingReadModel(ReadModel):
    """Counts the questions the read model asks the store."""

    def __init__(self, *args: Any) -> None:
        self.asked: Counter[str] = Counter()
        super().__init__(*args)

    def select(self, body: str, **bindings: str) -> Any:
        self.asked["select"] += 1
        return super().select(body, **bindings)

    def _read_props(self, iri: str) -> Any:
        self.asked["props"] += 1
        return super()._read_props(iri)

    def _read_citing(self, iri: str, preds: tuple[str, ...]) -> Any:
        self.asked["citing"] += 1
        return super()._read_citing(iri, preds)


def laptop_sheet(store: ox.Store) -> tuple[Sheet, Counter[str]]:
    read = CountingReadModel(store, build_index(store, BASE))
    builder = SheetBuilder(read, CpvProfiler(read))
    read.asked.clear()
    sheet = builder.category("laptop", ON, "fr")
    return sheet, read.asked


def test_a_sheet_is_unchanged_and_asks_as_much_with_a_thousand_more_links_to_its_hubs(
    stores: dict[int, ox.Store],
) -> None:
    alone, asked_alone = laptop_sheet(stores[0])
    grown, asked_grown = laptop_sheet(stores[ADDED])
    assert grown == alone
    assert asked_grown == asked_alone  # the old criteria_for asked for each criterion of the graph


class CountingGraph(StoreGraph):
    """Counts the triples read."""

    read = 0

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        for found in super().triples(pattern):
            self.read += 1
            yield found


def incoming(store: ox.Store) -> tuple[list[Any], list[Any], int]:
    graph = CountingGraph(store)
    views = Views(site=Site(BASE, "http://x"), names=BuiltGraph(), described=lambda _i: True)
    views.label = lambda node: str(node)  # type: ignore[method-assign]
    graph.predicate_set()  # once per data version
    links, cut = views.incoming_links(graph, ox.NamedNode(LABEL))
    return links, cut, graph.read


def test_a_resource_page_reads_a_bounded_number_of_incoming_links(stores: dict[int, ox.Store]) -> None:
    few_links, _few_cut, few_read = incoming(stores[ADDED // 10])
    many_links, many_cut, many_read = incoming(stores[ADDED])
    assert many_read == few_read  # the old page read every link to the label
    certified = [s for s, p in many_links if p.href.endswith("certifiedUnder")]
    assert len(certified) == INCOMING_PER_PROPERTY
    assert [p.href.rsplit("/", 1)[1] for p, _query in many_cut] == ["certifiedUnder"]
    assert "/sparql?query=" in many_cut[0][1] and "certifiedUnder" in many_cut[0][1]
    assert len(many_links) == len(few_links)
    coverage = [s for s, p in many_links if p.href.endswith("coverageOf")]
    assert coverage  # the label's other links are all still shown


def test_a_small_graph_shows_every_incoming_link() -> None:
    graph = BuiltGraph()
    focus = ox.NamedNode(LABEL)
    for i in range(3):
        graph.add((ox.NamedNode(f"{BASE}id/certificate/c{i}"), ox.NamedNode(ANR + "certifiedUnder"), focus))
    graph.add((ox.NamedNode(f"{BASE}id/certificate/c0"), ox.NamedNode(SCHEMA + "name"), ox.Literal("x")))
    views = Views(site=Site(BASE, "http://x"), names=graph, described=lambda _i: True)
    links, cut = views.incoming_links(graph, focus)
    assert len(links) == 3 and cut == []
