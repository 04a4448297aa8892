"""Run the SHACL shapes over a loaded graph and report violations by resource."""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyshacl import shape as _shape_module
from pyshacl import validate as shacl_validate
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.constraint_component import ConstraintComponent
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH, XSD
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from graph_service.dataset.loading import LoadedGraph, parse_file


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
        """Violations grouped by (file, resource), in one order whatever order the engine found them in
        (its jobs may finish in any order): by property, then message and value."""
        groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        for v in sorted(self.violations, key=_order):
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


def _order(v: Violation) -> tuple[str, ...]:
    return (str(v.file), v.focus, v.path or "", v.message, v.value or "", v.severity, v.shape or "")


def load_shapes(shapes_file: Path) -> Graph:
    """Parse the shapes graph."""
    return parse_file(shapes_file)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    """A shape's SPARQL text parsed and translated once (pyshacl parses it again for every focus node)."""
    return prepareQuery(text)


_run_query: Callable[..., Any] | None = getattr(SPARQLBasedConstraint, "_validate_sparql_query", None)


def _validate_prepared(self: SPARQLBasedConstraint, query: Any, init_binds: Any, target_graph: Any) -> Any:
    """pyshacl's own evaluation of a sh:sparql constraint, given the prepared query instead of its text:
    the text is the same for every focus node (only the bindings of $this change), so the answer is too."""
    assert _run_query is not None
    return _run_query(self, _prepared(query) if isinstance(query, str) else query, init_binds, target_graph)


if callable(_run_query):  # a private method of pyshacl: without it, pyshacl runs as it comes
    SPARQLBasedConstraint._validate_sparql_query = _validate_prepared  # type: ignore[method-assign]


