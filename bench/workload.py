"""The benchmark workload: the named queries of queries/*.rq, header stripped, examples bound.

Example values are bound as RDF terms (through the catalog's typed binding) in a VALUES block
opening the WHERE group, so they are bound before evaluation as pyoxigraph substitutions would
(a trailing VALUES would join after evaluation: slower, and COALESCE(?lang, ...) would not see the
value). A query without examples runs as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph_service.named.binding import to_term
from graph_service.named.header import parse_header


@dataclass(frozen=True)
class WorkItem:
    """One request of the workload."""

    name: str
    query: str
    returns: str

    @property
    def accept(self) -> str:
        """The media type asked for: SPARQL JSON for tables, Turtle for graphs."""
        return "text/turtle" if self.returns in ("construct", "describe") else "application/sparql-results+json"


def bind(query: str, values: str) -> str:
    """Put a VALUES block at the start of the WHERE group."""
    match = re.search(r"\bWHERE\s*\{", query, flags=re.IGNORECASE)
    if match is None:
        raise ValueError("the query has no WHERE { ... } to bind its example into")
    return f"{query[: match.end()]}\n  {values}{query[match.end() :]}"


def load_workload(queries_dir: Path) -> list[WorkItem]:
    """One item per example of each query (or one per query without examples)."""
    items: list[WorkItem] = []
    for path in sorted(queries_dir.glob("*.rq")):
        spec = parse_header(path, path.read_text(encoding="utf-8"))
        body = "\n".join(spec.text.splitlines()[spec.header_lines :]).strip() + "\n"
        if not spec.examples:
            items.append(WorkItem(spec.name, body, spec.returns))
            continue
        for i, example in enumerate(spec.examples):
            names = sorted(example)
            terms = []
            for name in names:
                param = spec.param(name)
                assert param is not None, f"{path}: example binds undeclared ?{name}"
                terms.append(str(to_term(param, example[name])))
            values = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
            items.append(WorkItem(f"{spec.name}#{i + 1}", bind(body, values), spec.returns))
    return items
