"""The form of a named query on the query page: one field per typed parameter of its `.rq` header,
with suggestions from the graph (the ids and names of the instances of the parameter's class, the
codes of CPV concepts, fr/en for a language) and the input that fits its type (date, number, choice).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph_service.domain.index import ResourceIndex, expand
from graph_service.domain.readmodel import ReadModel
from graph_service.named.header import Param, QuerySpec
from graph_service.prefixes import PREFIXES

NOTATION = PREFIXES["skos"] + "notation"
LANGUAGES = (("fr", "français"), ("en", "English"))
INPUTS = {"date": "date", "integer": "number", "decimal": "number"}


@dataclass(frozen=True)
class Choice:
    """A value to suggest and what people read for it."""

    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One parameter of the form: its input, its value, its suggestions (a datalist) or choices (a select)."""

    name: str
    type: str
    required: bool
    help: str
    value: str
    input: str = "text"
    step: str = ""
    suggestions: tuple[Choice, ...] = ()
    choices: tuple[Choice, ...] = ()

    @property
    def field_name(self) -> str:
        """The query-string name of the field (`p.category`): never clashes with the page's own."""
        return "p." + self.name


def suggestions(param: Param, index: ResourceIndex, read: ReadModel, lang: str) -> tuple[Choice, ...]:
    """What the graph offers for a parameter: instances of its class (codes for a string), else examples."""
    cls = expand(param.cls) if param.cls else None
    if cls is None:
        return ()
    found = []
    for res in index.of_type(cls):
        if param.type == "string":
            for code in read.props(res.iri).get(NOTATION, []):
                found.append(Choice(code.value, res.name(lang)))
        else:
            found.append(Choice(res.id, res.name(lang)))
    return tuple(sorted(set(found), key=lambda c: (c.label.lower(), c.value)))


def form_fields(
    spec: QuerySpec,
    raw: Mapping[str, str],
    index: ResourceIndex,
    read: ReadModel,
    lang: str,
) -> list[Field]:
    """The fields of a query's form, filled with `raw` (else the page's language for `lang`, else the defaults)."""
    fields = []
    for param in spec.params:
        is_lang = param.name == "lang" and param.type == "string"
        value = raw.get(param.name, lang if is_lang else param.default or "")
        choices: tuple[Choice, ...] = ()
        if param.type == "boolean":
            choices = (Choice("true", "true"), Choice("false", "false"))
        elif is_lang:
            choices = tuple(Choice(code, label) for code, label in LANGUAGES)
        examples = tuple(Choice(e[param.name], e[param.name]) for e in spec.examples if param.name in e)
        fields.append(
            Field(
                name=param.name,
                type=param.type,
                required=param.required,
                help=param.help,
                value=value,
                input=INPUTS.get(param.type, "text"),
                step="any" if param.type == "decimal" else "",
                suggestions=()
                if choices
                else (suggestions(param, index, read, lang) or tuple(dict.fromkeys(examples))),
                choices=choices,
            )
        )
    return fields


def field_values(query: Mapping[str, str], spec: QuerySpec) -> dict[str, str]:
    """The parameters of `spec` given in a query string as `p.name=value` (empty ones left out)."""
    return {p.name: query["p." + p.name] for p in spec.params if query.get("p." + p.name)}