class _Parameters(list[Any]):
    """pyshacl's list of constraint parameters, with a set's membership test: each check of a node
    against a shape asks, for every triple of the shape, whether its predicate is a parameter (`p in
    list` compares with some forty IRIs, a third of a nested shape's cost). Same members, same answer."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


if getattr(_shape_module, "CONSTRAINT_PARAMS", None) is None:  # where pyshacl keeps the list (private)
    _shape_module.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _Parameters(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )


class _ReadShapes(Graph):
    """The shapes graph with its triple lookups remembered: pyshacl reads a shape's parameters (its
    path, message, `sh:in` and `sh:languageIn` lists...) again each time it checks a node against it,
    and a nested shape is checked once per value node. The graph does not change while pyshacl reads
    it (a change would forget what was remembered), so the answers are the same, in the same order."""

    def __init__(self, shapes: Graph) -> None:
        super().__init__()
        self._seen: dict[tuple[Any, Any, Any], tuple[Any, ...]] = {}
        for prefix, namespace in shapes.namespaces():
            self.bind(prefix, namespace, override=True)
        for triple in shapes:
            super().add(triple)

    def triples(self, triple: Any) -> Any:
        if isinstance(triple[1], PropertyPath):  # a property path: rdflib evaluates it
            yield from super().triples(triple)
            return
        found = self._seen.get(triple)
        if found is None:
            found = self._seen[triple] = tuple(super().triples(triple))
        yield from found

    def add(self, triple: Any) -> Any:
        self._seen.clear()
        return super().add(triple)

    def remove(self, triple: Any) -> Any:
        self._seen.clear()
        return super().remove(triple)


_describe: Callable[..., Any] | None = getattr(ConstraintComponent, "make_v_result_description", None)


def _no_description(*_args: Any, **_kwargs: Any) -> str:
    return ""


@contextlib.contextmanager
def _no_result_texts() -> Iterator[None]:
    """pyshacl without the text of each result: the report graph, which is all that is read here, is
    made of the same triples, but each result's text (the shape written out in Turtle, for pyshacl's
    printed report) is skipped, a fifth of the run: most results are those of nested checks (a value
    against `sh:qualifiedValueShape`, `sh:or`), which pyshacl counts and drops."""
    if _describe is None:  # a private method of pyshacl: without it, pyshacl runs as it comes
        yield
        return
    ConstraintComponent.make_v_result_description = _no_description  # type: ignore[method-assign]
    try:
        yield
    finally:
        ConstraintComponent.make_v_result_description = _describe  # type: ignore[method-assign]


def validate_graph(loaded: LoadedGraph, shapes: Graph) -> ValidationReport:
    """Validate the loaded graph (ontology included, so subclasses count) against the shapes: pyshacl's
    results, then the literals rdflib reads as ill-typed (`ill_typed_literals`). In one process; the
    service and `graph-service validate` run it in a child process, shared out over the cores
    (`shacl_jobs.validate_files`)."""
    conforms, violations = shacl_run(loaded, shapes)
    ill_typed = ill_typed_literals(loaded)
    return ValidationReport(conforms=conforms and not ill_typed, violations=(*violations, *ill_typed))


def shacl_run(
    loaded: LoadedGraph, shapes: Graph, sources: Mapping[Node, Node] | None = None
) -> tuple[bool, list[Violation]]:
    """pyshacl's verdict and results on the loaded graph; `sources` renames result's source shapes (a
    copy of a shape, see shacl_jobs.share_out, reports as the shape itself).

    Plain SHACL with SHACL-SPARQL constraints: no shape uses rules, functions or SPARQL targets, so
    `advanced` stays off (it copies the whole data graph before validating)."""
    with _no_result_texts():
        conforms, results, _text = shacl_validate(
            loaded.graph,
            shacl_graph=_ReadShapes(shapes),
            inference="none",
            advanced=False,
            allow_warnings=True,
            abort_on_first=False,
        )
    assert isinstance(results, Graph)
    violations = [
        _violation(results, result, loaded, sources or {}) for result in results.subjects(RDF.type, SH.ValidationResult)
    ]
    return bool(conforms), violations


# Lexical forms of the datatypes rdflib does not convert (it leaves their ill_typed flag unset).
_LEXICAL = {
    XSD.gYear: re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    XSD.gYearMonth: re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
}


def focus_nodes(shapes: Graph, data: Graph) -> dict[Node, list[Node]] | None:
    """Each shape's focus nodes in the data as pyshacl finds them (targets only; in a stable order), or
    None when a shape has implicit class targets (the shape is a class), which cannot be rewritten as
    other targets."""
    found: dict[Node, list[Node]] = {}
    for shape in ShapesGraph(shapes).shapes:
        if any(True for _ in shape.implicit_class_targets()):
            return None
        nodes = shape.focus_nodes(data)
        if nodes:
            found[shape.node] = sorted(nodes, key=lambda n: (type(n).__name__, str(n)))
    return found


def ill_typed_literals(loaded: LoadedGraph) -> list[Violation]:
    """Literals whose lexical form is not valid for their datatype, e.g. "nineteen-ninety-two"^^xsd:gYear.

    rdflib sets Literal.ill_typed when it cannot convert a literal of a datatype it knows; for the
    datatypes it does not convert (xsd:gYear, xsd:gYearMonth) the lexical form is matched here.
    """
    graph = loaded.graph
    found: list[Violation] = []
    for subject, predicate, obj in graph:
        if not isinstance(obj, Literal) or obj.datatype is None:
            continue
        pattern = _LEXICAL.get(obj.datatype)
        bad = obj.ill_typed is True or (pattern is not None and not pattern.fullmatch(str(obj)))
        if not bad:
            continue
        datatype = graph.namespace_manager.normalizeUri(obj.datatype)
        found.append(
            Violation(
                file=loaded.file_for(subject),
                focus=graph.namespace_manager.normalizeUri(str(subject)) if not _is_blank(subject) else str(subject),
                path=graph.namespace_manager.normalizeUri(str(predicate)),
                value=obj.n3(graph.namespace_manager),
                message=(
                    f"Ill-typed literal: {str(obj)!r} is not a valid {datatype} value;"
                    f" write it in the lexical form of {datatype}."
                ),
                severity="Violation",
                shape=None,
            )
        )
    return found


def _violation(results: Graph, node: Node, loaded: LoadedGraph, sources: Mapping[Node, Node]) -> Violation:
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
    shape = sources.get(shape, shape) if shape is not None else None
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
