"""The text the engine runs: the guard's own reading of a query, written back with one reading only.

The guard cannot disagree with the engine about a text it wrote itself. `canonical_query` reads the
query once, the way Oxigraph's grammar does (spargebra 0.5: keywords without word boundaries, one run
of dots inside a local name, `\\u` escapes decoded only inside strings and IRIs), and writes each
token again so that it can be read one way only:

- tokens are separated by one space (but `CONCAT(`, `COALESCE(`, `BNODE(` and a sign glued to its
  number stay glued, as the engine wants them); strings hold no raw white space, so the text splits
  on spaces into its tokens;
- keywords keep their spelling (`a`, `true` and `false` are case sensitive), but FROM and NAMED are
  upper-cased;
- prefixed names become full `<IRI>`s, relative IRIs are resolved, PREFIX and BASE are dropped;
- strings are written `"…"`, with the letters s, S, f, F (and spaces, quotes, backslashes, controls)
  escaped; IRIs likewise escape s, S, f, F: no string or IRI spells SERVICE or FROM, under the
  engine's reading or under SPARQL 1.1's (every `\\u` decoded first), since no escape written here
  decodes into a delimiter;
- blank-node labels are renamed `_:b0`, `_:b1`, … in order of appearance.

`check_canonical` then checks the written text on its own, with no grammar: SERVICE may appear only
inside a variable's name; FROM only as a dataset clause naming a known graph.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.problems import ProblemError, bad_request
from graph_service.sparql.lexer import ascii_upper, line_column

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"  # as spargebra 0.5: no astral planes
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_BASE}][{_CHARS}]*+(?:\\.+[{_CHARS}]+)*"
_LOCAL_CHAR = f"[{_CHARS}:]|{_PLX}"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:{_LOCAL_CHAR})*+(?:\\.+(?:{_LOCAL_CHAR})+)?"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*+"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\"'\\]"

_SPACE = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_PNAME = re.compile(f"({_PN_PREFIX})?:({_PN_LOCAL})?")
# a keyword or a function's name: letters, `_` between them, and the digits of five names only
# (`a1e3` is `a` then `1e3`, `LIMIT10` is `LIMIT` then `10`, `a_:b` is `a` then `_:b`)
_WORD = re.compile(r"(?:SHA(?:1|256|384|512)|MD5)(?![A-Za-z0-9_])|[A-Za-z]+(?:_[A-Za-z]+)*", re.IGNORECASE | re.ASCII)
_VAR = re.compile(f"[?$]{_VARNAME}")
_BNODE = re.compile(f"_:(?:[0-9]|[{_U}])[{_CHARS}]*+(?:\\.+[{_CHARS}]+)*")
_NUMBER = re.compile(
    r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+"
)
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*+(?:--[a-zA-Z]+)?")
# the common tokens in one match, each only where the reading below would take that branch anyway:
# a prefixed name (read here only where the reading below would take it for one), a variable, a
# number that starts with a digit, a keyword (no prefixed name at its start: it is tried first), a
# character that is only ever punctuation of its own (`_punct` gives it back alone), or one that
# `_punct` reads (a closing bracket and a group's `{` are read here as it reads them); all but the
# last with the white space and comments after them (as `_SPACE` reads them: nothing follows in the
# pattern to make it give any back)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_FAST_BRANCHES = (  # each with the ASCII characters it may start with
    (_LETTERS + ":", f"(?P<pname>(?P<prefix>{_PN_PREFIX})?:(?P<local>{_PN_LOCAL})?){_SPACE.pattern}"),
    ("?$", f"(?P<var>[?$]{_VARNAME}){_SPACE.pattern}"),
    ("0123456789", r"(?P<number>(?=[0-9])(?:" + _NUMBER.pattern + "))" + _SPACE.pattern),
    (
        _LETTERS,
        r"(?P<word>(?:[Ss][Hh][Aa](?:1|256|384|512)|[Mm][Dd]5)(?![A-Za-z0-9_])|[A-Za-z]+(?:_[A-Za-z]+)*)"
        + _SPACE.pattern,
    ),
    # (a `.` only before a character that is no digit of any script: `.5` may be a number)
    (",;*=~/+-.", r"(?P<single>[,;*=~/+\-]|\.(?=[ \t\r\n}\]?$<#A-Za-z:_]|\Z))" + _SPACE.pattern),
    ("}]", r"(?P<close>[}\]])" + _SPACE.pattern),  # as `_punct` reads them
    ("{", r"(?P<group>\{(?!\|))" + _SPACE.pattern),
    ("{}()[]!|^&>", r"(?P<punct>[{}()\[\]!|^&>])"),
)
_FAST = re.compile("|".join(branch for _, branch in _FAST_BRANCHES))
# `_FAST` for a text at an ASCII character: only the branches that may start with it, in the same
# order (the others fail there), so that the engine tries no branch in vain; other characters (a
# name may start with a letter of any script) are read with `_FAST`
_FAST_AT = {
    char: re.compile("|".join(branch for firsts, branch in _FAST_BRANCHES if char in firsts))
    for char in "".join(firsts for firsts, _ in _FAST_BRANCHES)
}
_FAST_MATCH_AT = {char: pattern.match for char, pattern in _FAST_AT.items()}
_SPACE_START = frozenset(" \t\r\n#")
_SIGNS = ("+", "-")
# the kind written for each kind of `_FAST`; FROM and NAMED in any case, upper-cased
_FAST_KINDS = {
    "var": "var",
    "number": "number",
    "word": "word",
    "single": "punct",
    "close": "punct",
    "group": "punct",
    "pname": "iri",
}
_FOLDED_WORDS = {
    "".join(spelling): word
    for word in ("FROM", "NAMED")
    for spelling in itertools.product(*((c, c.lower()) for c in word))
}
_STRINGS = {
    "'''": re.compile(f"'''((?:(?:''|')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*+)'''"),
    '"""': re.compile(f'"""((?:(?:""|")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*+)"""'),
    "'": re.compile(f"'((?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*+)'"),
    '"': re.compile(f'"((?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*+)"'),
}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_NOT_IN_IRI = frozenset('<>"{}|^`\\') | frozenset(chr(c) for c in range(0x21))
_NOT_IN_IRI_SEARCH = re.compile('[<>"{}|^`\\\\\x00-\x20]').search  # as `_NOT_IN_IRI`
# keywords the engine may read where a prefixed name with an undeclared prefix stood (it tries the
# name, fails, and reads the keyword): `FROM:g` is FROM then `:g`
_KEYWORDS_SET = frozenset(
    (
        "FROM",
        "NAMED",
        "SELECT",
        "WHERE",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "GRAPH",
        "OPTIONAL",
        "MINUS",
        "UNION",
        "FILTER",
        "BIND",
        "VALUES",
        "SERVICE",
        "SILENT",
        "IN",
        "NOT",
        "EXISTS",
        "AS",
        "BY",
        "GROUP",
        "ORDER",
        "LIMIT",
        "OFFSET",
        "HAVING",
        "DISTINCT",
        "REDUCED",
        "UNDEF",
        "ASC",
        "DESC",
    )
)
_PUNCT2 = ("<=", ">=", "!=", "&&", "||", "^^")
_OPERAND_END = frozenset(("var", "iri", "string", "number", "langtag", "bnode"))
# a letter of SERVICE or FROM, or a character that could end or break a token: written as an escape
_STRING_ESCAPES = {
    "s": "\\u0073",
    "S": "\\u0053",
    "f": "\\u0066",
    "F": "\\u0046",
    " ": "\\u0020",
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_IRI_ESCAPES = {"s": "\\u0073", "S": "\\u0053", "f": "\\u0066", "F": "\\u0046"}


class CanonicalError(Exception):
    """The text cannot be read as the engine would read it; `offset` is where reading stopped."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


@dataclass(frozen=True)
class Canonical:
    """The text handed to the engine, and for each of its tokens the offset in the query."""

    text: str
    starts: tuple[int, ...]  # offset in `text` of each token
    sources: tuple[int, ...]  # offset in the query of the same token

    def source_offset(self, offset: int) -> int:
        """The query's offset of the token that holds `offset` of the canonical text."""
        if not self.starts:
            return 0
        return self.sources[max(bisect_right(self.starts, offset) - 1, 0)]


def _unescape(raw: str, *, iri: bool) -> str:
    """Decode escapes as spargebra does (`\\u`, `\\U`, and in strings ECHAR); ValueError if invalid."""
    if "\\" not in raw:
        return raw

    def one(match: re.Match[str]) -> str:
        hex_ = match.group(1) or match.group(2)
        if hex_ is not None:
            code = int(hex_, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise ValueError("invalid code point")
            return chr(code)
        if iri or match.group(3) not in _ECHARS:
            raise ValueError("invalid escape")
        return _ECHARS[match.group(3)]

    if raw.endswith("\\") and not raw.endswith("\\\\"):
        raise ValueError("trailing backslash")
    return _ESCAPE.sub(one, raw)


def write_string(value: str) -> str:
    """A string literal that reads as `value` and holds no raw space, quote, s, S, f or F.

    A `u` or `U` after a backslash is escaped too, so that a reader that decodes `\\u` first
    (SPARQL 1.1, 19.2) cannot take `\\\\u0073` for an escape."""
    if "\\u" not in value and "\\U" not in value:
        if _CONTROL.search(value) is None:  # as the table, in a few passes in C (a backslash first:
            # no later replacement is then escaped again, and none writes s, S, f, F, `"` or a space)
            for char, escape in _STRING_REPLACEMENTS:
                if char in value:
                    value = value.replace(char, escape)
            return '"' + value + '"'
        return '"' + value.translate(_STRING_TABLE) + '"'
    out: list[str] = []
    previous_backslash = False
    for char in value:
        out.append(f"\\u{ord(char):04X}" if previous_backslash and char in "uU" else char.translate(_STRING_TABLE))
        previous_backslash = char == "\\"
    return '"' + "".join(out) + '"'


def write_iri(iri: str) -> str:
    """An IRIREF that reads as `iri`, with no raw s, S, f or F."""
    for char, escape in _IRI_REPLACEMENTS:  # as `_IRI_TABLE`: no escape holds s, S, f or F
        if char in iri:
            iri = iri.replace(char, escape)
    return "<" + iri + ">"


_STRING_TABLE = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}, **_STRING_ESCAPES})
_IRI_TABLE = str.maketrans(_IRI_ESCAPES)
_IRI_REPLACEMENTS = tuple(_IRI_ESCAPES.items())
_STRING_REPLACEMENTS = (("\\", "\\\\"), *((c, e) for c, e in _STRING_ESCAPES.items() if c != "\\"))
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class Prologues:
    """Declarations read before, by their text: each is read only from the text it spans (a keyword
    is decided by its own letters, an IRI ends at its own `>`), so a text that begins with the same
    characters declares the same, and is read on from their end. Bounded; found by their first
    `_HEAD` characters, the longest first. The guard's reading (`guard._prologue`) and this
    module's (`canonical_query`) each keep their own."""

    _HEAD = 24

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._by_head: dict[tuple[str, str | None], list[tuple[str, dict[str, str], str | None]]] = {}
        self._entries = 0

    def find(self, text: str, base_iri: str | None) -> tuple[int, dict[str, str], str | None] | None:
        """The end, prefixes and base of the longest known declarations `text` begins with."""
        for declarations, prefixes, base in self._by_head.get((text[: self._HEAD], base_iri), ()):
            if text.startswith(declarations):
                return len(declarations), prefixes, base
        return None

    def remember(self, declarations: str, base_iri: str | None, prefixes: dict[str, str], base: str | None) -> None:
        if len(declarations) < self._HEAD:  # short: cheap to read again
            return
        key = (declarations[: self._HEAD], base_iri)
        known = self._by_head.get(key, [])
        if any(d == declarations for d, _, _ in known):
            return
        if self._entries >= self.max_entries:  # bounded: start again rather than grow
            self._by_head.clear()
            self._entries = 0
            known = []
        # a new list, not one changed in place: long queries are inspected on threads (a concurrent
        # sort in place raises), and a reader goes on over the list it took
        self._by_head[key] = sorted([*known, (declarations, dict(prefixes), base)], key=lambda entry: -len(entry[0]))
        self._entries += 1


