"""How Oxigraph's SPARQL parser reads a query's characters, modelled for the guard.

Oxigraph (spargebra, a rust-peg grammar without a separate lexer) reads the text this way, and so
does this module:

- keywords are matched by length, ASCII case folded, with no word boundary: `SERVICESILENT<x>`,
  `trueSERVICE<x>` and `SERVICEab:x` hold the keyword SERVICE;
- `\\uXXXX` escapes are decoded only inside strings and IRIs, after their extent is found: in
  `"x\\u005C"` the string ends at the second quote;
- a comment runs from `#` to the next CR or LF; white space is space, tab, CR and LF;
- `<` starts an IRI that runs to the next `>` where an IRI may stand, and is the less-than
  operator inside expressions. The two cannot be told apart without parsing, so the scan follows
  both readings (`Scan` below) and the guard checks every one.

The scan never decides in the engine's favour: it yields a superset of the places where the
engine may start a token.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Characters that no IRI may hold (RFC 3987): after one of these, `<` cannot start an IRI.
_NOT_IN_IRI = frozenset('<>"{}|^`\\') | frozenset(chr(c) for c in range(0x21))
# The first `>` or character no IRI may hold as written (escapes aside): `<` starts an IRI only if
# it is `>`. Searched once per `<`, it stops at the next `<`, so many `<` cost linear time.
_IRI_STOP = re.compile('[<>"{}|^`\x00-\x20]')
MAX_STATES_PER_CHAR = 8  # readings explored per character before the scan gives up
OPENING, CLOSING = "{([", "})]"


def _is_pn_chars_base(char: str) -> bool:
    code = ord(char)
    return (
        "A" <= char <= "Z"
        or "a" <= char <= "z"
        or 0xC0 <= code <= 0xD6
        or 0xD8 <= code <= 0xF6
        or 0xF8 <= code <= 0x2FF
        or 0x370 <= code <= 0x37D
        or 0x37F <= code <= 0x1FFF
        or 0x200C <= code <= 0x200D
        or 0x2070 <= code <= 0x218F
        or 0x2C00 <= code <= 0x2FEF
        or 0x3001 <= code <= 0xD7FF
        or 0xF900 <= code <= 0xFDCF
        or 0xFDF0 <= code <= 0xFFFD
        or 0x10000 <= code <= 0xEFFFF
    )


def _is_pn_chars_u(char: str) -> bool:
    return char == "_" or _is_pn_chars_base(char)


def _is_pn_chars(char: str) -> bool:
    code = ord(char)
    return (
        _is_pn_chars_u(char)
        or char == "-"
        or "0" <= char <= "9"
        or code == 0xB7
        or 0x300 <= code <= 0x36F
        or 0x203F <= code <= 0x2040
    )


def _is_hex(char: str) -> bool:
    return char in "0123456789abcdefABCDEF"


class Token(NamedTuple):
    """One token of one reading: kind, text, offset; `depth` counts the brackets around it."""

    kind: str  # word, pname, var, iri, string, number, bnode, langtag, punct
    text: str
    offset: int
    depth: int = 0

    @property
    def end(self) -> int:
        """Offset just past the token."""
        return self.offset + len(self.text)

    def is_word(self, word: str) -> bool:
        """True for the keyword `word` (ASCII case folded), spelt alone."""
        return self.kind == "word" and ascii_upper(self.text) == word

    def keyword_starts(self) -> range:
        """Offsets inside this token where the engine could start reading a keyword."""
        if self.kind in ("word", "langtag"):
            return range(self.offset, self.end)
        if self.kind == "pname":
            return range(self.offset, self.offset + self.text.index(":"))
        return range(self.offset, self.offset + 1)


def ascii_upper(text: str) -> str:
    """Upper case of ASCII letters only, as the engine compares keywords."""
    return text.upper() if text.isascii() else "".join(c.upper() if c.isascii() else c for c in text)


def keyword_at(text: str, offset: int, keyword: str) -> bool:
    """True when `keyword` (upper case) is spelt at `offset`, in any ASCII case."""
    return ascii_upper(text[offset : offset + len(keyword)]) == keyword


def skip_space(text: str, offset: int) -> int:
    """Past white space and comments (a comment ends at CR or LF), as the grammar's `_`."""
    match = _SPACE.match(text, offset) if offset < len(text) else None
    return match.end() if match else offset


