"""One SPARQL query from request to bytes: limits, guard, negotiation, a worker with a deadline."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
from collections.abc import AsyncIterator, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graph_service.formats.representations import GRAPHS as GRAPH_FORMATS
from graph_service.formats.representations import RESULTS as RESULTS_FORMATS
from graph_service.formats.representations import Representation as Format
from graph_service.problems import ProblemError, bad_request, not_acceptable
from graph_service.sparql.admission import Admission
from graph_service.sparql.cache import AnswerCache
from graph_service.sparql.guard import QueryInfo, inspect_query, unknown_graph_problem
from graph_service.sparql.lexer import decode_escapes, line_column
from graph_service.sparql.pool import PoolBusyError, Reply, WorkerLostError, WorkerTimeoutError

log = logging.getLogger("graph_service.engine")
_VOLATILE = re.compile(r"(?:now|rand|uuid|bnode)(?![a-z])", re.IGNORECASE)  # STRUUID ends in UUID
_POSITION = re.compile(r"error at ([0-9]{1,9}):([0-9]{1,9})\b")  # bounded: a worker's message is untrusted
REFUSED_KEYWORDS = ("SERVICE",)  # the guard refuses them (guard.py); error messages never suggest them
# an engine's message that speaks of the network (a URL, a host and port, an address, a connection, a
# remote reply) is not passed on: echoed, it would let a client probe what the engine can reach
_NETWORK_TEXT = re.compile(
    r"://|\b(?:https?|service|connect\w*|socket|tcp|udp|dns|host\w*|port|proxy|refused|unreachable|errno"
    r"|os error|url|resolv\w*|timed? ?out|reqwest|hyper|response|reply|status)\b"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b|\[[0-9a-f:]*:[0-9a-f:]*\]|\b[a-z][\w.-]{0,200}:\d{2,5}\b",
    re.IGNORECASE,
)


class Backend(Protocol):
    """What evaluates a guarded query: the worker pool (`pool.py`) or a remote engine (`remote.py`).

    `run` raises WorkerTimeoutError past the deadline, PoolBusyError when nothing frees up in time,
    WorkerLostError (pool) or EngineUnavailableError (remote); the rest are the counters /health
    and /metrics report.
    """

    size: int
    stats: Any

    @property
    def alive(self) -> int: ...

    @property
    def waiting(self) -> int: ...

    @property
    def replaced(self) -> int: ...

    @property
    def sandboxed(self) -> bool: ...

    @property
    def egress(self) -> dict[str, bool]: ...

    async def run(self, header: Mapping[str, Any], *, deadline_s: float, query_id: str = "") -> Reply: ...

    async def close(self) -> None: ...


class EngineUnavailableError(Exception):
    """A remote engine could not be reached (refused, reset, unknown host)."""


@dataclass(frozen=True, eq=False)
class Wanted:
    """The answer's format, decided once from the request (`Accept`, `?format=`: `web/tables.py`).

    One format for a table of results (SELECT, ASK), one for a graph (CONSTRUCT, DESCRIBE); None
    where the client accepts none of that kind, a 406 for a query of that kind. `asked` is what the
    client asked for (`Accept: '...'` or `format='...'`), quoted in that 406.
    """

    results: Format | None = RESULTS_FORMATS[0]
    graph: Format | None = GRAPH_FORMATS[0]
    asked: str | None = None


ANY = Wanted()  # no preference: SPARQL JSON results, Turtle graphs


@dataclass(frozen=True)
class QueryRequest:
    """A query operation as the protocol delivers it, and the formats its answer may take."""

    query: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    wanted: Wanted = ANY


@dataclass(frozen=True)
class Answer:
    """Serialized results and their media type; a large body comes as `stream` (body empty)."""

    body: bytes
    format: Format
    stream: AsyncIterator[bytes] | None = None
    volatile: bool = False  # the query may answer differently next time (NOW(), RAND()...): not kept


@dataclass(frozen=True)
class Limits:
    """Per-query budgets."""

    timeout_s: float
    max_rows: int
    max_query_length: int
    max_answer_bytes: int = 64 << 20
    guard_thread_above: int = 2_000  # longer texts are checked on a thread, off the event loop


class QueryEngine:
    """Answers queries with the worker pool, refusing what is unsafe or too large."""

    def __init__(
        self,
        pool: Backend,
        admission: Admission,
        limits: Limits,
        graphs: Collection[str],
        prefixes: Mapping[str, str],
        *,
        base_iri: str | None = None,
    ) -> None:
        self.base_iri = base_iri  # relative IRIs in queries resolve against it (docs/analysts.md)
        self.pool = pool
        self.admission = admission
        self.limits = limits
        self.graphs = frozenset(graphs)
        self.prefixes = dict(prefixes)
        self.cache: AnswerCache[Answer] = AnswerCache(max_bytes=64 << 20, max_entry_bytes=4 << 20)

    def check_room(self) -> None:
        """429 at once when the queue is full: called before anything else is read or parsed."""
        if self.admission.in_flight >= self.admission.limit:
            raise too_busy(self.admission.limit)

    async def answer(self, request: QueryRequest) -> Answer:
        """Check, run and serialize one query; raise ProblemError on any refusal or failure."""
        self.check_room()
        # keyed by the request as sent: an answer is only stored after its text passed the guard,
        # whose verdict depends on nothing else (graphs and base are fixed), so a repeat skips it
        wanted = request.wanted
        key = (request.query, request.default_graph_uris, request.named_graph_uris, wanted.results, wanted.graph)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        check_length(request.query, self.limits.max_query_length)
        info = await self._inspect(request.query)
        if info.form is not None and (wanted.graph if info.returns_graph else wanted.results) is None:
            raise _not_acceptable(wanted, info.returns_graph)
        header = {
            "query": info.text,  # the guard's own writing of what it checked, never the text as sent
            "form": info.form,
            "results_format": (wanted.results or RESULTS_FORMATS[0]).engine_name,
            "graph_format": (wanted.graph or GRAPH_FORMATS[0]).engine_name,
            "max_rows": self.limits.max_rows,
            "max_bytes": self.limits.max_answer_bytes,
            "base_iri": self.base_iri,
            **self._dataset(info, request),
        }
        try:
            reply = await self._run(header, hashlib.sha256(request.query.encode()).hexdigest()[:16])
        except ProblemError as exc:
            raise _at_source(exc, info, request.query) from exc.__cause__
        kind = reply.header.get("kind")
        chosen = wanted.graph if kind == "triples" else wanted.results
        if chosen is None:
            if reply.stream is not None:
                await reply.stream.aclose()
            raise _not_acceptable(wanted, kind == "triples")
        volatile = is_volatile(request.query, info.form)
        if reply.stream is not None:
            return Answer(b"", chosen, reply.stream, volatile=volatile)
        answer = Answer(reply.body, chosen, volatile=volatile)
        if not volatile:
            self.cache.put(key, answer, len(reply.body) + len(request.query))
        return answer

    async def _inspect(self, query: str) -> QueryInfo:
        """The guard's verdict; for a long text, computed on a thread so that the event loop keeps
        serving meanwhile (the guard costs linear time, but up to ~10 us a character)."""
        if len(query) > self.limits.guard_thread_above:
            return await asyncio.to_thread(inspect_query, query, self.graphs, base_iri=self.base_iri)
        return inspect_query(query, self.graphs, base_iri=self.base_iri)

    def _dataset(self, info: QueryInfo, request: QueryRequest) -> dict[str, Any]:
        given = (*request.default_graph_uris, *request.named_graph_uris)
        unknown = [iri for iri in given if iri not in self.graphs]
        if unknown:
            raise unknown_graph_problem(unknown, self.graphs, "default-graph-uri / named-graph-uri")
        if given:  # the protocol's dataset overrides the query's own (SPARQL 1.1 Protocol 2.1.4)
            return {
                "default_graph": list(request.default_graph_uris),
                "named_graphs": list(request.named_graph_uris),
            }
        if info.has_dataset_clause:  # a remote engine gets these as protocol parameters (remote.py)
            return {
                "union": False,
                "from_graphs": list(info.from_graphs),
                "from_named_graphs": list(info.from_named_graphs),
            }
        return {"union": True}

    async def _run(self, header: Mapping[str, Any], query_id: str) -> Reply:
        if not self.admission.try_acquire():
            raise too_busy(self.admission.limit)
        try:
            reply = await self.pool.run(header, deadline_s=self.limits.timeout_s, query_id=query_id)
        except WorkerTimeoutError as exc:
            raise timeout_problem(self.limits.timeout_s) from exc
        except PoolBusyError as exc:
            raise ProblemError(
                503,
                "no-worker-free",
                "All query workers are busy",
                "No query worker became free in time. Retry in a few seconds.",
                headers={"Retry-After": str(math.ceil(self.limits.timeout_s))},
            ) from exc
        except EngineUnavailableError as exc:
            raise ProblemError(
                503,
                "engine-unavailable",
                "The SPARQL engine cannot be reached",
                "The SPARQL engine behind this service does not answer. Retry in a few seconds.",
                headers={"Retry-After": "2"},
            ) from exc
        except WorkerLostError as exc:
            if exc.out_of_memory:
                raise memory_problem() from exc
            raise ProblemError(
                503,
                "worker-lost",
                "The query worker stopped",
                "The process running this query stopped unexpectedly and is being replaced. "
                "Retry; if it happens again, simplify the query.",
                headers={"Retry-After": "1"},
            ) from exc
        finally:
            self.admission.release()
        if not reply.header.get("ok"):
            raise engine_problem(reply.header)
        return reply


def _not_acceptable(wanted: Wanted, graph: bool) -> ProblemError:
    return not_acceptable(None, GRAPH_FORMATS if graph else RESULTS_FORMATS, asked=wanted.asked)


def is_volatile(query: str, form: str | None) -> bool:
    """Whether the query may answer differently each time, so that its answer must not be kept.

    Decided on the text, conservatively: the name of a non-deterministic function (NOW, RAND, UUID,
    STRUUID, BNODE) anywhere, in any case, not followed by a letter (so `known` does not count, `snow`
    does), even in a string or a comment, in the text as sent and with its `\\u` escapes decoded;
    and a CONSTRUCT whose text holds a blank node (`_:`, `[`), which each run names anew.
    """
    for text in (query, decode_escapes(query)[0]) if "\\" in query else (query,):
        if _names_volatile(text) or (form in (None, "CONSTRUCT") and ("_:" in text or "[" in text)):
            return True
    return False


def _names_volatile(text: str) -> bool:
    """`_VOLATILE.search(text)`, after a first look that almost every query fails: each name, in any
    case, leaves `now`, `rand`, `uu` or `bnode` in the lowered text (`uu`, not `uuid`: ignoring case,
    the regex also takes the dotless `ı` for `i`). Kept for its gain (bench/README.md, "Issue 24"): the
    case-blind regex costs tens of µs on a query of the bench's mix (~30 µs a request in the server
    under wrk by py-spy; 170 µs in a loop on the loaded machine, where the first look took 13 µs)."""
    low = text.lower()
    if "now" not in low and "rand" not in low and "uu" not in low and "bnode" not in low:
        return False
    return _VOLATILE.search(text) is not None


def _at_source(problem: ProblemError, info: QueryInfo, query: str) -> ProblemError:
    """The engine's syntax error, its position moved from the text it ran to the query as sent."""
    line, column = problem.extra.get("line"), problem.extra.get("column")
    if problem.code != "syntax-error" or info.canonical is None or line != 1 or not isinstance(column, int):
        return problem
    new_line, new_column = line_column(query, info.canonical.source_offset(column - 1))
    detail = _POSITION_WORDS.sub(f"line {new_line}, column {new_column}", problem.detail)
    detail = _POSITION.sub(f"error at {new_line}:{new_column}", detail)
    return bad_request(problem.code, problem.title, detail, line=new_line, column=new_column)


