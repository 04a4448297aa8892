"""Run the SHACL shapes over a loaded graph and report violations by resource."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph_service.loading import LoadedGraph, parse_file


@dataclass(frozen=True)
class Violation:
    """One failed constraint: which resource, which property, what is wrong."""

    file: Path | None
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a SHACL run."""

    conforms: bool
    violations: tuple[Violation, ...]

    def by_resource(self) -> dict[tuple[str, str], list[Violation]]:
        """Violations grouped by (file, resource), in a stable order."""
        groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        for v in sorted(self.violations, key=lambda v: (str(v.file), v.focus, v.path or "")):
            groups[(str(v.file) if v.file else "(unknown file)", v.focus)].append(v)
        return dict(groups)

    def render(self) -> str:
        """A report a contributor can act on: file, resource, property, problem."""
        if self.conforms:
            return "All data conforms to the shapes."
        lines = [f"{len(self.violations)} problem(s) found:"]
        current_file = None
        for (file, focus), items in self.by_resource().items():
            if file != current_file:
                lines.append(f"\n{file}")
                current_file = file
            lines.append(f"  {focus}")
            for v in items:
                prop = v.path or "(the resource itself)"
                value = f" (found: {v.value})" if v.value is not None else ""
                lines.append(f"    {v.severity} on {prop}: {v.message}{value}")
        return "\n".join(lines)


def load_shapes(shapes_file: Path) -> Graph:
    """Parse the shapes graph."""
    return parse_file(shapes_file)


def validate_graph(loaded: LoadedGraph, shapes: Graph) -> ValidationReport:
    """Validate the loaded graph (ontology included, so subclasses count) against the shapes."""
    conforms, results, _text = shacl_validate(
        loaded.graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    assert isinstance(results, Graph)
    violations = [
        _violation(results, result, loaded) for result in results.subjects(RDF.type, SH.ValidationResult)
    ]
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def _violation(results: Graph, node: Node, loaded: LoadedGraph) -> Violation:
    graph = loaded.graph

    def short(term: Node | None) -> str | None:
        if term is None:
            return None
        if isinstance(term, Literal):
            return term.n3(graph.namespace_manager)
        return graph.namespace_manager.normalizeUri(str(term))

    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    message = results.value(node, SH.resultMessage)
    severity = results.value(node, SH.resultSeverity)
    shape = results.value(node, SH.sourceShape)
    return Violation(
        file=loaded.file_for(focus) if focus is not None else None,
        focus=short(focus) or "?",
        path=short(path) if path is not None and not _is_blank(path) else None,
        value=short(value),
        message=str(message) if message is not None else "constraint not met",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=short(shape) if shape is not None and not _is_blank(shape) else None,
    )


def _is_blank(term: Node) -> bool:
    return isinstance(term, BNode)