_SPACE = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")  # white space: space, tab, CR, LF


def iri_end(text: str, offset: int) -> int | None:
    """End of the engine's IRIREF at `offset` (`<`, anything but `>`, `>`), or None."""
    if offset >= len(text) or text[offset] != "<":
        return None
    close = text.find(">", offset + 1)
    return None if close < 0 else close + 1


def could_be_iri(raw: str) -> bool:
    """False when the text between `<` and `>` cannot be a valid IRI, whatever it resolves to."""
    decoded = unescape_iri(raw)
    return decoded is not None and not any(char in _NOT_IN_IRI for char in decoded)


def unescape_iri(raw: str) -> str | None:
    """Decode `\\u` escapes of an IRI's text as the engine does; None for any other backslash."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        char = raw[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        size = {"u": 4, "U": 8}.get(raw[i + 1 : i + 2])
        digits = raw[i + 2 : i + 2 + size] if size else ""
        if not size or len(digits) != size or not all(_is_hex(c) for c in digits):
            return None
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        out.append(chr(code))
        i += 2 + size
    return "".join(out)


def pn_prefix_end(text: str, offset: int) -> int:
    """End of PN_PREFIX at `offset` (`offset` itself when there is none); costs the name's length."""
    if offset >= len(text) or not _is_pn_chars_base(text[offset]):
        return offset
    match = _PN_CHAIN.match(text, offset)
    return match.end() if match else offset


def pn_prefix_end_many(text: str, offset: int) -> int:
    """`pn_prefix_end`, for callers that ask at many offsets inside one word.

    PN_PREFIX read from any offset inside a chain of PN_CHARS (dots allowed between them) ends
    where the chain ends, so each call is a look-up in the chains of the text, found once per text:
    a text of many keyword candidates (`FROMFROM…`, `SERVICESERVICE…`) costs linear time, not
    quadratic.
    """
    if offset >= len(text) or not _is_pn_chars_base(text[offset]):
        return offset
    starts, ends = _pn_chains(text)
    return ends[bisect_right(starts, offset) - 1]


_PN_CHARS_BASE_CLASS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_CLASS = _PN_CHARS_BASE_CLASS + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
# VARNAME (after `?` or `$`): PN_CHARS_U or a digit, then those, U+00B7 and combining marks
_VARNAME_MORE = "_0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = re.compile(f"[{_PN_CHARS_BASE_CLASS}_0-9][{_PN_CHARS_BASE_CLASS}{_VARNAME_MORE}]*")
# PN_CHARS, and runs of dots followed by PN_CHARS: where PN_PREFIX goes on (as `_is_pn_chars`)
_PN_CHAIN = re.compile(f"[{_PN_CHARS_CLASS}](?:[{_PN_CHARS_CLASS}]|\\.+(?=[{_PN_CHARS_CLASS}]))*")


@lru_cache(maxsize=4)
def _pn_chains(text: str) -> tuple[array[int], array[int]]:
    """Starts and ends of the maximal chains of PN_CHARS and inner dots of a text."""
    starts, ends = array("q"), array("q")
    for match in _PN_CHAIN.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def pn_local_ends(text: str, offset: int) -> list[int]:
    """Where PN_LOCAL at `offset` may end: as the engine reads it, and as the SPARQL grammar does.

    The engine allows one run of dots inside a local name (`a.b`), the grammar any number
    (`a.b.c`); both ends are returned so that the guard can check both.
    """
    first = _LOCAL_START.match(text, offset)
    if first is None:
        return [offset]
    end = first.end()
    engine_end: int | None = None
    spec_end = end
    while (dotted := _LOCAL_DOTTED.match(text, spec_end)) is not None:
        spec_end = dotted.end()
        if engine_end is None:
            engine_end = spec_end
    return sorted({engine_end if engine_end is not None else end, spec_end})


