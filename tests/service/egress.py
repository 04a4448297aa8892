"""Egress test kit: a listener on 127.0.0.1 that counts connections, and generators of the many
spellings under which Oxigraph reads SERVICE or FROM / FROM NAMED (case, glued tokens, escapes,
comments ended by CR or LF, prefixes, nested groups, SILENT, variables, strings holding keywords).
"""

from __future__ import annotations

import io
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox
from hypothesis import strategies as st

SECRET_GRAPH = "http://secret.test/g"
PUBLIC_GRAPH = "https://w3id.org/achats-numeriques-responsables/graph/labels"
SECRET_VALUE = "SECRET-7f3a"
_EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'


class CountingListener:
    """An HTTP listener on 127.0.0.1 that counts the connections it accepts, and answers each
    with an empty SPARQL result (so that a SERVICE call succeeds)."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port: int = self._socket.getsockname()[1]
        self.connections = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL of the listener."""
        return f"http://127.0.0.1:{self.port}/"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                        b"Connection: close\r\nContent-Length: "
                        + str(len(_EMPTY_RESULTS)).encode()
                        + b"\r\n\r\n"
                        + _EMPTY_RESULTS
                    )
                except OSError:
                    pass

    def close(self) -> None:
        """Stop listening."""
        self._socket.close()


@contextmanager
def counting_listener() -> Iterator[CountingListener]:
    """A CountingListener for the duration of a block."""
    listener = CountingListener()
    try:
        yield listener
    finally:
        listener.close()


def _cased(word: str) -> st.SearchStrategy[str]:
    """A keyword in any case, sometimes with one letter as a `\\uXXXX` escape."""
    letters = [st.sampled_from([c.upper(), c.lower()]) for c in word]
    plain = st.tuples(*letters).map("".join)
    escaped = st.tuples(plain, st.integers(0, len(word) - 1)).map(
        lambda pair: pair[0][: pair[1]] + f"\\u{ord(pair[0][pair[1]]):04X}" + pair[0][pair[1] + 1 :]
    )
    return st.one_of(plain, plain, plain, escaped)


# what may stand between two tokens: nothing (glued), white space, comments ended by CR or LF
SEPARATORS = st.sampled_from(["", "", " ", "\n", "\r", "\t", "#c\n", "#c\r", "# x\r\n", " #SERVICE\r", "\r\n"])
SPACED = st.sampled_from([" ", "\n", "\r", "\t", "#c\n", "#c\r", "\r\n"])


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    """A query that may call `url` through SERVICE, under some spelling."""
    host = url.removeprefix("http:")  # //127.0.0.1:port/
    target_kind = draw(st.sampled_from(["iri", "escaped-iri", "relative", "pname", "empty-pname", "var", "values"]))
    prologue = draw(st.sampled_from(["", "PREFIX ab: <http://e.test/>\n"]))
    binding = ""
    if target_kind == "iri":
        target = f"<{url}sparql>"
    elif target_kind == "escaped-iri":
        target = f"<{url}\\u0073parql>"
    elif target_kind == "relative":
        target = f"<{host}x>"
    elif target_kind == "pname":
        prologue += f"PREFIX ab: <{url}>\n"
        target = "ab:x"
    elif target_kind == "empty-pname":
        prologue += f"PREFIX : <{url}>\n"
        target = draw(st.sampled_from([":x", ":"]))
    elif target_kind == "var":
        target = "?svc"
        binding = f"BIND(<{url}> AS ?svc)"
    else:
        target = "?svc"
        binding = f"VALUES ?svc {{ <{url}> }}"
    service = draw(_cased("SERVICE"))
    silent = draw(_cased("SILENT")) + draw(SEPARATORS) if draw(st.booleans()) else ""
    inner = draw(st.sampled_from(["{ ?s ?p ?o }", "{}", "{?x ?y ?z}", "{ { ?s ?p ?o } }"]))
    pattern = service + draw(SEPARATORS) + silent + target + draw(SEPARATORS) + inner
    before = draw(st.sampled_from(BEFORE))
    after = draw(st.sampled_from(AFTER))
    depth = draw(st.integers(0, 2))
    wrapper_open = draw(st.sampled_from(["{", "OPTIONAL {", "{} UNION {", "MINUS {", "FILTER EXISTS {"]))
    body = binding + draw(SEPARATORS) + before + pattern + draw(SEPARATORS) + after
    for _ in range(depth):
        body = wrapper_open + draw(SEPARATORS) + body + "}"
    form = draw(st.sampled_from(["SELECT * WHERE", "SELECT*", "ASK", "SELECT ?s WHERE"]))
    return prologue + form + draw(SEPARATORS) + "{" + body + "}"


