"""One on-disk Oxigraph store that every query worker opens read-only, instead of one copy each.

When KG_WORKER_STORE says so (`shared`, or `auto` with data too large for a copy per worker), the
server writes what the workers serve (the data's N-Quads, the examples and the schema) once into
an Oxigraph (RocksDB) store under `Settings.cache_dir`, in a folder named by a SHA-256 of those
bytes, so that a restart with the same data reuses it; each worker opens it with
`Store.read_only`, and the operating system's page cache holds the pages they all read. A folder is
built under a temporary name and renamed when complete (a `READY` file inside names its key), so a
start that was killed half-way leaves nothing that looks finished. The last `KEEP` folders are kept,
older ones removed. See docs/decisions/0015-how-query-workers-hold-the-store.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger("graph_service")
READY = "READY"
KEEP = 3  # store folders kept in the cache (the current one and the last ones, for a quick way back)
PREFIX = "store-"
# auto: copies while the N-Quads are under 1/20 of the worker's memory bound (51 MiB at 1 GiB, about 30 times
# the guide's data). Was 1/10: at 64 times (575,669 triples, 99 MB of N-Quads) each worker then held a 400 MB
# copy re-parsed at every start (all processes 1.6 GB, a same-data start 19.8 s), while the on-disk store the
# server prepares anyway (decision 0019) opens at once (decision 0015, amended).
AUTO_SHARE_FRACTION = 20


def shares(mode: str, nquads_bytes: int, memory_mb: int) -> bool:
    """Whether the workers share the on-disk store (KG_WORKER_STORE): `auto` shares when a copy would
    not fit well under a worker's bound (a worker loading a copy peaks near 5x the N-Quads' size, and
    the bound also holds the interpreter and the query thread's 256 MiB stack)."""
    if mode != "auto":
        return mode == "shared"
    return memory_mb > 0 and nquads_bytes > (memory_mb << 20) // AUTO_SHARE_FRACTION


def store_key(nquads: bytes) -> str:
    """The SHA-256 (hex) of what the workers serve."""
    return hashlib.sha256(nquads).hexdigest()


def is_complete(path: Path, key: str) -> bool:
    """True when `path` is a folder finished for `key` (a store here, a data version's entry in prepared.py)."""
    try:
        return (path / READY).read_text(encoding="ascii") == key
    except (OSError, UnicodeDecodeError):
        return False


def publish(building: Path, path: Path, key: str) -> None:
    """Mark the folder `building` finished for `key` and rename it to `path`, so that a folder of that name
    is complete or absent; when another replica sharing the cache finished it first, theirs is kept."""
    (building / READY).write_text(key, encoding="ascii")
    if is_complete(path, key):
        shutil.rmtree(building, ignore_errors=True)
        return
    if path.exists():  # an unfinished or foreign folder of that name
        shutil.rmtree(path)
    try:
        os.rename(building, path)
    except OSError:
        if not is_complete(path, key):
            raise
        shutil.rmtree(building, ignore_errors=True)


def prepare(cache_dir: Path, nquads: bytes) -> Path | None:
    """The folder of the on-disk store holding `nquads` (built now unless it exists), or None when the
    cache folder cannot hold it (logged: the workers then load a copy each, as before)."""
    return _prepare(cache_dir, store_key(nquads), lambda folder: _build(folder, nquads))


def prepare_from(cache_dir: Path, data_key: str, source: ox.Store, extra: bytes) -> Path | None:
    """Like `prepare`, for the quads of `source` (the data version's prepared store, `data_key` its key)
    and the N-Quads `extra` (the examples and the schema): keyed by both, so that a restart with the
    same data and queries opens it without dumping the store."""
    key = hashlib.sha256(f"{data_key}\0".encode() + extra).hexdigest()

    def build(folder: Path) -> None:
        store = ox.Store(str(folder))
        store.bulk_extend(source.quads_for_pattern(None, None, None, None))
        store.bulk_extend(ox.parse(extra, format=ox.RdfFormat.N_QUADS))
        store.flush()
        store.optimize()
        del store

    return _prepare(cache_dir, key, build)


def _prepare(cache_dir: Path, key: str, build: Callable[[Path], None]) -> Path | None:
    path = cache_dir / f"{PREFIX}{key[:32]}"
    if is_complete(path, key):
        log.info("query workers share the store %s (this data version's, built before)", path)
        return path
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=cache_dir, prefix=f".{PREFIX}"))
        try:
            build(building)
            publish(building, path, key)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    except OSError as exc:
        log.warning(
            "query workers load a copy of the store each: cannot write it to %s (%s); "
            "KG_CACHE_DIR names a writable folder",
            cache_dir,
            exc,
        )
        return None
    _prune(cache_dir, keep=path)
    log.info("query workers share the store %s (built now)", path)
    return path


def _build(folder: Path, nquads: bytes) -> None:
    """Write the quads into a new store at `folder`; parse() keeps the blank node labels, so the
    workers and the server's own store agree on them."""
    store = ox.Store(str(folder))
    store.bulk_extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    store.flush()
    store.optimize()
    del store


def _prune(cache_dir: Path, keep: Path) -> None:
    """Remove all but the KEEP most recent store folders (and builds left by a killed start)."""
    found = sorted(
        (p for p in cache_dir.iterdir() if p.name.startswith(PREFIX) and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in found[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    for left in cache_dir.glob(f".{PREFIX}*"):
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < keep.stat().st_mtime - 3600:
                shutil.rmtree(left, ignore_errors=True)


def start_failure(status: str, out_of_memory: bool, memory_mb: int, shared: bool, last_words: str) -> str:
    """Why a query worker ended before it held the store, and which setting raises the limit it met."""
    if out_of_memory or "MemoryError" in last_words:
        fix = (
            "raise KG_WORKER_MEMORY_MB (0 lifts the bound)"
            if shared
            else "raise KG_WORKER_MEMORY_MB (0 lifts the bound), or set KG_WORKER_STORE=shared (with a writable "
            "KG_CACHE_DIR) so that the workers share one on-disk store instead of loading a copy each"
        )
        return (
            f"the worker ran out of memory while loading the store ({status}): each query worker's address "
            f"space is bounded by KG_WORKER_MEMORY_MB={memory_mb} MiB; {fix}"
        )
    return f"the worker ended while loading the store ({status}){': ' + last_words if last_words else ''}"
