"""Read-only, no-network checks on a query's text before any engine sees it.

The guard reads the text as Oxigraph does (see `lexer`) and refuses SERVICE, updates and FROM /
FROM NAMED graphs the store does not hold. It checks two readings: the engine's (escapes decoded
only in strings and IRIs) and SPARQL 1.1's (every `\\uXXXX` decoded first); a query passes only if
both are safe. Where a character may start a token in one reading of `<` and not in another, every
reading is checked. It is stricter than the engine in places no real query goes (README).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from graph_service.problems import ProblemError, bad_request
from graph_service.sparql.canonical import (
    Canonical,
    CanonicalError,
    Prologues,
    canonical_query,
    check_canonical,
    syntax_refusal,
)
from graph_service.sparql.lexer import (
    OPENING,
    Scan,
    ScanLimitError,
    Token,
    ascii_upper,
    decode_escapes,
    iri_end,
    keyword_at,
    line_column,
    pn_local_ends,
    pn_prefix_end,
    pn_prefix_end_many,
    skip_space,
    unescape_iri,
    unescape_local,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
MAX_NESTING = 200  # group and bracket depth; far deeper than any real query, far below a parser's stack
# Operators, calls and groups: each can add a level to the engine's expression or pattern tree, and
# the engine recurses over that tree (7,000 `+` or 3,000 BIND crash a worker); real queries use tens.
MAX_OPERATORS = 1_000
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_OPERATOR_CHARS = frozenset("+-*/=<>!&|^")
_COUNTED_CHARS = (*_OPERATOR_CHARS, "{", "(")  # what `_tree_tokens` may count, one per offset


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learnt: the query form and its dataset clauses (absolute IRIs)."""

    form: str | None
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    canonical: Canonical | None = None  # the text handed to the engine (`canonical`), and its map

    @property
    def text(self) -> str:
        """What the engine runs: the guard's own writing of the query, with one reading."""
        assert self.canonical is not None, "inspect_query writes it"
        return self.canonical.text

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF, the others with a results table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset_clause(self) -> bool:
        """True when the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.from_graphs or self.from_named_graphs)


@dataclass(frozen=True)
class _Reading:
    text: str
    raw_offsets: Sequence[int] | None  # offset in the query of each character, when decoded
    query: str

    def refusal(self, offset: int, code: str, title: str, detail: str) -> ProblemError:
        """400 pointing at `offset`: `{line}` and `{column}` in `detail` are filled in."""
        raw = self.raw_offsets[offset] if self.raw_offsets is not None else offset
        line, column = line_column(self.query, raw)
        filled = detail.replace("{line}", str(line)).replace("{column}", str(column))
        return bad_request(code, title, filled, line=line, column=column)


def inspect_query(query: str, known_graphs: Collection[str], *, base_iri: str | None = None) -> QueryInfo:
    """Refuse updates, SERVICE and unknown FROM graphs; return the query's form, its dataset, and
    the text to hand the engine (`QueryInfo.text`): the guard's own writing of what it checked,
    checked once more on its own (`canonical.check_canonical`).

    `base_iri` is the base the engine resolves relative IRIs against (the query's BASE wins).
    """
    info = _inspect_text(query, known_graphs, base_iri)
    try:
        canonical = canonical_query(query, base_iri)
    except CanonicalError as exc:
        raise syntax_refusal(query, exc) from None
    check_canonical(canonical, known_graphs, query)
    return QueryInfo(info.form, info.from_graphs, info.from_named_graphs, canonical)


def _inspect_text(query: str, known_graphs: Collection[str], base_iri: str | None) -> QueryInfo:
    if _single_bounded_reading(query):
        prefixes, base, start = _prologue(query, base_iri)
        if not _needs_scan(query, prefixes, base):
            return QueryInfo(_form(query, start), (), ())
    decoded, offsets = decode_escapes(query)
    readings = [_Reading(query, None, query)]
    if decoded != query:
        readings.append(_Reading(decoded, offsets, query))
    infos = [_inspect(reading, known_graphs, base_iri) for reading in readings]
    return QueryInfo(
        infos[0].form or infos[-1].form,
        _union(info.from_graphs for info in infos),
        _union(info.from_named_graphs for info in infos),
    )


def _single_bounded_reading(query: str) -> bool:
    """True when the text has one reading (no `\\u` escape) and fewer operator and bracket
    characters than the bounds allow (each counted token, and each level of nesting, is one such
    character): the scan could then refuse only a SERVICE or a FROM (`_needs_scan`)."""
    if "\\u" in query.lower():
        return False
    # counted on the UTF-8 bytes, where these ASCII characters are the same bytes and no byte of
    # another character equals them: one pass in C instead of one per character
    raw = query.encode("utf-8", "surrogatepass")
    return (
        len(raw) - len(raw.translate(None, _COUNTED_BYTES)) <= MAX_OPERATORS
        and len(raw) - len(raw.translate(None, _OPENING_BYTES)) <= MAX_NESTING
    )


_COUNTED_BYTES = "".join(_COUNTED_CHARS).encode("ascii")
_OPENING_BYTES = "".join(OPENING).encode("ascii")


def _needs_scan(query: str, prefixes: dict[str, str], base: str | None) -> bool:
    """False when no place the word SERVICE or FROM is spelt (in any ASCII case, glued or not, a
    superset of the places the scan finds) is followed by what the scan would refuse or record: a
    target and a group after SERVICE, a graph name after FROM. The scan then returns the same
    verdict, so it is skipped; most real queries have neither word, or only in names like `?from`.
    A text too ambiguous for the scan to follow (`ScanLimitError`) is then not refused: it has
    nothing to hide.
    """
    folded = query.lower()  # maps every ASCII letter as the engine folds it: a quick first look
    service = _spelt(query, "SERVICE") if "service" in folded else []
    from_ = _spelt(query, "FROM") if "from" in folded else []
    if service is None or from_ is None:
        return True
    return any(_service_at(query, offset) for offset in service) or any(
        _dataset_clause(query, offset, prefixes, base) for offset in from_
    )


def _spelt(query: str, keyword: str) -> list[int] | None:
    """Where `keyword` is spelt; None past `_MAX_SPELT` places (each check may read on to the end of
    a glued word, so many of them are left to the scan, which stays linear)."""
    found = [match.start() for match in itertools.islice(_SPELLINGS[keyword].finditer(query), _MAX_SPELT + 1)]
    return None if len(found) > _MAX_SPELT else found


_MAX_SPELT = 16


def _union(groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        seen.update(dict.fromkeys(group))
    return tuple(seen)


def _inspect(reading: _Reading, known_graphs: Collection[str], base_iri: str | None) -> QueryInfo:
    text = reading.text
    prefixes, base, start = _prologue(text, base_iri)
    form = _form(text, start)
    try:
        scan = Scan.of(text, start, max_depth=MAX_NESTING)
    except ScanLimitError:
        raise reading.refusal(
            start,
            "too-complex",
            "The query is too complex to check",
            "The query can be read in too many ways around `<` (less-than or IRI) to be checked "
            "before it runs. Put spaces around comparison operators.",
        ) from None
    _check_size(reading, scan)
    fallbacks = _bare_prefix_ends(scan.tokens, prefixes)
    _check_service(reading, scan.tokens, fallbacks)
    from_graphs: list[str] = []
    from_named: list[str] = []
    for offset in _keyword_offsets(text, scan.tokens, "FROM", top_level=True, also=fallbacks):
        for named, iri in _dataset_clause(text, offset, prefixes, base):
            (from_named if named else from_graphs).append(iri)
    unknown = [iri for iri in dict.fromkeys((*from_graphs, *from_named)) if iri not in known_graphs]
    if unknown:
        raise unknown_graph_problem(unknown, known_graphs, "FROM / FROM NAMED")
    return QueryInfo(form, tuple(dict.fromkeys(from_graphs)), tuple(dict.fromkeys(from_named)))


def _check_size(reading: _Reading, scan: Scan) -> None:
    """Refuse nesting and operator chains deep enough to exhaust the engine's stack."""
    if scan.deepest is not None:
        raise reading.refusal(
            scan.deepest.offset,
            "too-deeply-nested",
            "The query is too deeply nested",
            f"Groups and brackets nest more than {MAX_NESTING} levels deep "
            "(line {line}, column {column}). Flatten the query.",
        )
    if sum(map(reading.text.count, _COUNTED_CHARS)) <= MAX_OPERATORS:
        return  # each counted token is one of these characters
    operators = sorted({t.offset for t in _tree_tokens(scan.tokens)})
    if len(operators) > MAX_OPERATORS:
        raise reading.refusal(
            operators[MAX_OPERATORS],
            "too-complex",
            "The query has too many operators",
            f"The query has more than {MAX_OPERATORS} operators, function calls and groups "
            "(the first one past the limit is at line {line}, column {column}); each adds a level "
            "to what the engine evaluates. Split it, or use VALUES or IN (…) for long lists.",
            # the engine's recursion, not the text's length, is what this bounds
        )


def _tree_tokens(tokens: Sequence[Token]) -> list[Token]:
    counted: list[Token] = []
    previous: Token | None = None
    for token in tokens:
        if token.kind == "punct" and (
            token.text in _OPERATOR_CHARS
            or token.text == "{"
            or (token.text == "(" and not (previous and previous.text in (")", "{")))  # VALUES rows
        ):
            counted.append(token)
        previous = token
    return counted


def _bare_prefix_ends(tokens: Sequence[Token], prefixes: dict[str, str]) -> dict[int, int]:
    """Offsets just past `ns:` where the engine may read `ns:` alone and go on (depth by offset).

    It does so when `ns:` + local name is not a valid IRI, which only happens when the prefix's IRI
    ends in its authority (`<http://[::1]>`, `<http://host:80>`).
    """
    found: dict[int, int] = {}
    for token in tokens:
        if token.kind == "pname":
            namespace = prefixes.get(token.text.partition(":")[0])
            if namespace is not None and _ends_in_authority(namespace):
                found[token.offset + token.text.index(":") + 1] = token.depth
    return found


def _check_service(reading: _Reading, tokens: Sequence[Token], also: dict[int, int]) -> None:
    for offset in _keyword_offsets(reading.text, tokens, "SERVICE", top_level=False, also=also):
        if _service_at(reading.text, offset):
            raise reading.refusal(
                offset,
                "service-refused",
                "Federated queries are not allowed",
                "SERVICE (line {line}, column {column}) would make this server call another "
                "server; it never does. Remove the SERVICE block and query each endpoint yourself.",
            )


def _keyword_offsets(
    text: str, tokens: Sequence[Token], keyword: str, *, top_level: bool, also: dict[int, int]
) -> list[int]:
    """Offsets where the engine may read `keyword`: token starts and inside names (no word boundary).

    Found as the places where the keyword is spelt (ASCII case folded) that lie where a token may
    start reading one (`Token.keyword_starts`), at the top level when `top_level`.
    """
    spelt = [match.start() for match in _SPELLINGS[keyword].finditer(text)]
    if not spelt:
        return []
    may_start = bytearray(len(text) + 1)
    for token in tokens:
        if not (top_level and token.depth):
            starts = token.keyword_starts()
            may_start[starts.start : starts.stop] = b"\x01" * len(starts)
    found = {offset for offset in spelt if may_start[offset]}
    found.update(
        offset for offset, depth in also.items() if not (top_level and depth) and keyword_at(text, offset, keyword)
    )
    return sorted(found)


# every place a keyword is spelt, in any ASCII case (neither word overlaps itself)
_SPELLINGS = {word: re.compile(word, re.ASCII | re.IGNORECASE) for word in ("SERVICE", "FROM")}


def _service_at(text: str, offset: int) -> bool:
    """True when `SERVICE` at `offset` is followed, as the engine reads it, by a target and a group."""
    after = skip_space(text, offset + len("SERVICE"))
    starts = [after]
    if keyword_at(text, after, "SILENT"):
        starts.append(skip_space(text, after + len("SILENT")))
    return any(_names_a_group(text, start) for start in starts)


def _names_a_group(text: str, start: int) -> bool:
    if start >= len(text):
        return False
    if text[start] in "?$<":  # a variable or an IRI: no real query has that after the word SERVICE
        return True
    colon = pn_prefix_end_many(text, start)
    if not text.startswith(":", colon):
        return False
    return any(text.startswith("{", skip_space(text, end)) for end in pn_local_ends(text, colon + 1))


def _dataset_clause(text: str, offset: int, prefixes: dict[str, str], base: str | None) -> list[tuple[bool, str]]:
    """Every (named, graph IRI) the engine may read from `FROM` at `offset`."""
    after = skip_space(text, offset + len("FROM"))
    found = [(False, iri) for iri in _graph_names(text, after, prefixes, base)]
    if keyword_at(text, after, "NAMED"):
        named_at = skip_space(text, after + len("NAMED"))
        found += [(True, iri) for iri in _graph_names(text, named_at, prefixes, base)]
    return found


def _graph_names(text: str, start: int, prefixes: dict[str, str], base: str | None) -> list[str]:
    end = iri_end(text, start)
    if end is not None:
        iri = unescape_iri(text[start + 1 : end - 1])
        return [] if iri is None else [resolve_iri(iri, base)]
    colon = pn_prefix_end_many(text, start)
    if not text.startswith(":", colon) or (namespace := prefixes.get(text[start:colon])) is None:
        return []  # the engine reads no graph name here ("Prefix not found")
    names = [namespace + unescape_local(text[colon + 1 : end]) for end in pn_local_ends(text, colon + 1)]
    if _ends_in_authority(namespace) and names != [namespace]:
        names.append(namespace)  # the engine falls back to the bare prefix when prefix+local is invalid
    return names


@functools.lru_cache(maxsize=256)  # asked for each prefixed name of a query: the same few prefixes
def _ends_in_authority(iri: str) -> bool:
    match = _IRI_PARTS.match(iri)
    return bool(match and match.group(3) is not None and not (match.group(5) or match.group(6) or match.group(8)))


def _prologue(text: str, base: str | None) -> tuple[dict[str, str], str | None, int]:
    """PREFIX, BASE and VERSION declarations as the engine reads them; where the query starts.

    Clients send the same declarations with every query: a text that begins with declarations read
    before (`_Prologues`) is read on from their end, with what they declared.
    """
    known = _PROLOGUES.find(text, base)
    if known is None:
        return _read_prologue(text, base, {}, base, 0)
    end, prefixes, declared_base = known
    return _read_prologue(text, base, dict(prefixes), declared_base, end)


def _read_prologue(
    text: str, base_iri: str | None, prefixes: dict[str, str], base: str | None, start: int
) -> tuple[dict[str, str], str | None, int]:
    """Read declarations from `start` (0, or the end of declarations already read into `prefixes`
    and `base`); remember the declarations read, up to the end of the last one."""
    offset = skip_space(text, start)
    last_end = start
    while True:
        head = ascii_upper(text[offset : offset + 7])  # read once: a keyword may run into what follows
        if head.startswith("BASE"):
            at = skip_space(text, offset + 4)
            end = iri_end(text, at)
            iri = None if end is None else unescape_iri(text[at + 1 : end - 1])
            if end is None or iri is None:
                break
            base = resolve_iri(iri, base)
        elif head.startswith("PREFIX"):
            at = skip_space(text, offset + 6)
            colon = pn_prefix_end(text, at)
            if not text.startswith(":", colon):
                break
            iri_at = skip_space(text, colon + 1)
            end = iri_end(text, iri_at)
            iri = None if end is None else unescape_iri(text[iri_at + 1 : end - 1])
            if end is None or iri is None:
                break
            prefixes[text[at:colon]] = resolve_iri(iri, base)
        elif head.startswith("VERSION"):
            at = skip_space(text, offset + 7)
            match = _VERSION.match(text, at)
            if match is None:
                break
            end = match.end()
        else:
            break
        last_end = end
        offset = skip_space(text, end)
    if last_end > start:
        _PROLOGUES.remember(text[:last_end], base_iri, prefixes, base)
    return prefixes, base, offset


_Prologues = Prologues  # the name the tests know
_PROLOGUES = Prologues()


_VERSION = re.compile(r"'[^'\\\r\n]*'|\"[^\"\\\r\n]*\"")


def _form(text: str, start: int) -> str | None:
    head = ascii_upper(text[start : start + _LONGEST_FORM])  # as keyword_at, for all keywords at once
    if head.startswith(UPDATE_KEYWORDS):
        raise update_problem()
    return next((form for form in QUERY_FORMS if head.startswith(form)), None)


_LONGEST_FORM = max(len(k) for k in (*QUERY_FORMS, *UPDATE_KEYWORDS))


def update_problem() -> ProblemError:
    """400 for any SPARQL Update: this service is read-only."""
    return bad_request(
        "update-refused",
        "Updates are not accepted",
        "This is a read-only query service: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is "
        "never run. The data changes through reviewed edits of the project's Turtle files.",
    )


def unknown_graph_problem(unknown: list[str], known: Collection[str], where: str) -> ProblemError:
    """400 for graph IRIs that this service does not hold (it never fetches them)."""
    listing = ", ".join(f"<{iri}>" for iri in sorted(known))
    return bad_request(
        "unknown-graph",
        "Unknown graph",
        f"{where} names {', '.join(f'<{i}>' for i in unknown)}, which this service does not hold "
        f"(it never loads graphs from the Web). Use one of: {listing}; or leave the dataset out "
        "to query the union of all graphs.",
        graphs=sorted(known),
    )


# RFC 3986, appendix B
_IRI_PARTS = re.compile(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$", re.DOTALL)


@functools.lru_cache(maxsize=512)
def resolve_iri(reference: str, base: str | None) -> str:
    """`reference` resolved against `base` (RFC 3986, section 5.2), as the engine does (remembered:
    queries declare the same few prefixes over and over)."""
    ref = _IRI_PARTS.match(reference)
    if ref is None:
        return reference
    if ref.group(2) is not None:
        return _with_path(ref, _remove_dots(ref.group(5)))
    if base is None:
        return reference
    parts = _IRI_PARTS.match(base)
    if parts is None:
        return reference
    scheme = parts.group(1) or ""
    fragment = ref.group(8) or ""
    if ref.group(3) is not None:
        return scheme + ref.group(3) + _remove_dots(ref.group(5)) + (ref.group(6) or "") + fragment
    authority = parts.group(3) or ""
    path, query = ref.group(5), ref.group(6)
    if path == "":
        path, query = parts.group(5), query if query is not None else parts.group(6)
    elif path.startswith("/"):
        path = _remove_dots(path)
    else:
        base_path = parts.group(5)
        merged = ("/" + path) if authority and not base_path else base_path[: base_path.rfind("/") + 1] + path
        path = _remove_dots(merged)
    return scheme + authority + path + (query or "") + fragment


def _with_path(match: re.Match[str], path: str) -> str:
    return (match.group(1) or "") + (match.group(3) or "") + path + (match.group(6) or "") + (match.group(8) or "")


def _remove_dots(path: str) -> str:
    if "/." not in path and not path.startswith("."):
        return path  # no segment is "." or "..": the loop below would give the path back as it is
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith(("./", "/./")):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:] if path.startswith("/../") else "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            segment, path = (path, "") if cut < 0 else (path[:cut], path[cut:])
            output.append(segment)
    return "".join(output)