_PROLOGUES = Prologues()


@functools.lru_cache(maxsize=256)
def canonical_query(query: str, base_iri: str | None) -> Canonical:
    """Read `query` as the engine does and write it back with one reading (module docstring).

    Raises CanonicalError where the guard cannot be sure to read as the engine does. Remembered:
    clients send the same few queries over and over (the result depends on nothing else).
    """
    resolve_iri = (_GUARD_FUNCTIONS or _guard_functions())[1]  # the guard imports this module
    base = base_iri
    prefixes: dict[str, str] = {}
    bnodes: dict[str, str] = {}
    pieces: list[str] = []
    sources: list[int] = []
    # what each open bracket holds: "e" an expression, "c" a collection or VALUES row, "g" a group or
    # property list, "t" a triple term `<<(`, "r" a reified triple `<<`, "a" an annotation `{|`
    stack: list[str] = []
    kinds: list[str] = []  # kind of each token written
    # the tokens written with no space before them: `CONCAT(`, `COALESCE(` and `BNODE(` take no
    # space before `(` (as written, so written), and a sign glued to its number stays glued
    # (`VALUES ?x { - 1 }` reads the text `- 1`)
    glues: list[int] = []
    prologue = True
    length = len(query)
    i = 0
    # declarations read before (clients repeat theirs); with `_written_pname`, kept for its gain
    # (bench/README.md, "the cheap-query overhead"): the guard 610k -> 438k instructions a request
    known = _PROLOGUES.find(query, base_iri)
    if known is not None:
        i, declared, base = known
        prefixes.update(declared)
    known_end = declared_end = i  # the end of the last PREFIX or BASE read, if no VERSION came before
    i = _SPACE.match(query, i).end()  # type: ignore[union-attr]

    add_piece, add_kind, add_source = pieces.append, kinds.append, sources.append

    def emit(piece: str, kind: str, at: int) -> None:
        pieces.append(piece)
        kinds.append(kind)
        sources.append(at)

    def glued_call(at: int) -> bool:
        """True for a `(` written right after a word (`CONCAT(`): it stays glued."""
        return bool(kinds) and kinds[-1] == "word" and sources[-1] + len(pieces[-1]) == at

    def previous(n: int = 1) -> tuple[str, str]:
        return (kinds[-n], pieces[-n]) if len(kinds) >= n else ("", "")

    fast_at, fast_any, space_match = _FAST_MATCH_AT.get, _FAST.match, _SPACE.match
    while i < length:
        if prologue:
            word = _WORD.match(query, i)
            head = word.group().upper() if word else ""
            if head.startswith(("BASE", "PREFIX")):
                keyword = "BASE" if head.startswith("BASE") else "PREFIX"
                at = _SPACE.match(query, i + len(keyword)).end()  # type: ignore[union-attr]
                name = ""
                if keyword == "PREFIX":
                    pname = _PNAME.match(query, at)
                    if pname is None or pname.group(2):
                        raise CanonicalError(at, "a prefix name and `:` expected")
                    name = pname.group(1) or ""
                    at = _SPACE.match(query, pname.end()).end()  # type: ignore[union-attr]
                close = query.find(">", at) if query.startswith("<", at) else -1
                if close < 0:
                    raise CanonicalError(at, "an IRI expected")
                iri = _read_iri(query, at, close, base, resolve_iri)
                if keyword == "BASE":
                    base = iri
                else:
                    prefixes[name] = iri
                if declared_end >= 0:
                    declared_end = close + 1
                i = _SPACE.match(query, close + 1).end()  # type: ignore[union-attr]
                continue
            if head.startswith("VERSION"):
                declared_end = -1  # it is written out: declarations from here on are not remembered
                emit("VERSION", "word", i)
                at = _SPACE.match(query, i + len("VERSION")).end()  # type: ignore[union-attr]
                if not query.startswith(("'", '"'), at):
                    raise CanonicalError(at, "a version string expected")
                i, value = _read_string(query, at)
                emit(write_string(value), "string", at)
                i = _SPACE.match(query, i).end()  # type: ignore[union-attr]
                continue
            prologue = False
            if declared_end > known_end:  # declarations read here, not remembered before
                _PROLOGUES.remember(query[:declared_end], base_iri, prefixes, base)
        while i < length:  # the common tokens in a row, each with the space after it
            fast = fast_at(query[i], fast_any)(query, i)
            if fast is None:
                kind = None
                break
            kind = fast.lastgroup
            if kind == "word":
                text = fast["word"]  # as written: `a`, `true`, `false` are case sensitive
                add_piece(_FOLDED_WORDS.get(text, text))
            elif kind == "var":
                add_piece(fast["var"])
            elif kind == "single":
                add_piece(fast["single"])
            elif kind == "number":
                if pieces and pieces[-1] in _SIGNS and sources[-1] + len(pieces[-1]) == i:
                    glues.append(len(pieces))  # a sign glued to its number stays glued
                add_piece(fast["number"])
            elif kind == "pname":
                name = fast["prefix"]
                if name is not None and name not in prefixes and ascii_upper(name) in _KEYWORDS_SET:
                    break  # as below: an undeclared `FROM:x` is left to the reading below
                add_piece(_written_pname(i, name or "", fast["local"] or "", prefixes))
            elif kind == "group":
                stack.append("g")
                add_piece("{")
            elif kind == "close":
                if stack:
                    stack.pop()
                add_piece(fast["close"])
            else:  # punctuation `_punct` reads, and the space after it
                end = _punct(query, i, stack, kinds, pieces)
                if query[i] == "(" and glued_call(i):
                    glues.append(len(pieces))
                add_piece(query[i:end])
                add_kind("punct")
                add_source(i)
                i = end if end >= length or query[end] not in _SPACE_START else space_match(query, end).end()  # type: ignore[union-attr]
                continue
            add_kind(_FAST_KINDS[kind])
            add_source(i)
            i = fast.end()
        else:
            kind = None
        if i >= length:
            break
        char = query[i]
        start = i
        if char in "\"'":
            i, value = _read_string(query, i)
            emit(write_string(value), "string", start)
        elif char == "<":
            top = stack[-1] if stack else ""
            kind, _ = previous()
            if top == "e" and (kind in _OPERAND_END or previous()[1] in (")", "true", "false")):
                i = i + 2 if query.startswith("<=", i) else i + 1
                emit(query[start:i], "punct", start)
            elif query.startswith("<<(", i):
                stack.append("t")
                i += 3
                emit("<<(", "punct", start)
            elif query.startswith("<<", i):
                stack.append("r")
                i += 2
                emit("<<", "punct", start)
            else:
                close = query.find(">", i)
                if close < 0:
                    raise CanonicalError(i, "an IRI that does not end")
                emit(write_iri(_read_iri(query, i, close, base, resolve_iri)), "iri", start)
                i = close + 1
        elif char in "?$" and (var := _VAR.match(query, i)):
            i = var.end()
            emit(var.group(), "var", start)
        elif query.startswith("_:", i):
            bnode = _BNODE.match(query, i)
            if bnode is None:
                raise CanonicalError(i, "a blank node label expected")
            i = bnode.end()
            emit(bnodes.setdefault(bnode.group(), f"_:b{len(bnodes)}"), "bnode", start)
        elif (
            (pname := _PNAME.match(query, i)) is not None
            and (pname.group(1) or char == ":")
            and ((pname.group(1) or "") in prefixes or char == ":" or ascii_upper(pname.group(1)) not in _KEYWORDS_SET)
        ):  # an undeclared `FROM:x` is read by the engine as the keyword, then `:x`: so it is here
            written = _written_pname(i, pname.group(1) or "", pname.group(2) or "", prefixes)
            i = pname.end()
            emit(written, "iri", start)
        elif (number := _NUMBER.match(query, i)) is not None and not (
            char == "." and (previous()[0] in _OPERAND_END or previous()[1] in (")", "]", "true", "false"))
        ):
            if char == "." and previous()[0] in ("word", "iri") and (stack[-1:] or ["g"])[0] != "e":
                # `<p>.5` is an object after a verb, `<o>.5` a dot then a subject: which, only the
                # parse tells; the written text would fix one
                raise CanonicalError(i, "a `.` glued to a number after a term: put a space around it")
            i = number.end()
            if pieces and pieces[-1] in _SIGNS and sources[-1] + len(pieces[-1]) == start:
                glues.append(len(pieces))
            emit(number.group(), "number", start)
        elif (word := _WORD.match(query, i)) is not None:
            i = word.end()
            text = word.group()  # as written: `a`, `true` and `false` are case sensitive (`a1e3` is `a 1e3`)
            emit(text.upper() if text.upper() in ("FROM", "NAMED") else text, "word", start)
        elif char == "@":
            tag = _LANGTAG.match(query, i)
            if tag is None:
                raise CanonicalError(i, "a language tag expected")
            i = tag.end()
            emit(tag.group(), "langtag", start)
        else:
            if char == "." and query[i + 1 : i + 2].isdigit() and (stack[-1:] or ["g"])[0] != "e":
                raise CanonicalError(i, "a `.` glued to a number after a term: put a space around it")
            i = _punct(query, i, stack, kinds, pieces)
            if query[start] == "(" and glued_call(start):
                glues.append(len(pieces))
            emit(query[start:i], "punct", start)
        if i < length and query[i] in _SPACE_START:
            i = _SPACE.match(query, i).end()  # type: ignore[union-attr]
    return _written(pieces, sources, glues)


