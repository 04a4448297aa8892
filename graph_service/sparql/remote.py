"""A remote SPARQL 1.1 endpoint in place of the worker pool (`serve --engine URL`, `KG_ENGINE_URL`).

The query engine (`engine.py`) hands it the same request it hands a worker: the guarded query, the
dataset, the negotiated formats and the caps. It sends the query with SPARQLWrapper (POST, URL-encoded
form: the one POST every engine reads; Virtuoso 7 never answers a bare `application/sparql-query`
body), asks for SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE: Virtuoso would
otherwise send their triples as a JSON table), parses the answer with pyoxigraph and
serializes it with the workers' own code (`worker.serialize_result`), so both modes send the same
bytes for the same rows and apply the same row and byte caps. At most `connections` queries are
at the engine at once; the others wait, within their deadline. The engine's answer is parsed as it
is read (pyoxigraph reads it from the socket lazily) and serialized into the capped output at once,
so a query holds at most its output (`max_bytes`) and the parser's buffer, never the engine's
whole answer. The deadline is the client's: past it (or when the client goes away) the client gets
504 and the connection to the engine is shut down, so nothing more is read from it; the engine's own
evaluation is not stopped from here (give the engine its own timeout, e.g. Oxigraph's
`--timeout-s`). An engine that cannot be reached gives 503
`engine-unavailable`; every query opens a new connection, so the service recovers by itself when
the engine is back. With `graphs` (KG_ENGINE_DATASET=graphs), a query naming no dataset is sent
with this data's graphs as its dataset, for an engine whose default graph holds more (Virtuoso).
What only another engine reads (Virtuoso's DEFINE pragmas, bif: and sql: functions) is refused
before it is sent: the guard checks SPARQL 1.1 as Oxigraph reads it.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import http.client
import json
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any, cast

import pyoxigraph as ox
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from graph_service.dataset.store import ENGINE_FILE
from graph_service.problems import bad_request
from graph_service.sparql.engine import EngineUnavailableError
from graph_service.sparql.lexer import decode_escapes
from graph_service.sparql.pool import PoolBusyError, Reply, WorkerTimeoutError
from graph_service.sparql.worker import serialize_result

log = logging.getLogger("graph_service.remote")
# SPARQLWrapper warns when its own regex does not recognise a query's form; the guard has read it
warnings.filterwarnings("ignore", category=RuntimeWarning, module="SPARQLWrapper")

RESULTS = "application/sparql-results+json"
TRIPLES = "application/n-triples"
ACCEPT = f"{RESULTS}, {TRIPLES};q=0.9"  # the start-up check's queries, sent with no form
_POSITION = re.compile(r"(?<=error at )(\d+):(\d+)")
# Virtuoso's own time limits: MaxQueryExecutionTime passed (S1T00), or MaxQueryCostEstimationTime foreseen
_ENGINE_TIMEOUT = re.compile(r"\bS1T00\b|estimated execution time -?\d+ \(sec\) exceeds the limit")
# Virtuoso's built-in and SQL functions, callable from its SPARQL: bif:http_get fetches a URL as the
# endpoint's anonymous user on a default Debian install (run against Virtuoso 7.2.5, docs/operators.md)
_EXTENSION = re.compile(r"\b(bif|sql):", re.IGNORECASE)
_READ_FACTOR = 8  # the engine's JSON is larger than what we send; read at most this times the byte cap
_READ_CHUNK = 64 << 10  # the most read from the engine's socket at once (the parser asks for less)
_ERROR_BYTES = 64 << 10  # the most read of an engine's error reply (SPARQLWrapper would read it all)
_ERRORS: dict[int, type[SPARQLWrapperException]] = {
    400: QueryBadFormed,
    401: Unauthorized,
    404: EndPointNotFound,
    414: URITooLong,
    500: EndPointInternalError,
}


class EngineCheckError(Exception):
    """The engine does not hold the data this service serves (or does not answer)."""


@dataclass
class RemoteStats:
    """What happened to the queries sent to the engine (reported by /health and /metrics)."""

    sent: int = 0
    answered: int = 0
    unreachable: int = 0
    engine_errors: int = 0
    timeouts: int = 0
    cancelled: int = 0


class RemoteEngine:
    """Runs queries on a SPARQL 1.1 endpoint; the worker pool's interface (`engine.Backend`)."""

    sandboxed = False  # the engine is another program: its network is its operator's to restrict

    def __init__(self, url: str, connections: int, prefixes: Mapping[str, str], *, graphs: Sequence[str] = ()) -> None:
        self.url = url
        self.size = connections
        self.prefixes = dict(prefixes)
        # given (KG_ENGINE_DATASET=graphs): a query without its own dataset is sent with these as its
        # default and named graphs, so that an engine holding other graphs (Virtuoso's own) answers
        # over this data alone; empty: the engine's default graph is this data's union
        self.graphs = list(graphs)
        self.stats = RemoteStats()
        # no OS layer of this service's stands in front of the engine (deploy/systemd confines Oxigraph)
        self.egress = {"guard": True, "network_namespace": False, "seccomp": False}
        self._slots = asyncio.Semaphore(connections)
        # a thread abandoned at a deadline may wait for the engine's headers until its socket times out
        self._executor = ThreadPoolExecutor(max_workers=connections * 2 + 2, thread_name_prefix="engine")
        self._waiting = 0
        self._reachable = True

    @property
    def alive(self) -> int:
        """Connections usable: all while the engine answers, none once it cannot be reached."""
        return self.size if self._reachable else 0

    @property
    def waiting(self) -> int:
        """Queries waiting for a connection."""
        return self._waiting

    @property
    def replaced(self) -> int:
        """Nothing is restarted here (the engine is restarted by its operator)."""
        return 0

    async def start(self) -> None:
        """Nothing to start: connections are opened per query."""

    async def close(self) -> None:
        """Let go of the threads (a query still at the engine is left to finish there)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, header: Mapping[str, Any], *, deadline_s: float, query_id: str = "") -> Reply:
        """Send one query; raise PoolBusyError, WorkerTimeoutError or EngineUnavailableError."""
        refuse_extensions(header["query"], header.get("form"), "form" in header)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + deadline_s
        self._waiting += 1
        try:
            async with asyncio.timeout_at(deadline):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise PoolBusyError(f"no connection to the engine became free in {deadline_s:g} s") from exc
        finally:
            self._waiting -= 1
        request = {**header, "prefixes": self.prefixes}
        left = deadline - loop.time()
        exchange = _Exchange(time.monotonic() + left)
        try:
            self.stats.sent += 1
            work = loop.run_in_executor(self._executor, self._exchange, request, left, exchange)
            try:
                async with asyncio.timeout_at(deadline):
                    reply_header, body = await work
            except TimeoutError as exc:
                exchange.abandon()
                self.stats.timeouts += 1
                raise WorkerTimeoutError(f"query {query_id} passed its deadline at the engine") from exc
            except asyncio.CancelledError:
                exchange.abandon()
                self.stats.cancelled += 1
                raise
        finally:
            self._slots.release()
        return Reply(reply_header, body)

    def _exchange(
        self, request: dict[str, Any], timeout_s: float, exchange: _Exchange | None = None
    ) -> tuple[dict[str, Any], bytes]:
        """In a thread: send, then read, parse and serialize at once (bounded, stopped at the deadline
        or when abandoned); every engine error as a reply header."""
        exchange = exchange or _Exchange(time.monotonic() + timeout_s)
        prefix = f"BASE <{request['base_iri']}> " if request.get("base_iri") else ""
        client = _Client(self.url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)
        client.setTimeout(max(1, int(timeout_s + 1)))
        form = request.get("form")
        client.addCustomHttpHeader(
            "Accept", TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else RESULTS if form else ACCEPT
        )
        client.setQuery(prefix + request["query"])
        # the query's own FROM / FROM NAMED go as protocol parameters too: an engine serving the union
        # as its default graph (Oxigraph's --union-default-graph) would otherwise ignore them
        given = request.get("default_graph") is not None or request.get("named_graphs") is not None
        union = request.get("union") and self.graphs
        for iri in self.graphs if union else request.get("default_graph" if given else "from_graphs") or ():
            client.addDefaultGraph(iri)
        for iri in self.graphs if union else request.get("named_graphs" if given else "from_named_graphs") or ():
            client.addNamedGraph(iri)
        limit = int(request.get("max_bytes") or 1 << 30) * _READ_FACTOR
        try:
            response = client.query().response
            exchange.hold(response)
            content_type = response.headers.get("content-type", "")
            engine_rows = response.headers.get("x-sparql-maxrows")
        except QueryBadFormed as exc:
            self._reachable = True
            return {"ok": False, "error": "syntax", "message": _engine_message(exc, len(prefix))}, b""
        except SPARQLWrapperException as exc:
            self._reachable = True
            message = _engine_message(exc, 0)
            if _ENGINE_TIMEOUT.search(message):  # the engine's own time limit, passed or foreseen: 504
                self.stats.timeouts += 1
                raise WorkerTimeoutError("the engine stopped the query at its own time limit") from exc
            self.stats.engine_errors += 1
            # the engine's reply is not passed on: it may quote what the engine reached (a host, a port)
            log.warning("engine error (not shown to the client): %.500r", message)
            return {"ok": False, "error": "evaluation", "message": "the engine reported an error"}, b""
        except TimeoutError as exc:
            raise WorkerTimeoutError("the engine did not answer in time") from exc
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as exc:
            self._reachable = False
            self.stats.unreachable += 1
            raise EngineUnavailableError(f"{self.url}: {getattr(exc, 'reason', exc)}") from exc
        self._reachable = True
        cut = int(engine_rows) if engine_rows and engine_rows.isdigit() else 0
        if 0 < cut <= int(request["max_rows"]):  # Virtuoso cut the answer at its ResultSetMaxRows
            exchange.close()
            return {"ok": False, "error": "too-many-rows", "max_rows": cut, "what": "rows"}, b""
        answer = _Answer(response, limit, exchange)
        result = None
        try:
            result = _parse(cast(IO[bytes], answer), content_type)
            reply = serialize_result(result, request)  # reads, parses and writes as it goes
        except (SyntaxError, ValueError, OSError) as exc:  # `_parse` reads the answer's first bytes
            reply = {"ok": False, "error": "evaluation", "message": f"unreadable answer from the engine: {exc}"}, b""
        finally:
            result = None  # pyoxigraph's parser is dropped on the thread that made it (it must be)
            exchange.close()
        if answer.stopped == "deadline":
            raise WorkerTimeoutError("the engine's answer was still coming at the deadline")
        if answer.stopped == "too-large":
            return {"ok": False, "error": "answer-too-large", "max_bytes": request.get("max_bytes")}, b""
        if answer.stopped == "unreadable":
            self.stats.engine_errors += 1
            return {"ok": False, "error": "evaluation", "message": "the engine's answer could not be read"}, b""
        if not reply[0].get("ok") and reply[0].get("error") == "evaluation":
            self.stats.engine_errors += 1
            log.warning("unreadable answer from the engine: %.500r", reply[0].get("message"))
            return {"ok": False, "error": "evaluation", "message": "the engine's answer could not be read"}, b""
        self.stats.answered += 1
        return reply


class _Client(SPARQLWrapper):
    """SPARQLWrapper, reading at most _ERROR_BYTES of an error reply (its own `_query` reads it whole)."""

    def _query(self) -> tuple[http.client.HTTPResponse, str]:
        request = self._createRequest()
        try:
            response: http.client.HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            body = exc.read(_ERROR_BYTES)
            exc.close()
            error = _ERRORS.get(exc.code)
            if error is None:
                raise
            raise error(body) from exc
        return response, self.returnFormat


class _Exchange:
    """One query's connection to the engine, which the event loop can abandon (deadline, client gone):
    the socket is then shut down, which ends a read blocked in the exchange's thread."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline  # time.monotonic()
        self.abandoned = threading.Event()
        self._lock = threading.Lock()
        self._response: Any = None

    def hold(self, response: Any) -> None:
        """The engine's response, once its headers are in; closed at once if already abandoned."""
        with self._lock:
            self._response = response
        if self.abandoned.is_set():
            self.close()

    def abandon(self) -> None:
        """From the event loop: nothing more is to be read; shut the socket so a blocked read ends."""
        self.abandoned.set()
        with self._lock:
            response = self._response
        sock = _socket_of(response)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """From the exchange's thread: close the response (and its connection)."""
        with self._lock:
            response, self._response = self._response, None
        if response is not None:
            sock = _socket_of(response)
            if sock is not None:  # a response not read to its end: do not let it linger for reuse
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(Exception):
                response.close()


