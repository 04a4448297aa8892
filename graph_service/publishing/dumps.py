"""Whole-graph dumps (Turtle, N-Triples, JSON-LD), their context and SHA-256 checksums."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_service.formats.representations import JSONLD, NTRIPLES, TURTLE, Representation
from graph_service.publishing.context import Context, build_context, context_document
from graph_service.publishing.serialize import serialize
from graph_service.publishing.storegraph import StoreGraph

DUMP_FORMATS: tuple[tuple[str, Representation], ...] = (
    ("graph.ttl", TURTLE),
    ("graph.nt", NTRIPLES),
    ("graph.jsonld", JSONLD),
)
CONTEXT_FILE = "context.jsonld"
CHECKSUMS_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class DumpFile:
    """One file as served: bytes, media type, SHA-256 and a gzip copy."""

    name: str
    media_type: str
    data: bytes
    sha256: str
    gzipped: bytes

    @property
    def size(self) -> int:
        """Length in bytes (uncompressed)."""
        return len(self.data)


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
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        gzipped=gzip.compress(data, compresslevel=9, mtime=0),
    )


def canonical(store: ox.Store) -> ox.Store:
    """The store's triples (named graphs merged) with their blank nodes labelled by RDFC-1.0 from the
    graph's structure, so that the same triples always give the same bytes."""
    merged = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in StoreGraph(store).ox_triples())
    merged.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    out = ox.Store()
    out.extend(merged)
    return out


def build_dumps(store: ox.Store) -> Dumps:
    """Serialize the whole graph of the store in each dump format (by Oxigraph; JSON-LD by our writer, flat
    with the published context); stable bytes for the same triples."""
    stable = StoreGraph(canonical(store))
    context = build_context(stable)
    files = {name: make_file(name, fmt.content_type, serialize(stable, fmt, context)) for name, fmt in DUMP_FORMATS}
    files[CONTEXT_FILE] = make_file(CONTEXT_FILE, JSONLD.content_type, context_document(context))
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files.values(), key=lambda f: f.name))
    files[CHECKSUMS_FILE] = make_file(CHECKSUMS_FILE, "text/plain; charset=utf-8", sums.encode())
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