def _written(pieces: list[str], sources: list[int], glues: list[int]) -> Canonical:
    """The tokens joined by one space, but before the `glues` (in order); each token's offset in
    the text."""
    lengths = itertools.accumulate(map(len, pieces), initial=0)  # of the tokens before each one
    if not glues:
        return Canonical(" ".join(pieces), tuple(map(operator.add, lengths, range(len(pieces)))), tuple(sources))
    spaces = [1] * len(pieces)  # before each token: one space, but before the first or a glued one
    for n in (0, *glues):
        spaces[n] = 0
    bounds = [0, *glues, len(pieces)]
    text = "".join(" ".join(pieces[a:b]) for a, b in itertools.pairwise(bounds))
    return Canonical(text, tuple(map(operator.add, lengths, itertools.accumulate(spaces))), tuple(sources))


def _written_pname(i: int, name: str, local: str, prefixes: dict[str, str]) -> str:
    """`write_iri(_pname_iri(...))`, remembered by namespace and local part (on which alone it
    depends, once the prefix is declared): queries name the same few terms over and over. Bounded in
    entries and in length (a long name is written each time: a few MiB at most are held)."""
    namespace = prefixes.get(name)
    if namespace is None:
        return write_iri(_pname_iri(i, name, local, prefixes))  # raises: the prefix is not declared
    key = (namespace, local)
    written = _WRITTEN_PNAMES.get(key)
    if written is None:
        written = write_iri(_pname_iri(i, name, local, prefixes))
        if len(namespace) + len(local) > _LONGEST_REMEMBERED_PNAME:
            return written
        if len(_WRITTEN_PNAMES) >= _MAX_WRITTEN_PNAMES:  # bounded: start again rather than grow
            _WRITTEN_PNAMES.clear()
        _WRITTEN_PNAMES[key] = written
    return written


