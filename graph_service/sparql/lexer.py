"""A SPARQL tokenizer that finds exactly the spans the grammar treats as IRIs, strings and comments.

It does not parse; it lets the guard see keywords that are really keywords. Codepoint escapes
(`\\u0053`) are decoded first, as the SPARQL grammar requires before parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_CHARS = r"A-Za-z0-9_\-\u00B7\u00C0-\U000EFFFF"
_PN_START = r"A-Za-z\u00C0-\U000EFFFF"
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL_CHAR = rf"(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|{_LOCAL_ESC})"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\r\n]*)",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\n\r]|\\.)*'"
            r'|"(?:[^"\\\n\r]|\\.)*")',
            rf"(?P<var>[?$][{_PN_CHARS}]+)",
            rf"(?P<bnode>_:[{_PN_CHARS}.]*)",
            rf"(?P<pname>(?:[{_PN_START}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:"
            rf"(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)",
            r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<punct>\^\^|\|\||&&|!=|<=|>=|.)",
        ]
    ),
    re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One token: its kind (a group name above), text and offset in the decoded query."""

    kind: str
    text: str
    offset: int

    def is_word(self, word: str) -> bool:
        """True for the keyword `word`, in any case."""
        return self.kind == "word" and self.text.upper() == word


def decode_escapes(query: str) -> str:
    """Replace `\\uXXXX` and `\\UXXXXXXXX` escapes, as SPARQL does before parsing."""
    return _ESCAPE.sub(_decode_one, query)


def _decode_one(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()


def tokenize(query: str) -> list[Token]:
    """Tokens of an already decoded query, without whitespace and comments.

    Oxigraph reads a keyword glued to a prefixed name as the keyword: `SERVICE:x { … }` is a
    SERVICE call to `:x`, and `FROM:g` / `FROM NAMED:g` (outside any group) are dataset clauses.
    Such tokens are split, so the guard sees what the engine will run; elsewhere (`?s from:p ?o`)
    a prefix that happens to spell a keyword stays a prefixed name.
    """
    raw = [
        Token(match.lastgroup or "punct", match.group(), match.start())
        for match in _TOKEN.finditer(query)
        if match.lastgroup not in ("ws", "comment")
    ]
    tokens: list[Token] = []
    depth = 0
    for i, token in enumerate(raw):
        if token.kind == "punct" and token.text == "{":
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth = max(0, depth - 1)
        prefix = token.text.partition(":")[0].upper() if token.kind == "pname" else ""
        following = raw[i + 1].text if i + 1 < len(raw) else ""
        declared = bool(tokens) and tokens[-1].is_word("PREFIX")
        glued = (prefix == "SERVICE" and following == "{") or (prefix in ("FROM", "NAMED") and depth == 0)
        if glued and not declared:
            cut = len(prefix)
            tokens.append(Token("word", token.text[:cut], token.offset))
            tokens.append(Token("pname", token.text[cut:], token.offset + cut))
        else:
            tokens.append(token)
    return tokens


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
