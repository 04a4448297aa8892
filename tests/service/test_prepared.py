"""The data prepared once per data version (graph_service/prepared.py): reused, rebuilt, ignored."""

from __future__ import annotations

import errno
import gc
import gzip
import hashlib
import json
from pathlib import Path

import pytest

from graph_service import prepared
from graph_service.dataset.store import DatasetError, build_store
from graph_service.publishing.dumps import CHECKSUMS_FILE, build_dumps, gz_path
from graph_service.sparql import shared_store
from graph_service.sparql.description import compute_statistics

BASE = "https://kg.example.org/"
ONE = """@prefix ex: <https://kg.example.org/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:Thing ; rdfs:label "a"@fr ; ex:knows [ rdfs:label "blank" ] .
"""
TWO = '<https://kg.example.org/id/b> <http://www.w3.org/2000/01/rdf-schema#label> "b"@en .\n'


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """Two small data files."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "one.ttl").write_text(ONE, encoding="utf-8")
    (data / "two.nt").write_text(TWO, encoding="utf-8")
    return [data / "one.ttl", data / "two.nt"]


def build(cache: Path | None, files: list[Path]) -> tuple[prepared.Prepared, int]:
    """The prepared entry and how many entries were built to get it."""
    before = prepared.BUILDS
    entry = prepared.prepare(cache, files, BASE)
    return entry, prepared.BUILDS - before


def test_a_second_start_with_the_same_files_opens_the_entry(tmp_path: Path, files: list[Path]) -> None:
    first, builds = build(tmp_path / "cache", files)
    assert builds == 1 and first.built
    again, builds = build(tmp_path / "cache", files)
    assert builds == 0 and not again.built
    assert again.folder == first.folder and again.stats == first.stats
    assert again.stats.triples == 5 and len(again.store) == 5
    assert {name: f.sha256 for name, f in again.dumps.files.items()} == {
        name: f.sha256 for name, f in first.dumps.files.items()
    }


def test_a_changed_file_is_prepared_again(tmp_path: Path, files: list[Path]) -> None:
    first, _ = build(tmp_path / "cache", files)
    files[1].write_text(TWO + TWO.replace("/b>", "/c>"), encoding="utf-8")
    changed, builds = build(tmp_path / "cache", files)
    assert builds == 1 and changed.key != first.key and changed.stats.triples == 6


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / prepared.META).write_text("{not json", encoding="utf-8"),
        lambda folder: (folder / prepared.META).write_text(json.dumps({"format": 1, "key": "other"}), encoding="utf-8"),
        lambda folder: (folder / prepared.DUMPS / "graph.nt").write_bytes(b"truncated"),
        lambda folder: (folder / prepared.DUMPS / "manifest.json").unlink(),
        lambda folder: (folder / shared_store.READY).write_text("another key", encoding="ascii"),
    ],
    ids=["meta not json", "foreign meta", "dump truncated", "no manifest", "unfinished"],
)
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(tmp_path: Path, files: list[Path], damage: object) -> None:
    first, _ = build(tmp_path / "cache", files)
    assert callable(damage)
    damage(first.folder)
    del first
    again, builds = build(tmp_path / "cache", files)
    assert builds == 1 and again.stats.triples == 5
    assert again.dumps.files["graph.nt"].data.count(b"\n") == 5


def test_an_unwritable_cache_still_serves_from_a_temporary_folder(tmp_path: Path, files: list[Path]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    first, builds = build(blocker, files)
    assert builds == 1 and not first.folder.is_relative_to(blocker) and first.stats.triples == 5
    again, builds = build(blocker, files)
    assert builds == 1  # nothing could be kept: built again
    folder = again.folder
    del again
    gc.collect()
    assert not folder.exists()  # the temporary folder goes with its entry


def test_no_cache_folder_builds_in_a_temporary_folder(files: list[Path]) -> None:
    entry, builds = build(None, files)
    assert builds == 1 and entry.stats.triples == 5


def test_a_file_that_does_not_parse_is_a_dataset_error(tmp_path: Path, files: list[Path]) -> None:
    files[0].write_text(ONE + "ex:broken ex:p .\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"one\.ttl"):
        prepared.prepare(tmp_path / "cache", files, BASE)
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(prepared.PREFIX)]


def test_the_files_are_the_bytes_and_statistics_of_the_in_memory_build(tmp_path: Path, files: list[Path]) -> None:
    entry, _ = build(tmp_path / "cache", files)
    store, _graphs = build_store(files, BASE)
    held = build_dumps(store)
    assert compute_statistics(store) == entry.stats
    assert set(held.files) == set(entry.dumps.files)
    for name, file in entry.dumps.files.items():
        assert file.path is not None and file.held == b""  # on disk, not in memory
        assert file.data == held.files[name].data and file.gzipped == held.files[name].gzipped, name
        assert gzip.decompress(gz_path(file.path).read_bytes()) == file.data
        assert file.sha256 == hashlib.sha256(file.data).hexdigest() and file.size == len(file.data)
    sums = entry.dumps.files[CHECKSUMS_FILE].data.decode()
    assert f"{entry.dumps.files['graph.ttl'].sha256}  graph.ttl" in sums
    assert entry.dumps.context == held.context


def test_a_full_disk_names_the_limit_and_the_settings(
    tmp_path: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tried: list[Path] = []

    def full(folder: Path, *_args: object) -> None:
        tried.append(folder)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(prepared, "_build", full)
    with pytest.raises(DatasetError, match=r"needs about \d+ MB of disk.*KG_CACHE_DIR.*TMPDIR"):
        prepared.prepare(tmp_path / "cache", files, BASE)
    assert len(tried) == 2 and tried[0].parent == tmp_path / "cache"  # the cache, then a temporary folder
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith((prepared.PREFIX, ".prepared"))]
    monkeypatch.undo()
    entry, builds = build(tmp_path / "cache", files)  # room again: kept this time
    assert builds == 1 and entry.folder.parent == tmp_path / "cache"