_WRITTEN_PNAMES: dict[tuple[str, str], str] = {}
_MAX_WRITTEN_PNAMES = 4096
_LONGEST_REMEMBERED_PNAME = 256  # characters of namespace and local part


def _pname_iri(i: int, name: str, local: str, prefixes: dict[str, str]) -> str:
    """The IRI of the prefixed name `name:local` at `i`; refused unless it is a plain IRI."""
    _ends_in_authority, resolve_iri = _GUARD_FUNCTIONS or _guard_functions()
    if name not in prefixes:
        raise CanonicalError(i, f"the prefix `{name}:` is not declared")
    namespace = prefixes[name]
    iri = namespace + local.replace("\\", "")
    if (local and _ends_in_authority(namespace)) or resolve_iri(iri, None) != iri or not valid_iri(iri):
        raise CanonicalError(i, "a prefixed name that is not a plain IRI")
    return iri


_GUARD_FUNCTIONS: tuple[Callable[[str], bool], Callable[[str, str | None], str]] | None = None


def _guard_functions() -> tuple[Callable[[str], bool], Callable[[str, str | None], str]]:
    global _GUARD_FUNCTIONS  # the guard imports this module: taken once, when first needed
    from graph_service.sparql.guard import _ends_in_authority, resolve_iri

    _GUARD_FUNCTIONS = (_ends_in_authority, resolve_iri)
    return _GUARD_FUNCTIONS