# PN_LOCAL's characters: PLX (a `%` escape or a `\` escape), `:`, and PN_CHARS (PN_CHARS_U or a
# digit first); runs of dots are allowed between runs of them
_PLX = "%[0-9A-Fa-f]{2}|\\\\[_~.\\-!$&'()*+,;=/?#@%]"
_LOCAL_RUN = f"(?:[:{_PN_CHARS_CLASS}]|{_PLX})*"
_LOCAL_START = re.compile(f"(?:[:{_PN_CHARS_BASE_CLASS}_0-9]|{_PLX}){_LOCAL_RUN}")
_LOCAL_DOTTED = re.compile(f"\\.+(?:[:{_PN_CHARS_CLASS}]|{_PLX}){_LOCAL_RUN}")


def unescape_local(local: str) -> str:
    """A local name with its `\\` escapes removed, as the engine joins it to the prefix."""
    return local.replace("\\", "")


def _string_end(text: str, offset: int) -> int | None:
    """End of the engine's string literal at `offset`, or None when it reads none.

    As the grammar tries them: a long string first and, when it never closes, a short one (three
    quotes then `x'` read as the empty string, then a string starting at the third quote).
    """
    quote = text[offset]
    if text.startswith(quote * 3, offset):
        end = _string_body_end(text, offset + 3, quote, long=True)
        if end is not None:
            return end
    return _string_body_end(text, offset + 1, quote, long=False)


@lru_cache(maxsize=4)
def _string_ends(text: str) -> dict[tuple[str, bool], array[int]]:
    """Per text, quote and kind: where a string body read from each offset ends (-1: never,
    -2: not yet known). Every start of a string whose reading reaches an offset already read
    goes no further, so `"\\"\\"\\"…` (a string at each quote, none closing) costs linear time."""
    blank = array("i", [-2]) * (len(text) + 1)
    return {(quote, long): array("i", blank) for quote in "\"'" for long in (False, True)}


def _string_body_end(text: str, i: int, quote: str, *, long: bool) -> int | None:
    known = _string_ends(text)[(quote, long)]
    visited: list[int] = []
    end = -1
    while i < len(text):
        if known[i] != -2:
            end = known[i]
            break
        visited.append(i)
        char = text[i]
        if long and text.startswith(quote * 3, i):
            end = i + 3  # one or two quotes may stand before a character, never a third
            break
        if not long and char == quote:
            end = i + 1
            break
        if not long and char in "\r\n":
            break
        if char == "\\":
            step = _escape_end(text, i)
            if step is None:
                break
            i = step
        else:
            i += 1
    for offset in visited:
        known[offset] = end
    return None if end < 0 else end


def _escape_end(text: str, offset: int) -> int | None:
    following = text[offset + 1 : offset + 2]
    if following in ("t", "b", "n", "r", "f", '"', "'", "\\"):
        return offset + 2
    size = {"u": 4, "U": 8}.get(following)
    if size and len(digits := text[offset + 2 : offset + 2 + size]) == size and all(map(_is_hex, digits)):
        return offset + 2 + size
    return None


def _number_end(text: str, offset: int) -> int:
    match = _NUMBER.match(text, offset)
    return match.end() if match else offset + 1


_NUMBER = re.compile(
    r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+"
)
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")


def next_tokens(text: str, offset: int, *, in_parens: bool, depth: int = 0) -> list[Token]:
    """The tokens the engine may read at `offset` (white space already skipped).

    Usually one; two where `<` may be an IRI or the less-than operator (inside parentheses).
    `depth` is the nesting the tokens are given.
    """
    char = text[offset]
    if char in "\"'":
        end = _string_end(text, offset)
        # a string the engine cannot read stops the engine; the guard reads on as code
        return [Token("string", text[offset:end], offset, depth)] if end else [Token("punct", char, offset, depth)]
    if char == "<":
        operator = Token("punct", "<", offset, depth)
        stop = _IRI_STOP.search(text, offset + 1)
        if stop is None or stop.group() != ">":  # no `>`, or a character no IRI holds before it
            return [operator]
        end = iri_end(text, offset)
        if end is None or not could_be_iri(text[offset + 1 : end - 1]):
            return [operator]
        iri = Token("iri", text[offset:end], offset, depth)
        return [iri, operator] if in_parens and _less_than_may_parse(text[offset + 1 : end - 1]) else [iri]
    if char in "?$":
        end = offset + 1
        name = _VARNAME.match(text, end)
        if name:
            end = name.end()
        return [Token("var" if end > offset + 1 else "punct", text[offset:end], offset, depth)]
    if char == "_" and text.startswith("_:", offset):
        end = offset + 2
        if end < len(text) and (_is_pn_chars_u(text[end]) or "0" <= text[end] <= "9"):
            end = _bnode_end(text, end)
        return [Token("bnode", text[offset:end], offset, depth)]
    if "0" <= char <= "9" or (char == "." and text[offset + 1 : offset + 2].isdigit()):
        return [Token("number", text[offset : _number_end(text, offset)], offset, depth)]
    if char == "@":
        match = _LANGTAG.match(text, offset)
        return [Token("langtag" if match else "punct", match.group() if match else "@", offset, depth)]
    if char == ":" or _is_pn_chars_base(char):
        end = pn_prefix_end(text, offset)
        if end < len(text) and text[end] == ":":
            local_end = max(pn_local_ends(text, end + 1))
            return [Token("pname", text[offset:local_end], offset, depth)]
        return [Token("word", text[offset:end], offset, depth)]
    return [Token("punct", char, offset, depth)]


