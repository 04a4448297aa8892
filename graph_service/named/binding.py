"""Turn raw parameter values into RDF terms by declared type; never splice text into queries."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from pyoxigraph import BlankNode, Literal, NamedNode, Variable

from graph_service.named.header import Param, QuerySpec
from graph_service.prefixes import PREFIXES

IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
PREFIXED_RE = re.compile(r"^(?P<prefix>[a-z][a-z0-9]*):(?P<local>[A-Za-z0-9][A-Za-z0-9._-]*)$")
LANG_RE = re.compile(r"^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$")

XSD = "http://www.w3.org/2001/XMLSchema#"
Term = NamedNode | Literal
Resolver = Callable[[str, str | None], NamedNode | None]


def typed(lexical: str, datatype: str) -> Literal:
    """A literal of an XSD datatype (its local name)."""
    return Literal(lexical, datatype=NamedNode(XSD + datatype))


class BindingError(ValueError):
    """A parameter value that does not fit its declared type; the API answers 422."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(f"parameter {param!r}: {message}")


def to_term(param: Param, raw: str, resolve: Resolver | None = None) -> Term:
    """Parse one raw value into the RDF term its type announces."""
    if len(raw) > 2000:
        raise BindingError(param.name, "value too long (at most 2000 characters)")
    kind = param.type
    if kind == "iri":
        return _iri(param, raw.strip(), resolve)
    if kind == "string":
        return Literal(raw)
    if kind == "lang-string":
        text, sep, lang = raw.rpartition("@")
        if not sep or not LANG_RE.match(lang):
            raise BindingError(param.name, "expected text@lang, e.g. ordinateur@fr")
        return Literal(text, language=lang)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw.strip()):
            raise BindingError(param.name, f"expected a whole number, got {raw!r}")
        return typed(str(int(raw)), "integer")
    if kind == "decimal":
        try:
            return typed(f"{Decimal(raw.strip()):f}", "decimal")
        except InvalidOperation:
            raise BindingError(param.name, f"expected a decimal number, got {raw!r}") from None
    if kind == "date":
        try:
            return typed(date.fromisoformat(raw.strip()).isoformat(), "date")
        except ValueError:
            raise BindingError(param.name, f"expected a date YYYY-MM-DD, got {raw!r}") from None
    if kind == "boolean":
        if raw.strip().lower() not in ("true", "false"):
            raise BindingError(param.name, f"expected true or false, got {raw!r}")
        return typed(raw.strip().lower(), "boolean")
    raise BindingError(param.name, f"unsupported type {kind!r}")


def _iri(param: Param, raw: str, resolve: Resolver | None) -> NamedNode:
    value = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
    text: str | None = None
    if IRI_RE.match(value):
        text = value
    elif (match := PREFIXED_RE.match(value)) and match["prefix"] in PREFIXES:
        text = PREFIXES[match["prefix"]] + match["local"]
    elif resolve is None or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", value):
        raise BindingError(
            param.name, f"expected an IRI (https://…), a prefixed name (cat:laptop) or an id, got {raw!r}"
        )
    if text is not None:
        try:
            iri = NamedNode(text)  # the engine's own IRI check (RFC 3987)
        except ValueError as exc:
            raise BindingError(param.name, f"not a valid IRI: {exc}") from None
        if resolve is None or param.cls is None:
            return iri
    assert resolve is not None
    found = resolve(text if text is not None else value, param.cls)
    if found is None:
        raise BindingError(param.name, f"no resource {value!r} in the graph")
    return found


def bind(spec: QuerySpec, raw: Mapping[str, str], resolve: Resolver | None = None) -> dict[str, Term]:
    """Bindings for a query: every value typed, unknown names refused, defaults applied."""
    unknown = set(raw) - {p.name for p in spec.params}
    if unknown:
        raise BindingError(sorted(unknown)[0], f"not a parameter of {spec.name}")
    bindings: dict[str, Term] = {}
    for param in spec.params:
        value = raw.get(param.name, param.default)
        if value is None or value == "":
            if param.required:
                raise BindingError(param.name, "required")
            continue
        bindings[param.name] = to_term(param, value, resolve)
    return bindings


def substitutions(bindings: Mapping[str, Term]) -> dict[Variable, NamedNode | Literal | BlankNode]:
    """Bindings keyed by pyoxigraph variables."""
    return {Variable(name): term for name, term in bindings.items()}