def _punct(query: str, i: int, stack: list[str], kinds: list[str], pieces: list[str]) -> int:
    """Read one punctuation token at `i`, keeping `stack` of open brackets; its end."""
    char = query[i]
    top = stack[-1] if stack else ""
    if char == "(":
        _bracket_gap(query, i, ")")
        kind, text = (kinds[-1], pieces[-1]) if kinds else ("", "")
        if top == "e" or not stack:
            stack.append("e" if text.upper() != "VALUES" else "c")
        elif (kind == "word" and text != "a" and text.upper() != "VALUES") or (
            kind == "iri" and len(pieces) > 1 and kinds[-2] == "word" and pieces[-2] != "a"
        ):  # a call (`FILTER(`, `STR(`, `FILTER <f>(`), not a collection or a VALUES row
            stack.append("e")
        else:
            stack.append("c")
        return i + 1
    if char == ")":
        if top == "t" and query.startswith(")>>", i):
            stack.pop()
            return i + 3
        if stack:
            stack.pop()
        return i + 1
    if char == "{":
        if query.startswith("{|", i):
            stack.append("a")
            return i + 2
        stack.append("g")
        return i + 1
    if char == "|" and top == "a" and query.startswith("|}", i):
        stack.pop()
        return i + 2
    if char == ">" and top == "r" and query.startswith(">>", i):
        stack.pop()
        return i + 2
    if char == "[":
        _bracket_gap(query, i, "]")
        stack.append("g")
        return i + 1
    if char in "}]":
        if stack:
            stack.pop()
        return i + 1
    if query.startswith(_PUNCT2, i):
        return i + 2
    if char in ".,;*+-/=<>!|^&~?$":
        return i + 1
    raise CanonicalError(i, f"unexpected character {char!r}")


