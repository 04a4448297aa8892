"""Read the project's Turtle files into one rdflib graph, with no network access."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from graph_service.config import Settings
from graph_service.prefixes import PREFIXES

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".n3": "n3"}
# Bounds on one data file, checked before rdflib (or Oxigraph, pyshacl) reads it: rdflib takes
# minutes over tens of thousands of prefix declarations and runs out of memory on a literal of
# tens of megabytes. The project's own files are far below (150 kB, 15 prefixes, 1.3 kB literals).
MAX_FILE_BYTES = 32 << 20
MAX_PREFIXES = 1_000
MAX_LITERAL_CHARS = 1 << 20
# what the scan of a file stops at: string delimiters, escapes, comments, IRIs, line ends, and the
# PREFIX / @prefix keywords (not as part of a name)
_TOKENS = re.compile(r'"""|\'\'\'|\\.|["\'#<>\n]|(?<![\w:.-])@?(?i:prefix)(?![\w:-])', re.DOTALL)


class DataSyntaxError(Exception):
    """A data file that cannot be parsed; names the file and the line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: syntax error: {message}")


class DataLimitError(DataSyntaxError):
    """A data file past one of the bounds above; names the file, the line and the limit."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        where = f"{path}:{line}" if line else str(path)
        self.args = (f"{where}: {message}",)

    def __str__(self) -> str:
        return str(self.args[0])


def check_file_limits(path: Path) -> None:
    """Refuse a file past MAX_FILE_BYTES, MAX_PREFIXES or MAX_LITERAL_CHARS, before any parser reads it.

    One linear scan of the text: string literals (short and long, both quotes), comments and IRIs
    are skipped as a Turtle reader would, so a `#` or `prefix` inside them does not count."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataLimitError(
            path,
            None,
            f"the file has {size} bytes; a data file may have at most {MAX_FILE_BYTES} (split it into several files)",
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    line, prefixes = 1, 0
    state: str | None = None  # None: in the code; "#": a comment; "<": an IRI; else the open quote
    start = start_line = 0

    def check_literal(end: int) -> None:
        if end - start > MAX_LITERAL_CHARS:
            raise DataLimitError(
                path,
                start_line,
                f"a literal of {end - start} characters; a literal may "
                f"have at most {MAX_LITERAL_CHARS} (keep long texts outside the graph)",
            )

    for match in _TOKENS.finditer(text):
        token = match.group()
        if token.endswith("\n"):
            line += 1
            if state in ('"', "'"):  # a short string does not span lines: the parser will say so
                check_literal(match.start())
                state = None
            elif state in ("#", "<"):
                state = None
            continue
        if state is None:
            if token[0] in "\"'":
                state, start, start_line = token, match.end(), line
            elif token in ("#", "<"):
                state = token
            elif token[0] in "@pP":
                prefixes += 1
                if prefixes > MAX_PREFIXES:
                    raise DataLimitError(
                        path,
                        line,
                        f"more than {MAX_PREFIXES} prefix declarations; a data file may declare at most {MAX_PREFIXES}",
                    )
        elif state == "<":
            if token == ">":
                state = None
        elif state != "#" and (token == state or (len(state) == 1 and token == state * 3)):
            check_literal(match.start())
            state = None  # `"a"""` is "a" then "": closed either way
    if state is not None and state not in ("#", "<"):
        check_literal(len(text))


@dataclass
class LoadedGraph:
    """All triples of the given files, and which file describes each subject."""

    graph: Graph
    files: tuple[Path, ...]
    file_of_subject: dict[Node, Path] = field(default_factory=dict)

    def file_for(self, node: Node) -> Path | None:
        """The file where a resource is described (typed), if any."""
        return self.file_of_subject.get(node)


class NoDataError(FileNotFoundError):
    """A data folder (or list of data paths) that holds no RDF file: there is no dataset to load."""


def discover_data_files(paths: Iterable[Path]) -> list[Path]:
    """Like discover_files, but refuse an empty result: without data there is nothing to validate or serve."""
    given = list(paths)
    found = discover_files(given)
    if not found:
        where = ", ".join(str(p) for p in given) or "(no path)"
        raise NoDataError(
            f"{where}: no data file (.ttl, .nt, .n3) found; the dataset is empty, nothing to validate or serve"
        )
    return found


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their RDF files (sorted); keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in RDF_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found


def parse_file(path: Path) -> Graph:
    """Parse one RDF file; raise DataSyntaxError with its line on bad syntax."""
    fmt = RDF_SUFFIXES.get(path.suffix)
    if fmt is None:
        raise DataSyntaxError(path, None, f"unknown RDF file type {path.suffix!r} (use .ttl or .nt)")
    check_file_limits(path)
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises several unrelated types on bad syntax
        line = getattr(exc, "lines", None)
        reason = getattr(exc, "_why", None) or str(exc).strip().splitlines()[0]
        raise DataSyntaxError(path, line + 1 if isinstance(line, int) else None, str(reason)) from exc
    return graph


def ontology_files(settings: Settings) -> list[Path]:
    """The ontology's own files (the shapes are not part of the graph)."""
    return [p for p in discover_files([settings.ontology_dir]) if p != settings.shapes_file]


def load_files(files: Sequence[Path]) -> LoadedGraph:
    """Merge the given files into one graph, remembering where each subject is typed."""
    merged = Graph()
    file_of_subject: dict[Node, Path] = {}
    untyped: list[tuple[Node, Path]] = []
    for path in files:
        part = parse_file(path)
        for subject in part.subjects(RDF.type, None):
            file_of_subject.setdefault(subject, path)
        untyped.extend((subject, path) for subject in part.subjects(unique=True))
        merged += part
    for subject, path in untyped:  # a subject typed nowhere is reported where it first appears
        file_of_subject.setdefault(subject, path)
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace, override=True)
    return LoadedGraph(graph=merged, files=tuple(files), file_of_subject=file_of_subject)


def project_files(settings: Settings, data_paths: Sequence[Path] | None = None) -> list[Path]:
    """The ontology files plus the data folder's (or the given data files or folders)."""
    return [*ontology_files(settings), *discover_data_files(data_paths or [settings.data_dir])]


def load_project(settings: Settings, data_paths: Sequence[Path] | None = None) -> LoadedGraph:
    """Load the ontology plus the data folder (or the given data files or folders)."""
    return load_files(project_files(settings, data_paths))
