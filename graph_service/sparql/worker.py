"""A query worker process: holds the store, answers one query at a time over stdin/stdout.

Run as `python -m graph_service.sparql.worker [--memory-mb N] [--seccomp] [--probe-port P]`. It imports
only pyoxigraph, the standard library and (for its seccomp filter) pyseccomp, so that a replacement
starts fast; before it reads anything it installs the filter and probes its egress
(`graph_service.sparql.seccomp`). The server kills it when a query passes
its deadline. Every error a query can raise comes back as an error reply; the process bounds its
own address space (RLIMIT_AS) and runs queries on a thread with a large stack, so that deep but
allowed recursion in the engine's parser cannot overflow it.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import threading
from collections.abc import Callable, Iterable
from typing import IO, Any, BinaryIO, cast

import pyoxigraph as ox

from graph_service.sparql import seccomp
from graph_service.sparql.framing import read_request, write_reply

Result = ox.QueryBoolean | ox.QuerySolutions | Iterable[ox.Triple]
QUERY_STACK_BYTES = 256 << 20  # a 50,000-operator chain parses in it; 8 MiB overflows at ~7,000


class RowCapError(Exception):
    """More rows than the cap; raised from inside the serializer to stop it early."""


class AnswerTooLargeError(Exception):
    """More bytes than the cap; raised from inside the serializer to stop it early."""


class _RowCount:
    """The rows of a results document, counted as the serializer writes it, chunk by chunk.

    `feed` keeps a cheap count that is never below the true one: lines in TSV (line breaks in terms
    are escaped) and CSV, `<result>` in XML (`<` is escaped, so this one is exact), `{` in JSON
    (each row is an object; so is each value in it, and braces inside strings count too: a loose
    bound, but a one-byte count costs a quarter of a two-byte one, and it is paid on every answer).
    `exact` counts a document (or its beginning) without quoted text: line breaks in CSV, the
    `[{` and `,{` that begin rows in JSON.
    """

    def __init__(self, format_name: str) -> None:
        self.format = format_name
        self.bound = -1 if format_name in ("TSV", "CSV") else 0  # the header line is no row
        self._carry = b""

    @property
    def is_exact(self) -> bool:
        """True when `bound` is the count itself."""
        return self.format in ("TSV", "XML")

    def feed(self, data: bytes) -> int:
        """Count the rows begun in `data`; the bound so far."""
        if self.format in ("TSV", "CSV"):
            self.bound += data.count(b"\n")
            return self.bound
        if self.format == "XML":
            data = self._carry + data
            self.bound += len(_XML_ROW.findall(data))
            self._carry = data[-7:]  # shorter than the mark, so never counted twice
        else:
            self.bound += data.count(b"{")
        return self.bound

    def exact(self, document: bytes) -> int:
        """Rows begun in `document`, a whole answer or its beginning."""
        if self.format == "CSV":
            return _CSV_QUOTED.sub(b"", document).count(b"\n") - 1
        if self.format == "JSON":
            bare = _JSON_STRING.sub(b"", document)
            return bare.count(b"[{") + bare.count(b",{")
        return self.bound


_XML_ROW = re.compile(rb"<result[>/]")  # `<result>` or `<result/>`, not `<results>`
# quoted text, also when the document (so far) ends inside it
_CSV_QUOTED = re.compile(rb'"[^"]*(?:"|\Z)')
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)


class _CappedOutput:
    """A write target that keeps what it is given, up to a number of rows and of bytes.

    Past the row cap by the cheap count, the rows written so far are counted exactly: more than
    the cap stops the serializer; fewer (quoted text held row marks) defers the exact count to the
    end (`check_rows`), so that no document is counted more than twice.
    """

    def __init__(self, max_rows: int | None, max_bytes: int, format_name: str = "TSV") -> None:
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.size = 0
        self.chunks: list[bytes] = []
        self._rows = _RowCount(format_name) if max_rows is not None else None
        self._deferred = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise AnswerTooLargeError
        chunk = bytes(data)
        self.chunks.append(chunk)
        rows, cap = self._rows, self.max_rows
        if rows is not None and cap is not None and rows.feed(chunk) > cap and not self._deferred:
            if rows.is_exact or rows.exact(self.value()) > cap:
                raise RowCapError
            self._deferred = True
        return len(data)

    def flush(self) -> None:
        """Nothing to flush."""

    def check_rows(self) -> None:
        """Raise RowCapError if the whole document holds more rows than the cap."""
        rows, cap = self._rows, self.max_rows
        if self._deferred and rows is not None and cap is not None and rows.exact(self.value()) > cap:
            raise RowCapError

    def value(self) -> bytes:
        """Everything written."""
        return b"".join(self.chunks)


def _graphs(iris: list[str] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _too_many(max_rows: int, what: str) -> dict[str, Any]:
    return {"ok": False, "error": "too-many-rows", "max_rows": max_rows, "what": what}


def _cannot_hold(format_name: str, kind: str, exc: OSError) -> dict[str, Any]:
    return {"ok": False, "error": "format-cannot-hold", "format": format_name, "kind": kind, "message": str(exc)[:500]}


def _too_large(max_bytes: int) -> dict[str, Any]:
    return {"ok": False, "error": "answer-too-large", "max_bytes": max_bytes}


def run_query(store: ox.Store, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Evaluate and serialize one query; every error comes back as a header, never raised."""
    return _guarded(request, lambda max_bytes: _run(store, request, max_bytes))


