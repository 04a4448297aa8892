"""The read model does not hold the graph: what it keeps is bounded by the categories, labels and coverage
statements, and a resource's values are asked of the store, the last PROPS_CACHE of them kept."""

from __future__ import annotations

import gc
from types import FunctionType, ModuleType

import pyoxigraph as ox
from rdflib import Graph

from graph_service.config import Settings
from graph_service.dataset.loading import project_files
from graph_service.dataset.store import build_store
from graph_service.domain.index import build_index
from graph_service.domain.readmodel import PROPS_CACHE, ReadModel
from graph_service.runtime import build_runtime, open_dataset
from tests.helpers import real_settings

EXTRA = PROPS_CACHE + 500


def grown_store(settings: Settings) -> ox.Store:
    """The project's data plus EXTRA resources of no category, label or law, with two values each."""
    store, _graphs = build_store(project_files(settings), settings.base_iri)
    graph = ox.NamedNode(settings.base_iri + "graph/extra")
    note = ox.NamedNode(settings.base_iri + "def/note")
    store.extend(
        ox.Quad(ox.NamedNode(f"{settings.base_iri}id/extra/r{i}"), note, ox.Literal(f"{i}"), graph)
        for i in range(EXTRA)
    )
    store.extend(
        ox.Quad(ox.NamedNode(f"{settings.base_iri}id/extra/r{i}"), note, ox.Literal("both"), graph)
        for i in range(EXTRA)
    )
    return store


def test_the_read_model_materialises_no_description_and_keeps_a_bounded_number(settings: Settings) -> None:
    store = grown_store(settings)
    read = ReadModel(store, build_index(store, settings.base_iri))
    assert len(read._props) == 0  # nothing per resource until asked
    note = settings.base_iri + "def/note"
    for i in range(EXTRA):
        values = read.props(f"{settings.base_iri}id/extra/r{i}")[note]
        assert sorted(v.value for v in values) == sorted([str(i), "both"])
    assert len(read._props) == PROPS_CACHE


def test_a_value_added_to_the_store_is_read_from_it(settings: Settings) -> None:
    store = grown_store(settings)
    read = ReadModel(store, build_index(store, settings.base_iri))
    label = settings.base_iri + "id/label/eu-ecolabel"
    attests = settings.base_iri + "def/attests"
    criterion = settings.base_iri + "id/criterion/invented"
    assert criterion not in read.citing(label, attests)
    store.add(ox.Quad(ox.NamedNode(criterion), ox.NamedNode(attests), ox.NamedNode(label)))
    assert criterion not in read.citing(label, attests)  # the answer kept (the store does not change while served)
    assert criterion in read._read_citing(label, (attests,))  # asked of the store, not of a copy made at start
    assert criterion in ReadModel(store, read.index).citing(label, attests)


def held_objects(root: object) -> list[object]:
    """Every object reachable from `root` through references (modules, classes and functions left out)."""
    seen: set[int] = set()
    todo, out = [root], []
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, ModuleType | type | FunctionType):
            continue
        seen.add(id(item))
        out.append(item)
        todo.extend(gc.get_referents(item))
    return out


def test_the_runtime_holds_no_rdflib_graph_once_checked() -> None:
    # a runtime of its own: the shared app's keeps answers other tests asked for (a catalogue and a VoID
    # description per public URL, rdflib graphs bounded by the classes and properties, not the triples)
    runtime = build_runtime(open_dataset(real_settings(), reuse_verdict=True))
    held = held_objects(runtime)
    assert any(isinstance(o, ox.Store) for o in held)  # the one store
    # the check's graphs were dropped and the pages read the store
    sizes = [len(o) for o in held if isinstance(o, Graph)]
    assert runtime.triples > 5000 and all(n < runtime.triples // 10 for n in sizes), sizes
