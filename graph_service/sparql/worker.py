"""A query worker process: holds the store, answers one query at a time over stdin/stdout.

Run as `python -m graph_service.sparql.worker`. It imports only pyoxigraph and the standard
library so that a replacement starts fast. The server kills it when a query passes its deadline.
"""

from __future__ import annotations

import sys
from typing import IO, Any, BinaryIO, cast

import pyoxigraph as ox

from graph_service.sparql.framing import encode, read_message


class RowCapError(Exception):
    """More rows than the cap; raised from inside the serializer to stop it early."""


class _CappedLines:
    """A write target that counts lines (TSV rows) and stops past a limit."""

    def __init__(self, max_lines: int) -> None:
        self.max_lines = max_lines
        self.lines = 0
        self.chunks: list[bytes] = []
        self.exceeded = False

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.lines > self.max_lines:
            self.exceeded = True
            raise RowCapError
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush."""


def _graphs(iris: list[str] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _too_many(max_rows: int, what: str) -> dict[str, Any]:
    return {"ok": False, "error": "too-many-rows", "max_rows": max_rows, "what": what}


def run_query(store: ox.Store, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Evaluate and serialize one query; errors come back as a header, not an exception."""
    options: dict[str, Any] = {}
    if request.get("default_graph") is not None:
        options["default_graph"] = _graphs(request["default_graph"])
    if request.get("named_graphs") is not None:
        options["named_graphs"] = _graphs(request["named_graphs"])
    if request.get("union"):
        options["use_default_graph_as_union"] = True
    max_rows = int(request["max_rows"])
    try:
        result = store.query(request["query"], **options)
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}, b""
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = getattr(ox.QueryResultsFormat, request["results_format"])
            return {"ok": True, "kind": "boolean"}, result.serialize(format=fmt) or b""
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, request["results_format"], max_rows)
        return _triples(result, request["graph_format"], max_rows, request.get("prefixes") or {})
    except (OSError, ValueError, RuntimeError) as exc:
        return {"ok": False, "error": "evaluation", "message": str(exc)}, b""


def _solutions(
    result: ox.QuerySolutions, format_name: str, max_rows: int
) -> tuple[dict[str, Any], bytes]:
    capped = _CappedLines(max_rows + 1)  # the header line plus the rows
    try:
        result.serialize(cast(IO[bytes], capped), format=ox.QueryResultsFormat.TSV)
    except Exception:
        if capped.exceeded:
            return _too_many(max_rows, "rows"), b""
        raise
    tsv = b"".join(capped.chunks)
    if format_name == "TSV":
        return {"ok": True, "kind": "solutions"}, tsv
    table = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    body = table.serialize(format=getattr(ox.QueryResultsFormat, format_name))
    return {"ok": True, "kind": "solutions"}, body or b""


def _triples(
    result: ox.QueryTriples, format_name: str, max_rows: int, prefixes: dict[str, str]
) -> tuple[dict[str, Any], bytes]:
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) >= max_rows:
            return _too_many(max_rows, "triples"), b""
        triples.append(triple)
    fmt = getattr(ox.RdfFormat, format_name)
    body = ox.serialize(triples, format=fmt, prefixes=prefixes or None)
    return {"ok": True, "kind": "triples"}, body or b""


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Load the store from the first message, then answer queries until stdin closes."""
    store = ox.Store()
    prefixes: dict[str, str] = {}
    while (message := read_message(stdin)) is not None:
        header, body = message
        if header.get("op") == "load":
            # parse() keeps blank node labels (Store.load renames them), so every worker and
            # the server's own store agree on them, and ORDER BY is stable across workers
            store.extend(ox.parse(body, format=ox.RdfFormat.N_QUADS))
            prefixes = header.get("prefixes") or {}
            reply: tuple[dict[str, Any], bytes] = ({"ok": True, "quads": len(store)}, b"")
        else:
            header.setdefault("prefixes", prefixes)
            reply = run_query(store, header)
        stdout.write(encode(*reply))
        stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
