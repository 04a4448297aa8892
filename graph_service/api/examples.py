"""The named queries of the queries folder, as examples for the query page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from graph_service.named.header import HeaderError, parse_header

log = logging.getLogger("graph_service.examples")
_cache: dict[tuple[Path, tuple[tuple[str, float], ...]], list[Example]] = {}


@dataclass(frozen=True)
class Example:
    """A named query: its name, titles by language and its text without the header."""

    name: str
    titles: dict[str, str]
    query: str


def load_examples(queries_dir: Path) -> list[Example]:
    """The `*.rq` files read with the catalog's header parser; re-read only when a file changes.

    A file whose header does not parse is left out (and logged): `graph-service` checks the
    catalog elsewhere; the page should keep working.
    """
    if not queries_dir.is_dir():
        return []
    paths = sorted(queries_dir.glob("*.rq"))
    key = (queries_dir, tuple((p.name, p.stat().st_mtime) for p in paths))
    if key not in _cache:
        examples: list[Example] = []
        for path in paths:
            try:
                spec = parse_header(path, path.read_text(encoding="utf-8"))
            except HeaderError as exc:
                log.warning("query page: %s", exc)
                continue
            body = "\n".join(spec.text.splitlines()[spec.header_lines :]).strip("\n") + "\n"
            examples.append(Example(spec.name, dict(spec.titles), body))
        _cache.clear()
        _cache[key] = sorted(examples, key=lambda e: e.name)
    return _cache[key]
