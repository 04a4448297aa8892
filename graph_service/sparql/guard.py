"""Read-only, no-network checks on a query's text before any engine sees it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin

from graph_service.problems import ProblemError, bad_request
from graph_service.sparql.lexer import Token, decode_escapes, line_column, tokenize

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
MAX_NESTING = 200  # group and bracket depth; far deeper than any real query, far below a parser's stack
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learnt: the query form and its dataset clauses (absolute IRIs)."""

    form: str | None
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF, the others with a results table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset_clause(self) -> bool:
        """True when the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.from_graphs or self.from_named_graphs)


def inspect_query(query: str, known_graphs: Collection[str]) -> QueryInfo:
    """Refuse updates, SERVICE and unknown FROM graphs; return the query's form and dataset."""
    text = decode_escapes(query)
    tokens = tokenize(text)
    _check_nesting(tokens, text)
    prefixes, base, start = _prologue(tokens)
    form = _form(tokens, start, text)
    for token in tokens:
        if token.is_word("SERVICE"):
            raise _refusal(
                text, token, "service-refused", "Federated queries are not allowed",
                "SERVICE (line {line}, column {column}) would make this server call another "
                "server; it never does. Remove the SERVICE block and query each endpoint yourself.",
            )
    from_graphs, from_named = _dataset(tokens, prefixes, base, text)
    unknown = [iri for iri in (*from_graphs, *from_named) if iri not in known_graphs]
    if unknown:
        raise unknown_graph_problem(unknown, known_graphs, "FROM / FROM NAMED")
    return QueryInfo(form, tuple(from_graphs), tuple(from_named))


def _refusal(text: str, token: Token, code: str, title: str, detail: str) -> ProblemError:
    """400 pointing at a token: `{line}` and `{column}` in `detail` are filled in."""
    line, column = line_column(text, token.offset)
    return bad_request(code, title, detail.replace("{line}", str(line)).replace("{column}", str(column)),
                       line=line, column=column)


def _check_nesting(tokens: list[Token], text: str) -> None:
    """Refuse absurdly nested queries before a parser recurses on them (400, not a lost worker)."""
    depth = 0
    for token in tokens:
        if token.kind != "punct":
            continue
        if token.text in "{([":
            depth += 1
            if depth > MAX_NESTING:
                raise _refusal(
                    text, token, "too-deeply-nested", "The query is too deeply nested",
                    f"Groups and brackets nest more than {MAX_NESTING} levels deep "
                    "(line {line}, column {column}). Flatten the query.",
                )
        elif token.text in "})]":
            depth = max(0, depth - 1)


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


def _prologue(tokens: list[Token]) -> tuple[dict[str, str], str | None, int]:
    prefixes: dict[str, str] = {}
    base: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.is_word("BASE") and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            base = _resolve(tokens[i + 1].text[1:-1], base)
            i += 2
        elif (
            token.is_word("PREFIX")
            and i + 2 < len(tokens)
            and tokens[i + 1].kind == "pname"
            and tokens[i + 1].text.endswith(":")
            and tokens[i + 2].kind == "iri"
        ):
            prefixes[tokens[i + 1].text[:-1]] = _resolve(tokens[i + 2].text[1:-1], base)
            i += 3
        else:
            break
    return prefixes, base, i


def _form(tokens: list[Token], start: int, text: str) -> str | None:
    if start >= len(tokens):
        return None
    token = tokens[start]
    keyword = token.text.upper() if token.kind == "word" else ""
    if keyword in UPDATE_KEYWORDS:
        raise update_problem()
    return keyword if keyword in QUERY_FORMS else None


def update_problem() -> ProblemError:
    """400 for any SPARQL Update: this service is read-only."""
    return bad_request(
        "update-refused",
        "Updates are not accepted",
        "This is a read-only query service: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is "
        "never run. The data changes through reviewed edits of the project's Turtle files.",
    )


def _dataset(
    tokens: list[Token], prefixes: dict[str, str], base: str | None, text: str
) -> tuple[list[str], list[str]]:
    from_graphs: list[str] = []
    from_named: list[str] = []
    for i, token in enumerate(tokens):
        if not token.is_word("FROM"):
            continue
        j = i + 1
        named = j < len(tokens) and tokens[j].is_word("NAMED")
        j += 1 if named else 0
        if j >= len(tokens):
            continue
        iri = _iri_of(tokens[j], prefixes, base, text)
        if iri is not None:
            (from_named if named else from_graphs).append(iri)
    return from_graphs, from_named


def _iri_of(token: Token, prefixes: dict[str, str], base: str | None, text: str) -> str | None:
    if token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix not in prefixes:
            raise _refusal(
                text, token, "syntax-error", "The query is not valid SPARQL",
                "error at {line}:{column}: " + f"prefix {prefix!r}: is not declared; "
                f"add PREFIX {prefix}: <...> before the query.",
            )
        return prefixes[prefix] + _unescape_local(local)
    return None


def _unescape_local(local: str) -> str:
    out: list[str] = []
    chars = iter(local)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri
