"""The guard's first canonical writer (before its fast paths), kept as the reference that
`test_canonical_fast` compares the service's writer with, token for token."""

from __future__ import annotations

from graph_service.sparql.canonical import (
    _BNODE,
    _KEYWORDS_SET,
    _LANGTAG,
    _NUMBER,
    _OPERAND_END,
    _PNAME,
    _SPACE,
    _VAR,
    _WORD,
    Canonical,
    CanonicalError,
    _punct,
    _read_iri,
    _read_string,
    valid_iri,
    write_iri,
    write_string,
)
from graph_service.sparql.lexer import ascii_upper


def reference_canonical_query(query: str, base_iri: str | None) -> Canonical:
    """Read `query` as the engine does and write it back with one reading (module docstring).

    Raises CanonicalError where the guard cannot be sure to read as the engine does. Remembered:
    clients send the same few queries over and over (the result depends on nothing else).
    """
    from graph_service.sparql.guard import _ends_in_authority, resolve_iri  # the guard imports this module

    base = base_iri
    prefixes: dict[str, str] = {}
    bnodes: dict[str, str] = {}
    pieces: list[str] = []
    sources: list[int] = []
    # what each open bracket holds: "e" an expression, "c" a collection or VALUES row, "g" a group or
    # property list, "t" a triple term `<<(`, "r" a reified triple `<<`, "a" an annotation `{|`
    stack: list[str] = []
    kinds: list[str] = []  # kind of each token written
    prologue = True
    length = len(query)
    i = _SPACE.match(query, 0).end()  # type: ignore[union-attr]

    def emit(piece: str, kind: str, at: int) -> None:
        pieces.append(piece)
        kinds.append(kind)
        sources.append(at)

    def previous(n: int = 1) -> tuple[str, str]:
        return (kinds[-n], pieces[-n]) if len(kinds) >= n else ("", "")

    while i < length:
        char = query[i]
        start = i
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
                i = _SPACE.match(query, close + 1).end()  # type: ignore[union-attr]
                continue
            if head.startswith("VERSION"):
                emit("VERSION", "word", i)
                at = _SPACE.match(query, i + len("VERSION")).end()  # type: ignore[union-attr]
                if not query.startswith(("'", '"'), at):
                    raise CanonicalError(at, "a version string expected")
                i, value = _read_string(query, at)
                emit(write_string(value), "string", at)
                i = _SPACE.match(query, i).end()  # type: ignore[union-attr]
                continue
            prologue = False
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
            name, local = pname.group(1) or "", pname.group(2) or ""
            if name not in prefixes:
                raise CanonicalError(i, f"the prefix `{name}:` is not declared")
            namespace = prefixes[name]
            iri = namespace + local.replace("\\", "")
            if (local and _ends_in_authority(namespace)) or resolve_iri(iri, None) != iri or not valid_iri(iri):
                raise CanonicalError(i, "a prefixed name that is not a plain IRI")
            i = pname.end()
            emit(write_iri(iri), "iri", start)
        elif (number := _NUMBER.match(query, i)) is not None and not (
            char == "." and (previous()[0] in _OPERAND_END or previous()[1] in (")", "]", "true", "false"))
        ):
            if char == "." and previous()[0] in ("word", "iri") and (stack[-1:] or ["g"])[0] != "e":
                # `<p>.5` is an object after a verb, `<o>.5` a dot then a subject: which, only the
                # parse tells; the written text would fix one
                raise CanonicalError(i, "a `.` glued to a number after a term: put a space around it")
            i = number.end()
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
            emit(query[start:i], "punct", start)
        i = _SPACE.match(query, i).end()  # type: ignore[union-attr]
    text_parts: list[str] = []
    starts: list[int] = []
    offset = -1
    for n, piece in enumerate(pieces):
        # `CONCAT(`, `COALESCE(` and `BNODE(` take no space before `(`: as written, so written
        glued = n and sources[n] == sources[n - 1] + len(pieces[n - 1])
        # and a sign glued to its number stays glued (`VALUES ?x { - 1 }` reads the text `- 1`)
        if not glued or not (
            (piece == "(" and kinds[n - 1] == "word") or (kinds[n] == "number" and pieces[n - 1] in ("+", "-"))
        ):
            text_parts.append(" ")
            offset += 1
        starts.append(offset)
        text_parts.append(piece)
        offset += len(piece)
    return Canonical("".join(text_parts)[1:], tuple(starts), tuple(sources))