_POSITION_WORDS = re.compile(r"line [0-9]{1,9}, column [0-9]{1,9}")


def check_length(query: str, max_length: int) -> None:
    """413 for a query longer than the cap."""
    if len(query) > max_length:
        raise ProblemError(
            413,
            "query-too-long",
            "Query too long",
            f"The query has {len(query)} characters; this service accepts at most {max_length}. "
            "Shorten it, e.g. move long VALUES lists into several queries.",
            extra={"max_query_length": max_length},
        )
    if not query.strip():
        raise bad_request("empty-query", "Empty query", "The `query` parameter is empty; send a SPARQL query.")


def too_busy(limit: int) -> ProblemError:
    """429 when the queue is full (queries running and waiting)."""
    return ProblemError(
        429,
        "too-many-queries",
        "Too many queries at once",
        f"This service holds at most {limit} queries at a time, running or waiting for a worker, "
        "and the queue is full. Retry after the delay given in Retry-After.",
        headers={"Retry-After": "1"},
    )


def memory_problem() -> ProblemError:
    """400 for a query that needed more memory than a worker may use."""
    return bad_request(
        "query-memory-exceeded",
        "The query needs too much memory",
        "Evaluating the query needed more memory than a query worker may use (its address space "
        "is bounded), so it was stopped. Make it produce smaller values or fewer intermediate "
        "results (e.g. fewer string concatenations, a LIMIT, more selective patterns).",
    )


