"""Dumps: deterministic bytes, checksums, a readable JSON-LD with its context, HTTP caching."""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from graph_service.cli import main
from graph_service.config import Settings
from graph_service.dataset.loading import project_files
from graph_service.dataset.store import build_store, graph_iri
from graph_service.publishing.dumps import build_dumps
from graph_service.publishing.publication import Publication
from tests.helpers import as_rdflib, parse


def as_graph(state: Publication) -> Graph:
    """The served data as an rdflib graph (to compare with rdflib's parse of a dump)."""
    return as_rdflib(state.graph)


@pytest.mark.slow
def test_dumps_are_deterministic_for_a_data_version(settings: Settings, state: Publication) -> None:
    store, _graphs = build_store(project_files(settings), settings.base_iri)
    again = build_dumps(store)
    for name, file in state.dumps.files.items():
        assert again.files[name].data == file.data, name
        assert again.files[name].gzipped == file.gzipped, name


@pytest.mark.slow
def test_every_dump_holds_the_whole_graph(state: Publication) -> None:
    for file, fmt in state.dumps.graph_dumps():
        assert isomorphic(parse(file.data, fmt.media_type), as_graph(state)), file.name


def test_ntriples_dump_is_sorted(state: Publication) -> None:
    lines = state.dumps.files["graph.nt"].data.decode().splitlines()
    assert lines == sorted(lines, key=str.encode)
    assert len(lines) == len(state.graph)


def test_checksums_file(state: Publication) -> None:
    lines = state.dumps.files["SHA256SUMS"].data.decode().splitlines()
    listed = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    assert set(listed) == {"graph.ttl", "graph.nt", "graph.jsonld", "context.jsonld"}
    for name, digest in listed.items():
        assert hashlib.sha256(state.dumps.files[name].data).hexdigest() == digest


def test_jsonld_dump_reads_as_plain_json(state: Publication) -> None:
    doc = json.loads(state.dumps.files["graph.jsonld"].data)
    nodes = {node["id"]: node for node in doc["@graph"]}
    label = nodes["lbl:eu-ecolabel"]
    assert label["type"] == ["anr:Label"]
    assert isinstance(label["prefLabel"]["fr"], str) and isinstance(label["prefLabel"]["en"], str)
    assert all(v.startswith("voc:") for v in label["labelKind"])
    assert doc["@context"] == state.dumps.context


@pytest.mark.slow
def test_context_is_served_and_parses_the_dump(client: TestClient, state: Publication) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    context = response.json()["@context"]
    doc = json.loads(state.dumps.files["graph.jsonld"].data)
    doc["@context"] = context
    assert isomorphic(Graph().parse(data=json.dumps(doc), format="json-ld"), as_graph(state))


def test_etag_last_modified_and_304(client: TestClient, state: Publication) -> None:
    first = client.get("/dumps/graph.nt", headers={"Accept-Encoding": "identity"})
    etag = first.headers["etag"]
    assert etag == f'"{state.dumps.files["graph.nt"].sha256}"'
    dataset = next(state.graph.subjects(ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Dataset)))
    modified = datetime.date.fromisoformat(state.graph.value(dataset, ox.NamedNode(DCTERMS.modified)).value)  # type: ignore[union-attr]
    expected = email.utils.format_datetime(datetime.datetime.combine(modified, datetime.time(), datetime.UTC), True)
    assert first.headers["last-modified"] == expected
    assert "Accept-Encoding" in first.headers["vary"]
    again = client.get("/dumps/graph.nt", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get("/dumps/graph.nt", headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    changed = client.get("/dumps/graph.nt", headers={"If-None-Match": '"other"', "Accept-Encoding": "identity"})
    assert changed.status_code == 200 and len(changed.content) == state.dumps.files["graph.nt"].size


def test_gzip_only_when_accepted(client: TestClient) -> None:
    assert "content-encoding" not in client.get("/dumps/graph.ttl", headers={"Accept-Encoding": "identity"}).headers
    refused = client.get("/dumps/graph.ttl", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    zipped = client.get("/dumps/graph.ttl", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"].endswith('-gzip"')


def test_the_server_sends_the_dumps_from_files_written_once(client: TestClient, state: Publication) -> None:
    """The files of the data version's prepared entry (graph_service/prepared.py), not bytes held in memory:
    the same bytes, checksums and lengths as the in-memory build of the same store."""
    sums = state.dumps.files["SHA256SUMS"].data.decode()
    for name, file in state.dumps.files.items():
        assert file.path is not None and file.held == b"" and file.held_gzip == b"", name
        plain = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and plain.content == file.path.read_bytes(), name
        assert plain.headers["content-length"] == str(file.size)
        assert hashlib.sha256(plain.content).hexdigest() == file.sha256
        if name != "SHA256SUMS":
            assert f"{file.sha256}  {name}" in sums
        zipped = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.content == file.data, name  # httpx unzips
    served = client.get("/dumps/graph.nt", headers={"Accept-Encoding": "identity"}).content
    assert served == build_dumps(state.graph.stores[0]).files["graph.nt"].data


def test_dump_index_and_unknown_file(client: TestClient) -> None:
    assert "graph.jsonld" in client.get("/dumps/").text
    assert client.get("/dumps/graph.xml").status_code == 404


@pytest.mark.slow
def test_export_command_writes_verifiable_files(tmp_path: Path, state: Publication) -> None:
    assert main(["export", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert (out / "graph.ttl").read_bytes() == state.dumps.files["graph.ttl"].data
    quads = list(ox.parse(path=out / "graph.nq", format=ox.RdfFormat.N_QUADS))  # for a SPARQL engine
    files = project_files(state.settings)
    assert {q.graph_name.value for q in quads} == {graph_iri(state.settings.base_iri, f) for f in files}
    assert len({q.triple for q in quads}) == state.stats.triples