def _socket_of(response: Any) -> socket.socket | None:
    """The socket under urllib's response (http.client keeps it in its buffered reader)."""
    raw = getattr(getattr(response, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


class _Answer:
    """The engine's answer as a file for pyoxigraph's parsers: read on demand, at most `limit` bytes,
    and not past the deadline nor once abandoned. A stop raises OSError into the parser; `stopped`
    says why."""

    def __init__(self, response: Any, limit: int, exchange: _Exchange) -> None:
        self.response = response
        self.limit = limit
        self.exchange = exchange
        self.read_bytes = 0
        self.stopped: str | None = None

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the answer (b"" at its end)."""
        if self.stopped is None:
            if self.exchange.abandoned.is_set() or time.monotonic() > self.exchange.deadline:
                self.stopped = "deadline"
            elif self.read_bytes > self.limit:
                self.stopped = "too-large"
        if self.stopped is not None:
            raise OSError(f"reading the engine's answer stopped: {self.stopped}")
        want = _READ_CHUNK if size is None or size < 0 else min(size, _READ_CHUNK)
        try:
            data: bytes = self.response.read1(want) if hasattr(self.response, "read1") else self.response.read(want)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            self.stopped = "deadline" if self.exchange.abandoned.is_set() else "unreadable"
            raise OSError(f"reading the engine's answer stopped: {self.stopped}") from exc
        self.read_bytes += len(data)
        return data


def refuse_extensions(query: str, form: str | None, guarded: bool) -> None:
    """400 for what only another engine than Oxigraph reads (the guard checks SPARQL 1.1 only).

    A text whose form the guard could not name is not a SPARQL 1.1 query: before its form, Virtuoso
    reads DEFINE pragmas (`define get:soft`, `input:grab-*`: its sponger fetches IRIs). And
    `bif:` / `sql:` name Virtuoso's built-in and SQL functions. Both are refused in every reading
    of the text (raw, and with `\\u` escapes decoded), wherever they appear.
    """
    if guarded and form is None:
        raise bad_request(
            "not-a-query",
            "Not a SPARQL query",
            "After its prologue (BASE, PREFIX) a query must start with SELECT, CONSTRUCT, DESCRIBE or ASK; "
            "engine-specific text before it (such as Virtuoso's DEFINE) is not sent to the engine.",
        )
    for text in (query, decode_escapes(query)[0]):
        found = _EXTENSION.search(text)
        if found:
            raise bad_request(
                "engine-extension",
                "Engine-specific functions are not accepted",
                f"{found.group(0)!r} names a SPARQL engine's own functions (Virtuoso's built-in and SQL "
                "functions, which can reach the network); only SPARQL 1.1 is sent to the engine.",
            )


COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
VERSION_QUERY = (
    "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://www.w3.org/2002/07/owl#versionInfo> ?v "
    "FILTER(STR(?v) = %s) }"
)


async def check_engine(engine: RemoteEngine, triples: int, version: str) -> None:
    """Refuse to start unless the engine's default graph holds this data: its triple count and version."""
    how = (
        f"Load the output of `graph-service export DIR` ({ENGINE_FILE}: one named graph per file) into "
        "the engine and serve it with the union of all graphs as the default graph, or set "
        'KG_ENGINE_DATASET=graphs if it holds other graphs too (docs/operators.md, "A remote engine").'
    )
    found: list[str] = []
    for query in (COUNT_QUERY, VERSION_QUERY % json.dumps(version)):
        header = {
            "query": query,
            "results_format": "TSV",
            "graph_format": "N_TRIPLES",
            "max_rows": 10,
            "max_bytes": 1 << 20,
            "union": True,
        }
        try:
            reply = await engine.run(header, deadline_s=30)
        except (EngineUnavailableError, WorkerTimeoutError, PoolBusyError) as exc:
            raise EngineCheckError(f"The SPARQL engine at {engine.url} does not answer: {exc}. {how}") from exc
        if not reply.header.get("ok"):
            raise EngineCheckError(f"The SPARQL engine at {engine.url} refused a check query: {reply.header}. {how}")
        found.append(
            reply.body.decode().splitlines()[-1].strip() if query is COUNT_QUERY else reply.body.decode().strip()
        )
    count = found[0].split("^^")[0].strip('"')
    if count != str(triples):
        raise EngineCheckError(
            f"The SPARQL engine at {engine.url} holds {count} triples in its default graph; this data "
            f"has {triples}. {how}"
        )
    if "true" not in found[1]:
        raise EngineCheckError(
            f"The SPARQL engine at {engine.url} does not hold data version {version} "
            f"(no dcat:Dataset with owl:versionInfo {version!r}). {how}"
        )
    log.info("engine %s holds data version %s (%d triples)", engine.url, version, triples)


def _parse(data: bytes | IO[bytes], content_type: str) -> Any:
    """The answer's solutions or triples, parsed lazily as they are iterated."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/sparql-results+json":
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    if media_type == "application/n-triples":
        return ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    raise ValueError(f"unexpected media type {media_type or 'none'!r}")


def _engine_message(exc: SPARQLWrapperException, shift: int) -> str:
    """The engine's own message, with line-1 columns moved back by the BASE put before the query."""
    message = str(exc).split("Response:", 1)[-1].strip()
    if message[:2] in ("b'", 'b"'):
        with contextlib.suppress(ValueError, SyntaxError):
            message = ast.literal_eval(message).decode("utf-8", errors="replace")
    message = " ".join(message.split())[:2000]
    if not shift:
        return message

    def moved(match: re.Match[str]) -> str:
        line, column = int(match.group(1)), int(match.group(2))
        return f"{line}:{max(1, column - shift) if line == 1 else column}"

    return _POSITION.sub(moved, message, count=1)