def timeout_problem(timeout_s: float) -> ProblemError:
    """504 for a query stopped at its deadline."""
    return ProblemError(
        504,
        "query-timeout",
        "Query took too long",
        f"The query was stopped after {timeout_s:g} s, the limit of this service. Make it more "
        "selective: bind a subject or a type, avoid unconstrained patterns, add a LIMIT.",
        extra={"timeout_s": timeout_s},
    )


def without_refused_keywords(message: str) -> str:
    """The parser's message without suggesting what the guard refuses (SERVICE): no dead ends."""
    for word in REFUSED_KEYWORDS:
        message = re.sub(rf",\s*{word}\b", "", message)
        message = re.sub(rf"(expected one of ){word},\s*", r"\1", message)
        message = re.sub(rf"expected {word}\b", "unexpected input", message)
    return message


def engine_problem(reply: Mapping[str, Any]) -> ProblemError:
    """A ProblemError from a worker's error reply."""
    error = reply.get("error")
    if error == "syntax":
        message = without_refused_keywords(str(reply.get("message", "")).strip()[:4000])
        match = _POSITION.search(message)
        position = {"line": int(match.group(1)), "column": int(match.group(2))} if match else {}
        where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
        if _NETWORK_TEXT.search(message):
            message = "The parser stopped" + (f" at {match.group(1)}:{match.group(2)}" if match else "")
        return bad_request(
            "syntax-error",
            "The query is not valid SPARQL",
            f"{message}. Fix the query{where} (SPARQL 1.1 syntax).",
            **position,
        )
    if error == "too-many-rows":
        cap = reply.get("max_rows")
        what = reply.get("what", "rows")
        return bad_request(
            "too-many-rows",
            "Too many results",
            f"The query returns more than {cap} {what}, the limit of this service. "
            f"Add LIMIT {cap} (and OFFSET to page through), or make the query more selective.",
            max_rows=cap,
        )
    if error == "answer-too-large":
        cap = reply.get("max_bytes")
        return bad_request(
            "answer-too-large",
            "The answer is too large",
            f"The answer would exceed {cap} bytes, the limit of this service. Select fewer "
            "variables or rows (LIMIT and OFFSET to page through), or shorter values.",
            max_answer_bytes=cap,
        )
    if error == "memory":
        return memory_problem()
    if error == "delivery-busy":
        return ProblemError(
            503,
            "delivery-busy",
            "Too many large answers being delivered",
            f"Large answers awaiting slow clients already fill {reply.get('spool_bytes')} bytes "
            "(KG_MAX_SPOOL_BYTES). Retry in a few seconds, or narrow the query (LIMIT, fewer variables).",
            headers={"Retry-After": "5"},
        )
    if error == "format-cannot-hold":
        return format_cannot_hold_problem(reply)
    message = str(reply.get("message", "unknown error"))[:4000]
    if _NETWORK_TEXT.search(message):
        log.warning("engine error withheld from the client: %.500r", message)
        message = "its error message is withheld, as it concerns a network access"
    return ProblemError(
        500,
        "evaluation-failed",
        "The query failed",
        f"The engine could not evaluate the query: {message}.",
    )


def format_cannot_hold_problem(reply: Mapping[str, Any]) -> ProblemError:
    """406 for an answer the negotiated format cannot write (e.g. triple terms in JSON-LD)."""
    formats = GRAPH_FORMATS if reply.get("kind") == "triples" else RESULTS_FORMATS
    name = str(reply.get("format", ""))
    failed = next((f for f in formats if f.engine_name == name), None)
    others = [f.media_type for f in formats if f is not failed]
    label = failed.media_type if failed else name
    return ProblemError(
        406,
        "not-acceptable",
        "Not acceptable",
        f"The answer holds terms that {label} cannot write ({reply.get('message', 'unsupported')}). "
        f"Ask for another format: {', '.join(others)}.",
        extra={"formats": others},
    )