def serialize_result(result: Result, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Serialize a result evaluated elsewhere (a remote engine's, parsed) exactly as run_query does."""
    return _guarded(request, lambda max_bytes: _serialize(result, request, max_bytes))


def _guarded(
    request: dict[str, Any], work: Callable[[int], tuple[dict[str, Any], bytes]]
) -> tuple[dict[str, Any], bytes]:
    max_bytes = int(request.get("max_bytes") or 1 << 62)
    try:
        return work(max_bytes)
    except RowCapError:
        return _too_many(int(request["max_rows"]), "rows"), b""
    except AnswerTooLargeError:
        return _too_large(max_bytes), b""
    except MemoryError:
        return {"ok": False, "error": "memory"}, b""
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}, b""
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        return {"ok": False, "error": "evaluation", "message": f"{type(exc).__name__}: {exc}"[:2000]}, b""


def _run(store: ox.Store, request: dict[str, Any], max_bytes: int) -> tuple[dict[str, Any], bytes]:
    options: dict[str, Any] = {}
    if request.get("default_graph") is not None:
        options["default_graph"] = _graphs(request["default_graph"])
    if request.get("named_graphs") is not None:
        options["named_graphs"] = _graphs(request["named_graphs"])
    if request.get("union"):
        options["use_default_graph_as_union"] = True
    result = store.query(request["query"], base_iri=request.get("base_iri"), **options)
    return _serialize(result, request, max_bytes)


def _serialize(result: Result, request: dict[str, Any], max_bytes: int) -> tuple[dict[str, Any], bytes]:
    max_rows = int(request["max_rows"])
    if isinstance(result, ox.QueryBoolean):
        fmt = getattr(ox.QueryResultsFormat, request["results_format"])
        return {"ok": True, "kind": "boolean"}, result.serialize(format=fmt) or b""
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, request["results_format"], max_rows, max_bytes)
    return _triples(result, request["graph_format"], max_rows, max_bytes, request.get("prefixes") or {})


def _solutions(
    result: ox.QuerySolutions, format_name: str, max_rows: int, max_bytes: int
) -> tuple[dict[str, Any], bytes]:
    out = _CappedOutput(max_rows, max_bytes, format_name)
    try:
        result.serialize(cast(IO[bytes], out), format=getattr(ox.QueryResultsFormat, format_name))
    except OSError as exc:  # a term the format cannot write; the caps raise their own errors
        return _cannot_hold(format_name, "solutions", exc), b""
    out.check_rows()
    return {"ok": True, "kind": "solutions"}, out.value()


def _triples(
    result: Iterable[ox.Triple], format_name: str, max_rows: int, max_bytes: int, prefixes: dict[str, str]
) -> tuple[dict[str, Any], bytes]:
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) >= max_rows:
            return _too_many(max_rows, "triples"), b""
        triples.append(triple)
    out = _CappedOutput(None, max_bytes)
    try:
        ox.serialize(
            triples, cast(IO[bytes], out), format=getattr(ox.RdfFormat, format_name), prefixes=prefixes or None
        )
    except OSError as exc:  # e.g. JSON-LD holds no RDF 1.2 triple terms; the caps raise their own
        return _cannot_hold(format_name, "triples", exc), b""
    return {"ok": True, "kind": "triples"}, out.value()


def serve(stdin: BinaryIO, stdout: BinaryIO, egress: dict[str, Any] | None = None) -> None:
    """Load the store from the first message (or open the shared one it names), then answer queries
    until stdin closes.

    `egress`, the probe's report, goes back with the answer to the load."""
    store = ox.Store()
    prefixes: dict[str, str] = {}
    while (message := read_request(stdin)) is not None:
        header, body = message
        if header.get("op") == "load":
            # parse() keeps blank node labels (Store.load renames them), so every worker and
            # the server's own store agree on them, and ORDER BY is stable across workers
            store.extend(ox.parse(body, format=ox.RdfFormat.N_QUADS))
            prefixes = header.get("prefixes") or {}
            reply: tuple[dict[str, Any], bytes] = ({"ok": True, "quads": len(store), "egress": egress}, b"")
        elif header.get("op") == "open":  # the store every worker shares (sparql/shared_store.py)
            store = ox.Store.read_only(header["path"])
            prefixes = header.get("prefixes") or {}
            reply = ({"ok": True, "quads": len(store), "egress": egress}, b"")
        else:
            header.setdefault("prefixes", prefixes)
            del body
            reply = run_query(store, header)
        write_reply(stdout, *reply)
        del reply


def confine_and_probe(install: bool, port: int) -> dict[str, Any] | None:
    """Before any message is read: the seccomp filter if asked, then the probe of what is left."""
    failed = seccomp.confine(install)
    return {"failed": failed, **seccomp.probe(port)} if port else None


def limit_memory(megabytes: int) -> None:
    """Bound this process's address space: past it, allocations fail instead of the host swapping."""
    limit = megabytes << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str] | None = None) -> None:
    """Lock out the network, apply the memory bound, then serve on a thread with a large stack."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--seccomp", action="store_true", help="install the filter against egress")
    parser.add_argument("--probe-port", type=int, default=0, help="the server's listener to try to reach")
    args = parser.parse_args(argv)
    egress = confine_and_probe(args.seccomp, args.probe_port)
    threading.stack_size(QUERY_STACK_BYTES)
    if args.memory_mb:
        limit_memory(args.memory_mb)
    thread = threading.Thread(target=serve, args=(sys.stdin.buffer, sys.stdout.buffer, egress), name="queries")
    thread.start()
    thread.join()


if __name__ == "__main__":
    main()