def _less_than_may_parse(content: str) -> bool:
    """False when reading `<` as less-than cannot parse: `//` would stand in code (`<http://…>`).

    No SPARQL has two slashes in a row outside strings, IRIs and comments, so the engine can only
    read such a `<…>` as an IRI; this keeps the readings of real queries few.
    """
    for i, char in enumerate(content):
        if char in "#'\"":
            return True
        if content.startswith("//", i):
            return False
    return True


def _bnode_end(text: str, offset: int) -> int:
    end = offset + 1
    while True:
        while end < len(text) and _is_pn_chars(text[end]):
            end += 1
        dots = end
        while dots < len(text) and text[dots] == ".":
            dots += 1
        if dots > end and dots < len(text) and _is_pn_chars(text[dots]):
            end = dots
        else:
            return end


class ScanLimitError(Exception):
    """The text has more possible readings than the scan follows."""


@dataclass(frozen=True)
class Scan:
    """Every token of every reading of a text, from `start`, with the deepest bracket nesting."""

    tokens: tuple[Token, ...]
    max_depth: int
    deepest: Token | None

    @classmethod
    def of(cls, text: str, start: int = 0, *, max_depth: int) -> Scan:
        """Follow all readings; a reading nested deeper than `max_depth` is not followed further."""
        seen: set[tuple[int, str]] = set()
        pending: list[tuple[int, str]] = [(start, "")]
        tokens: dict[tuple[int, int, str], Token] = {}  # by offset, depth, kind: the order returned
        deepest: Token | None = None
        budget = MAX_STATES_PER_CHAR * (len(text) + 1)
        while pending:
            offset, stack = pending.pop()
            if (offset, stack) in seen:
                continue
            seen.add((offset, stack))
            if len(seen) > budget:
                raise ScanLimitError
            offset = skip_space(text, offset)
            if offset >= len(text):
                continue
            for token in next_tokens(text, offset, in_parens=stack.endswith("("), depth=len(stack)):
                new_stack = stack
                if token.kind == "punct" and token.text in OPENING:
                    new_stack = stack + token.text
                elif token.kind == "punct" and token.text in CLOSING:
                    new_stack = stack[:-1]
                tokens.setdefault((token.offset, token.depth, token.kind), token)
                if len(new_stack) > max_depth:
                    deepest = deepest or token
                    continue
                pending.append((token.end, new_stack))
        ordered = tuple(tokens[key] for key in sorted(tokens))
        depth = max((t.depth for t in ordered), default=0)
        return cls(ordered, depth + (1 if deepest else 0), deepest)


def decode_escapes(query: str) -> tuple[str, list[int]]:
    """The text with every `\\uXXXX` decoded (the SPARQL 1.1 reading), and each char's raw offset."""
    out: list[str] = []
    offsets: list[int] = []
    last = 0
    for match in _ESCAPE.finditer(query):
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF:
            continue
        out.append(query[last : match.start()])
        offsets.extend(range(last, match.start()))
        out.append(chr(code))
        offsets.append(match.start())
        last = match.end()
    out.append(query[last:])
    offsets.extend(range(last, len(query) + 1))
    return "".join(out), offsets


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
