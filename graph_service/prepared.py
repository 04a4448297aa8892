"""What the server derives from the files, prepared once per data version and kept in KG_CACHE_DIR.

An entry is a folder `prepared-<key>` holding the on-disk Oxigraph store of the files (one named graph
per file, written by Oxigraph's bulk loader), the statistics (`stats.json`) and the publication's dumps
as files with their gzip copies and a manifest (`dumps/`). The key is a SHA-256 of each file's name and
bytes, the base IRI, pyoxigraph's and the package's versions and the bytes of the modules that write
the entry, so a restart with the same data opens the entry instead of parsing, counting and serializing
again. A folder is built under a temporary name and renamed when complete (`READY` inside names its
key); a folder that is unfinished, foreign or whose manifest does not match its files is ignored and
built again. When the cache folder cannot be written, the entry is built in a temporary folder of the
system's (removed when the process ends), so the service still starts. The last `KEEP` entries are
kept. See docs/decisions/0019-prepared-data-on-disk.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import graph_service
from graph_service.dataset import store as store_module
from graph_service.dataset.store import FORMATS, DatasetError, graph_iri
from graph_service.publishing import catalog, context, dumps, jsonld, publication, serialize, storegraph
from graph_service.publishing.catalog import temporal_coverage
from graph_service.publishing.dumps import Dumps, build_dumps, read_dumps
from graph_service.publishing.publication import local_iris
from graph_service.publishing.storegraph import StoreGraph
from graph_service.sparql import description, schema
from graph_service.sparql.description import Statistics, compute_statistics
from graph_service.sparql.schema import PropertyUse
from graph_service.sparql.shared_store import is_complete, publish

log = logging.getLogger("graph_service")
FORMAT = 1  # of an entry
PREFIX = "prepared-"
META = "meta.json"
IRIS = "iris.txt"  # the local IRIs of the data (the pages' index of each kind), one a line
STORE = "store"
DUMPS = "dumps"
KEEP = 2  # entries kept (the current one and the last one, for a quick way back)...
IN_USE_S = 7 * 86400  # ...and any entry a start opened within this time (a server may still send its dumps)
BUILDS = 0  # entries built by this process (the tests count them)


@dataclass
class Prepared:
    """One data version made ready: the store (on disk, read-only), its graphs, statistics and dumps."""

    key: str
    folder: Path
    store: ox.Store
    graphs: dict[str, Path]
    stats: Statistics
    dumps: Dumps
    nquads_bytes: int  # the length of the store as N-Quads (the workers' copy-or-share choice)
    temporal: tuple[date, date] | None  # the earliest and latest xsd:date of the data
    iris: list[str]  # the IRIs under the base IRI, sorted
    built: bool  # built by this start (False: opened from the cache)


def _code_version() -> bytes:
    """What else the entry depends on: the packages and the modules that write it."""
    versions = f"format={FORMAT}\npyoxigraph={metadata.version('pyoxigraph')}\npackage={graph_service.__version__}\n"
    modules = (store_module, dumps, serialize, jsonld, context, storegraph, description, schema, catalog, publication)
    code = b"".join(Path(str(m.__file__)).read_bytes() for m in modules)
    return versions.encode() + code + Path(__file__).read_bytes()


def prepared_key(files: Sequence[Path], base_iri: str) -> str:
    """SHA-256 (hex) of the files' names and bytes, the base IRI and the code's version."""
    digest = hashlib.sha256(_code_version())
    digest.update(b"\0base\0" + base_iri.encode())
    for path in files:
        digest.update(b"\0file\0" + str(path).encode() + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def prepare(cache_dir: Path | None, files: Sequence[Path], base_iri: str) -> Prepared:
    """The prepared entry of these files: opened from `cache_dir` when a complete one is there, else
    built (there, or in a temporary folder when `cache_dir` is None or cannot be written).
    DatasetError when a file does not parse or two files would share a graph."""
    files = list(files)
    graphs = _graphs(files, base_iri)
    key = prepared_key(files, base_iri)
    if cache_dir is not None:
        entry = cache_dir / f"{PREFIX}{key[:32]}"
        if is_complete(entry, key):
            opened = _open(entry, key, graphs)
            if opened is not None:
                with contextlib.suppress(OSError):
                    os.utime(entry)  # in use: not pruned by another start for IN_USE_S
                log.info("prepared data of this version opened from %s (the files are unchanged)", entry)
                return opened
            log.warning("ignoring the prepared data in %s: not an entry of this version; building it again", entry)
            shutil.rmtree(entry, ignore_errors=True)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(dir=cache_dir, prefix=f".{PREFIX}"))
        except OSError as exc:
            log.warning(
                "cannot keep the prepared data in %s (%s): built in a temporary folder, and again at the next "
                "start; KG_CACHE_DIR names a writable folder",
                cache_dir,
                str(exc),  # not the exception: its traceback would hold this frame (and the entry) alive
            )
        else:
            try:
                _build(building, key, files, graphs, base_iri)
                publish(building, entry, key)
            except OSError as exc:  # a full disk, a quota: the start goes on in a temporary folder
                shutil.rmtree(building, ignore_errors=True)
                log.warning(
                    "cannot write the prepared data to %s (%s): built in a temporary folder instead; "
                    "KG_CACHE_DIR needs room for about %d MB (twice the files and their dumps)",
                    cache_dir,
                    str(exc),
                    needed_mb(files),
                )
                return _temporary(key, files, graphs, base_iri)
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
            _prune(cache_dir, keep=entry)
            opened = _open(entry, key, graphs, built=True)
            if opened is None:  # pragma: no cover - just written
                raise DatasetError(f"the prepared data in {entry} cannot be read back")
            log.info("prepared data of this version built in %s", entry)
            return opened
    return _temporary(key, files, graphs, base_iri)


def needed_mb(files: Sequence[Path]) -> int:
    """A generous estimate of an entry's size: the store and the dumps (with their gzip) are each about
    twice the files (measured at 100x: 170 MB of files, an entry of about 700 MB)."""
    return 4 * sum(path.stat().st_size for path in files) >> 20


def _temporary(key: str, files: Sequence[Path], graphs: dict[str, Path], base_iri: str) -> Prepared:
    """The entry built in a temporary folder of the system's, removed with the entry; DatasetError naming
    the limit when that cannot be written either."""
    try:
        temporary = Path(tempfile.mkdtemp(prefix="kg-prepared-"))
    except OSError as exc:
        raise DatasetError(f"cannot write the prepared data anywhere ({exc}): {_room(files)}") from exc
    try:
        _build(temporary, key, files, graphs, base_iri)
        opened = _open(temporary, key, graphs, built=True)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise DatasetError(f"cannot write the prepared data to {temporary} ({exc}): {_room(files)}") from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    if opened is None:  # pragma: no cover - just written
        raise DatasetError(f"the prepared data in {temporary} cannot be read back")
    weakref.finalize(opened, shutil.rmtree, temporary, True)
    return opened


def _room(files: Sequence[Path]) -> str:
    return (
        f"the service needs about {needed_mb(files)} MB of disk for it: set KG_CACHE_DIR to a writable folder "
        "with that room (or TMPDIR, where it goes when KG_CACHE_DIR cannot hold it)"
    )


def _graphs(files: Sequence[Path], base_iri: str) -> dict[str, Path]:
    graphs: dict[str, Path] = {}
    for path in files:
        iri = graph_iri(base_iri, path)
        if iri in graphs:
            raise DatasetError(f"{path} and {graphs[iri]} would share the graph <{iri}>; rename one")
        if path.suffix not in FORMATS:
            raise DatasetError(f"{path}: unknown RDF file type {path.suffix!r}")
        graphs[iri] = path
    return graphs


def _build(folder: Path, key: str, files: Sequence[Path], graphs: dict[str, Path], base_iri: str) -> None:
    """Bulk-load the files into a store in `folder`, count it, write its dumps and the metadata."""
    global BUILDS  # a counter the tests read
    BUILDS += 1
    store = ox.Store(str(folder / STORE))
    for iri, path in graphs.items():
        try:
            store.bulk_load(path=path, format=FORMATS[path.suffix], to_graph=ox.NamedNode(iri))
        except SyntaxError as exc:
            raise DatasetError(f"{path}: {exc}") from exc
    store.flush()
    stats = compute_statistics(store)
    nquads = sum(len(chunk) for chunk in _nquads_chunks(store))
    (folder / DUMPS).mkdir()
    build_dumps(store, folder / DUMPS)
    temporal = temporal_coverage(StoreGraph(store))
    (folder / IRIS).write_text("".join(iri + "\n" for iri in local_iris(store, base_iri)), encoding="utf-8")
    store.optimize()
    del store
    meta = {
        "format": FORMAT,
        "key": key,
        "stats": asdict(stats),
        "nquads_bytes": nquads,
        "temporal": [day.isoformat() for day in temporal] if temporal else None,
    }
    (folder / META).write_text(json.dumps(meta), encoding="utf-8")


def _nquads_chunks(store: ox.Store) -> Any:
    """The store as N-Quads, a graph at a time (to measure it without holding all of it)."""
    for graph in store.named_graphs():
        yield store.dump(format=ox.RdfFormat.N_QUADS, from_graph=graph) or b""


def _open(folder: Path, key: str, graphs: dict[str, Path], *, built: bool = False) -> Prepared | None:
    """The entry in `folder`, or None when its metadata or dumps are not this key's."""
    try:
        meta: Any = json.loads((folder / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        stats = _stats(meta["stats"])
        nquads = int(meta["nquads_bytes"])
        first, last = (date.fromisoformat(day) for day in meta["temporal"]) if meta["temporal"] else (None, None)
        temporal = (first, last) if first and last else None
        iris = (folder / IRIS).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None
    found = read_dumps(folder / DUMPS)
    if found is None:
        return None
    try:
        store = ox.Store.read_only(str(folder / STORE))
    except OSError:
        return None
    return Prepared(key, folder, store, dict(graphs), stats, found, nquads, temporal, iris, built)


def _stats(raw: dict[str, Any]) -> Statistics:
    schema_ = {
        cls: {prop: PropertyUse(**use) for prop, use in props.items()} for cls, props in raw.pop("schema").items()
    }
    return Statistics(**raw, schema=schema_)


def _prune(cache_dir: Path, keep: Path) -> None:
    """Remove all but the KEEP most recent entries, sparing those opened within IN_USE_S (and builds left
    by a killed start, after an hour)."""
    found = sorted(
        (p for p in cache_dir.iterdir() if p.name.startswith(PREFIX) and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    now = keep.stat().st_mtime
    for old in found[KEEP - 1 :]:
        if old.stat().st_mtime < now - IN_USE_S:
            shutil.rmtree(old, ignore_errors=True)
    for left in cache_dir.glob(f".{PREFIX}*"):
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < keep.stat().st_mtime - 3600:
                shutil.rmtree(left, ignore_errors=True)
