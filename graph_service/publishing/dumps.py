"""Whole-graph dumps (Turtle, N-Triples, JSON-LD), their context and SHA-256 checksums.

`build_dumps` holds them in memory (the CLI, tests); `write_dumps` writes them to a folder once per
data version (`graph_service/prepared.py`), one format at a time, each with its gzip copy beside it, and the
server then sends the files: its memory does not hold them. `read_dumps` opens such a folder again
from its manifest (sizes and SHA-256 computed when written).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from graph_service.formats.representations import JSONLD, NTRIPLES, TURTLE, Representation
from graph_service.publishing.context import Context, build_context, context_document
from graph_service.publishing.serialize import serialize, sorted_ntriples
from graph_service.publishing.storegraph import StoreGraph

DUMP_FORMATS: tuple[tuple[str, Representation], ...] = (
    ("graph.ttl", TURTLE),
    ("graph.nt", NTRIPLES),
    ("graph.jsonld", JSONLD),
)
CONTEXT_FILE = "context.jsonld"
CHECKSUMS_FILE = "SHA256SUMS"
MANIFEST = "manifest.json"
# zlib's default level: on the dumps' text about three times faster than 9 for a few per cent more bytes
# (the gzip copies are made once per data version, but at the first start of a large one)
GZIP_LEVEL = 6


@dataclass(frozen=True)
class DumpFile:
    """One file as served: media type, SHA-256 and length, its bytes and gzip copy in memory or, when
    `path` is set, in that file and `path.gz` beside it (read only when sent)."""

    name: str
    media_type: str
    sha256: str
    size: int  # length in bytes (uncompressed)
    path: Path | None = None
    held: bytes = b""
    held_gzip: bytes = b""

    @property
    def data(self) -> bytes:
        """The bytes (read from the file when on disk)."""
        return self.path.read_bytes() if self.path is not None else self.held

    @property
    def gzipped(self) -> bytes:
        """The gzip copy (read from the file when on disk)."""
        return gz_path(self.path).read_bytes() if self.path is not None else self.held_gzip


def gz_path(path: Path) -> Path:
    """Where a dump's gzip copy is kept."""
    return path.with_name(path.name + ".gz")


@dataclass(frozen=True)
class Dumps:
    """All files of an export, by name, with the graph's JSON-LD context."""

    files: dict[str, DumpFile]
    context: Context

    def graph_dumps(self) -> list[tuple[DumpFile, Representation]]:
        """The whole-graph dumps with their format, in a fixed order."""
        return [(self.files[name], fmt) for name, fmt in DUMP_FORMATS]


def make_file(name: str, media_type: str, data: bytes) -> DumpFile:
    """Checksum and compress once (gzip with no timestamp, so it is reproducible too)."""
    return DumpFile(
        name=name,
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        held=data,
        held_gzip=_gzip(data, io.BytesIO()),
    )


def _gzip(data: bytes, out: BinaryIO) -> bytes:
    """Compress `data` into `out` (no name, no timestamp: the same bytes in memory and in a file); the
    bytes when `out` is in memory."""
    with gzip.GzipFile(filename="", fileobj=out, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as stream:
        stream.write(data)
    return out.getvalue() if isinstance(out, io.BytesIO) else b""


def write_file(folder: Path, name: str, media_type: str, data: bytes) -> DumpFile:
    """Write `data` and its gzip copy (compressed straight into its file) to `folder`; the returned file
    holds no bytes."""
    path = folder / name
    path.write_bytes(data)
    with gz_path(path).open("wb") as out:
        _gzip(data, out)
    return DumpFile(name, media_type, hashlib.sha256(data).hexdigest(), len(data), path=path)


def canonical(store: ox.Store) -> ox.Store:
    """The store's triples (named graphs merged) with their blank nodes labelled by RDFC-1.0 from the
    graph's structure, so that the same triples always give the same bytes."""
    merged = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in StoreGraph(store).ox_triples())
    merged.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    out = ox.Store()
    out.extend(merged)
    return out


def build_dumps(store: ox.Store, folder: Path | None = None) -> Dumps:
    """Serialize the whole graph of the store in each dump format (by Oxigraph; JSON-LD by our writer, flat
    with the published context); stable bytes for the same triples. With `folder`, each file is written
    there as soon as serialized (one format in memory at a time) and a manifest records them."""

    def make(name: str, media_type: str, data: bytes) -> DumpFile:
        return write_file(folder, name, media_type, data) if folder is not None else make_file(name, media_type, data)

    stable = StoreGraph(canonical(store))
    context = build_context(stable)
    ntriples = sorted_ntriples(stable)  # once for the formats written from it (Turtle, N-Triples)
    files = {}
    for name, fmt in DUMP_FORMATS:
        files[name] = make(name, fmt.content_type, serialize(stable, fmt, context, ntriples))
    files[CONTEXT_FILE] = make(CONTEXT_FILE, JSONLD.content_type, context_document(context))
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files.values(), key=lambda f: f.name))
    files[CHECKSUMS_FILE] = make(CHECKSUMS_FILE, "text/plain; charset=utf-8", sums.encode())
    if folder is not None:
        manifest = {
            "files": [
                {"name": f.name, "media_type": f.media_type, "sha256": f.sha256, "size": f.size} for f in files.values()
            ],
            "context": context,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return Dumps(files=files, context=context)


def read_dumps(folder: Path) -> Dumps | None:
    """The dumps `build_dumps` wrote to `folder`, from its manifest; None when it is missing, unreadable
    or names a file that is not there with its length (the caller builds them again)."""
    try:
        manifest: Any = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = {}
        for item in manifest["files"]:
            path = folder / item["name"]
            if path.stat().st_size != item["size"] or not gz_path(path).is_file():
                return None
            files[item["name"]] = DumpFile(item["name"], item["media_type"], item["sha256"], item["size"], path=path)
        context = manifest["context"]
        if set(files) != {*(n for n, _f in DUMP_FORMATS), CONTEXT_FILE, CHECKSUMS_FILE} or not isinstance(
            context, dict
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Dumps(files=files, context=context)


def export(dumps: Dumps, directory: Path) -> list[Path]:
    """Write every file into `directory` (created if needed); return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(dumps.files):
        path = directory / name
        path.write_bytes(dumps.files[name].data)
        written.append(path)
    return written