# contexts that make a guard misread what follows: escapes, strings, comments, `<` as less-than
BEFORE = [
    "",
    "?a ?b ?c . ",
    "?a ?b true",
    "?a ?b 1",
    "?a ?b ?c.",
    'BIND("x\\u005C" AS ?h) ',
    "BIND('x\\u005C' AS ?h)",
    'FILTER(?a<?b#>"""\n) ',
    "FILTER(?a<?b#>'''\n)",
    '?a ?b "SERVICE <http://e.test/> {}" . ',
    "?a ?b '''it's\nSERVICE''' . ",
    "# SERVICE <x> {}\n",
    "FILTER(true)",
    "{ ?a ?b ?c }",
    "OPTIONAL { ?a ?b ?c }",
    "?a ab:SERVICE ?c . ",
    '?a ?b "x"@en',
    "?a ?b ?c FILTER(?a<2)",
    '?a ?b "\\"" . ',
    "BIND(<http://e.test/a#'> AS ?q) ",
    "FILTER(?a<<http://e.test/x>)",
    "FILTER(?a<<#x'>)",
]
AFTER = ["", "?a ?b ?c", ". ?a ?b ?c", 'FILTER(?x != "}")', "# }\n"]


@st.composite
def dataset_queries(draw: st.DrawFn) -> str:
    """A query that may read the secret graph through FROM or FROM NAMED, under some spelling."""
    named = draw(st.booleans())
    prologue = draw(st.sampled_from(["", "PREFIX ab: <http://e.test/>\n"]))
    kind = draw(st.sampled_from(["iri", "escaped-iri", "pname", "empty-pname", "relative"]))
    if kind == "iri":
        graph = f"<{SECRET_GRAPH}>"
    elif kind == "escaped-iri":
        graph = f"<{SECRET_GRAPH[:-1]}\\u0067>"
    elif kind == "pname":
        prologue += "PREFIX sec: <http://secret.test/>\n"
        graph = "sec:g"
    elif kind == "empty-pname":
        prologue += "PREFIX : <http://secret.test/>\n"
        graph = ":g"
    else:
        prologue = "BASE <http://secret.test/>\n" + prologue
        graph = draw(st.sampled_from(["<g>", "<./g>", "<../g>", "<//secret.test/g>"]))
    clause = draw(_cased("FROM")) + draw(SEPARATORS)
    if named:
        clause += draw(_cased("NAMED")) + draw(SEPARATORS)
    clause += graph
    known = f"FROM <{PUBLIC_GRAPH}>"
    form, pattern = draw(
        st.sampled_from(
            [
                ("SELECT *", "{ GRAPH ?g { ?s ?p ?o } }" if named else "{ ?s ?p ?o }"),
                ("SELECT*", "{ GRAPH ?g { ?s ?p ?o } }" if named else "{?s ?p ?o}"),
                ("ASK", "{ GRAPH ?g { ?s ?p ?o } }" if named else "{ ?s ?p ?o }"),
                ("CONSTRUCT { ?s ?p ?o }", "{ GRAPH ?g { ?s ?p ?o } }" if named else "{ ?s ?p ?o }"),
            ]
        )
    )
    clauses = [known, clause] if draw(st.booleans()) else [clause, known]
    where = draw(st.sampled_from(["WHERE", "where", ""]))
    return prologue + form + draw(SEPARATORS) + draw(SEPARATORS).join(clauses) + draw(SEPARATORS) + where + pattern


_BNODE = re.compile(rb"_:[A-Za-z0-9_]+")


def engine_answer(store: ox.Store, query: str, base: str) -> bytes | None:
    """The engine's answer, normalized (rows sorted, blank nodes named alike), or None on error."""
    try:
        result = store.query(query, base_iri=base)
        if isinstance(result, ox.QueryBoolean):
            return b"true" if result else b"false"
        out = io.BytesIO()
        if isinstance(result, ox.QuerySolutions):
            result.serialize(out, format=ox.QueryResultsFormat.TSV)
        else:
            ox.serialize(result, out, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        return None
    lines = _BNODE.sub(b"_:b", out.getvalue()).split(b"\n")
    return b"\n".join(lines[:1] + sorted(lines[1:]))