def _bracket_gap(query: str, i: int, closing: str) -> None:
    """Refuse `(` or `[` and its closing bracket with a comment between: NIL and ANON take white
    space only, and the written text has none left to tell them apart."""
    if query[i + 1 : i + 2] not in _SPACE_START:
        return  # nothing between the brackets
    gap = _SPACE.match(query, i + 1).end()  # type: ignore[union-attr]
    if query.startswith(closing, gap) and "#" in query[i + 1 : gap]:
        raise CanonicalError(i, "a comment inside `()` or `[]`")


def _read_string(query: str, i: int) -> tuple[int, str]:
    quote = query[i]
    match = None
    if query.startswith(quote * 3, i):
        match = _STRINGS[quote * 3].match(query, i)
    if match is None:
        match = _STRINGS[quote].match(query, i)
    if match is None:
        raise CanonicalError(i, "a string that does not end")
    try:
        return match.end(), _unescape(match.group(1), iri=False)
    except ValueError as exc:
        raise CanonicalError(i, f"a string with {exc}") from None


def _read_iri(query: str, i: int, close: int, base: str | None, resolve_iri: Callable[[str, str | None], str]) -> str:
    try:
        iri = _unescape(query[i + 1 : close], iri=True)
    except ValueError as exc:
        raise CanonicalError(i, f"an IRI with {exc}") from None
    if _NOT_IN_IRI_SEARCH(iri):
        raise CanonicalError(i, "an IRI with a character no IRI holds")
    if ":" in _FIRST_SEGMENT.match(iri).group() and not _SCHEME.match(iri):  # type: ignore[union-attr]
        raise CanonicalError(i, "a relative IRI whose first segment holds `:`")  # RFC 3986, 4.2
    resolved = resolve_iri(iri, base)
    if not valid_iri(resolved):
        raise CanonicalError(i, "an IRI that is not valid")
    return resolved


