"""Parse the `#+ key: value` header of a `.rq` file into a QuerySpec."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PARAM_TYPES = ("iri", "string", "lang-string", "integer", "decimal", "date", "boolean")
RETURNS = ("select", "ask", "construct", "describe")
SINGLE_KEYS = {
    "name",
    "title@en",
    "title@fr",
    "description@en",
    "description@fr",
    "returns",
    "tags",
    "max-rows",
    "columns@en",
    "columns@fr",
}
REPEATABLE_KEYS = {"param", "example"}
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PARAM_RE = re.compile(
    r"^\?(?P<var>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z-]+)\s+(?P<req>required|optional)"
    r"(?P<opts>(\s+[a-z]+=\S+)*)\s*(?:—|--)\s*(?P<help>.+)$"
)


class HeaderError(ValueError):
    """A malformed header; names the file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Param:
    """A typed query parameter, bound to the SPARQL variable of the same name."""

    name: str
    type: str
    required: bool
    help: str
    default: str | None = None
    cls: str | None = None


@dataclass(frozen=True)
class QuerySpec:
    """A named query: its metadata and its SPARQL text (header included, as comments)."""

    name: str
    path: Path
    titles: dict[str, str]
    descriptions: dict[str, str]
    returns: str
    params: tuple[Param, ...]
    examples: tuple[dict[str, str], ...]
    text: str
    tags: tuple[str, ...] = ()
    max_rows: int | None = None
    header_lines: int = field(default=0)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def column_titles(self, names: list[str], lang: str) -> list[str]:
        """The titles of the result columns in `lang` (English, else the variable names, failing that)."""
        titles = self.columns.get(lang) or self.columns.get("en")
        return list(titles) if titles and len(titles) == len(names) else names

    def param(self, name: str) -> Param | None:
        """The parameter of that name, if declared."""
        return next((p for p in self.params if p.name == name), None)


def parse_header(path: Path, text: str) -> QuerySpec:
    """Read the leading `#+` lines of a query file; raise HeaderError on any problem."""
    values: dict[str, str] = {}
    repeated: dict[str, list[tuple[int, str]]] = {k: [] for k in REPEATABLE_KEYS}
    last_key: str | None = None
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.startswith("#+"):
            break
        count = number
        body = raw[2:]
        if body.startswith("   ") and last_key is not None:  # continuation line
            if last_key in REPEATABLE_KEYS:
                line_no, prev = repeated[last_key][-1]
                repeated[last_key][-1] = (line_no, f"{prev} {body.strip()}")
            else:
                values[last_key] = f"{values[last_key]} {body.strip()}"
            continue
        key, sep, value = body.strip().partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not value:
            raise HeaderError(path, number, "expected '#+ key: value'")
        if key in REPEATABLE_KEYS:
            repeated[key].append((number, value))
        elif key in SINGLE_KEYS:
            if key in values:
                raise HeaderError(path, number, f"key {key!r} given twice")
            values[key] = value
        else:
            known = ", ".join(sorted(SINGLE_KEYS | REPEATABLE_KEYS))
            raise HeaderError(path, number, f"unknown key {key!r} (known keys: {known})")
        last_key = key
    for required in ("name", "title@en", "title@fr", "returns"):
        if required not in values:
            raise HeaderError(path, max(count, 1), f"missing required key {required!r}")
    name = values["name"]
    if not NAME_RE.match(name) or name != path.stem:
        raise HeaderError(path, 1, f"name {name!r} must be kebab-case and equal the file name {path.stem!r}")
    if values["returns"] not in RETURNS:
        raise HeaderError(path, 1, f"returns must be one of {', '.join(RETURNS)}")
    params = tuple(_parse_param(path, n, v) for n, v in repeated["param"])
    examples = tuple(_parse_example(path, n, v, params) for n, v in repeated["example"])
    max_rows = values.get("max-rows")
    return QuerySpec(
        name=name,
        path=path,
        titles={"en": values["title@en"], "fr": values["title@fr"]},
        descriptions={lang: values[f"description@{lang}"] for lang in ("en", "fr") if f"description@{lang}" in values},
        returns=values["returns"],
        params=params,
        examples=examples,
        text=text,
        tags=tuple(t.strip() for t in values.get("tags", "").split(",") if t.strip()),
        max_rows=int(max_rows) if max_rows and max_rows.isdigit() else None,
        header_lines=count,
        columns={
            lang: tuple(t.strip() for t in values[f"columns@{lang}"].split(","))
            for lang in ("en", "fr")
            if f"columns@{lang}" in values
        },
    )


def _parse_param(path: Path, line: int, value: str) -> Param:
    match = PARAM_RE.match(value)
    if not match:
        raise HeaderError(path, line, "param must read '?var type required|optional [default=…] [class=…] — help'")
    ptype = match["type"]
    if ptype not in PARAM_TYPES:
        raise HeaderError(path, line, f"param type {ptype!r} is not one of {', '.join(PARAM_TYPES)}")
    opts = dict(o.split("=", 1) for o in match["opts"].split())
    unknown = set(opts) - {"default", "class"}
    if unknown:
        raise HeaderError(path, line, f"unknown param option(s): {', '.join(sorted(unknown))}")
    return Param(
        name=match["var"],
        type=ptype,
        required=match["req"] == "required",
        help=match["help"].strip(),
        default=opts.get("default"),
        cls=opts.get("class"),
    )


def _parse_example(path: Path, line: int, value: str, params: tuple[Param, ...]) -> dict[str, str]:
    example: dict[str, str] = {}
    for pair in value.split():
        key, sep, val = pair.partition("=")
        if not sep:
            raise HeaderError(path, line, f"example must be var=value pairs, got {pair!r}")
        if key not in {p.name for p in params}:
            raise HeaderError(path, line, f"example names {key!r}, which is not a declared param")
        example[key] = val
    return example