@functools.lru_cache(maxsize=1024)
def valid_iri(iri: str) -> bool:
    """True when the engine's IRI parser (oxiri, through pyoxigraph) accepts `iri` as it stands."""
    if _NOT_IN_IRI & set(iri):
        return False
    try:
        ox.NamedNode(iri)
    except ValueError:
        return ":" not in iri  # a relative reference is left for the engine to resolve
    return True


_FIRST_SEGMENT = re.compile(r"[^/?#]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_KEYWORDS = re.compile("service|from", re.IGNORECASE | re.ASCII)
_KEYWORDS_LOWER = re.compile("service|from")
_VAR_PIECE = re.compile(f"[?$]{_VARNAME}")


def _escaped_pieces(text: str) -> Iterator[tuple[int, str]]:
    """Each piece of `text` (between spaces) that holds a backslash, with its offset, in order."""
    at = text.find("\\")
    while at >= 0:
        begin = text.rfind(" ", 0, at) + 1
        end = text.find(" ", at)
        end = len(text) if end < 0 else end
        yield begin, text[begin:end]
        at = text.find("\\", end)


# an escape that decodes into a delimiter: `"`, `'`, `<`, `>`, `\`, LF, CR
_DELIMITER_ESCAPE = re.compile(r"\\(?:u|U0000)00(?:22|27|3[cCeE]|5[cC]|0[aAdD])")


def check_canonical(canonical: Canonical, known_graphs: Collection[str], query: str) -> None:
    """Refuse a written text where SERVICE or FROM could be read other than as allowed.

    Obvious by construction: the text splits on spaces into its tokens; a token holding `\\u` is a
    string or an IRI whose escapes decode into no delimiter (so decoding them first changes no
    token's extent); SERVICE and FROM, in any case, stand only inside a variable's name, or FROM as
    `FROM [NAMED] <known graph>`.
    """
    text = canonical.text
    if "\\" in text:
        for begin, piece in _escaped_pieces(text):
            if not (piece[0] + piece[-1] in ('""', "<>") and len(piece) > 1):
                raise _refusal(canonical, query, begin)
        if bad := _DELIMITER_ESCAPE.search(text):
            raise _refusal(canonical, query, text.rfind(" ", 0, bad.start()) + 1)
    lowered = text.lower()  # ASCII letters fold as the engine folds them; no other character maps to them
    if "service" not in lowered and "from" not in lowered:
        return
    checked_up_to = -1  # end of the last piece found allowed: each piece is checked once
    # in an ASCII text the lowered text has the same offsets, and the plain search is far faster
    for match in _KEYWORDS_LOWER.finditer(lowered) if text.isascii() else _KEYWORDS.finditer(text):
        if match.start() < checked_up_to:
            continue
        begin = text.rfind(" ", 0, match.start()) + 1
        end = text.find(" ", match.end())
        checked_up_to = end if end >= 0 else len(text)
        piece = text[begin : end if end >= 0 else len(text)]
        if _VAR_PIECE.fullmatch(piece):
            continue
        if piece == "FROM" and _known_graph_follows(text, end, known_graphs):
            continue
        raise _refusal(canonical, query, begin)


def _known_graph_follows(text: str, end: int, known_graphs: Collection[str]) -> bool:
    rest = text[end + 1 :].split(" ", 2) if end >= 0 else []
    if rest and rest[0] == "NAMED":
        rest = rest[1:]
    if not rest or not (rest[0].startswith("<") and rest[0].endswith(">")):
        return False
    try:
        iri = _unescape(rest[0][1:-1], iri=True)
    except ValueError:
        return False
    return iri in known_graphs


def _refusal(canonical: Canonical, query: str, offset: int) -> ProblemError:
    line, column = line_column(query, canonical.source_offset(offset))
    return bad_request(
        "service-refused",
        "Federated queries and unknown graphs are not allowed",
        f"The query, as this service reads it, names SERVICE or FROM at line {line}, column {column}. "
        "This server never calls another server nor reads a graph it does not hold.",
        line=line,
        column=column,
    )


def syntax_refusal(query: str, error: CanonicalError) -> ProblemError:
    """400 for a text the guard cannot read as the engine would."""
    line, column = line_column(query, error.offset)
    return bad_request(
        "syntax-error",
        "The query is not valid SPARQL",
        f"The query cannot be read at line {line}, column {column}: {error.reason}. Fix the query (SPARQL 1.1 syntax).",
        line=line,
        column=column,
    )
