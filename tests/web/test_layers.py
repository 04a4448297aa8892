"""The package layers: only graph_service/web imports the web framework, and no import goes back up.

Read from the source (ast), so a new module is checked as soon as it exists. Each module of
graph_service belongs to one unit (a subpackage, or a top-level module); the units form a graph
that must have no cycle, and nothing below the edge may import the edge.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import graph_service

PACKAGE = Path(graph_service.__file__).parent
FRAMEWORKS = ("fastapi", "starlette", "uvicorn")
EDGE = "web"
ABOVE_THE_EDGE = {"cli", "commands"}  # may use the edge (serve) but nothing imports them


def modules() -> dict[str, list[str]]:
    """Every module of the package (dotted, without `graph_service.`) and what it imports."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        imported: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.append(node.module)
                imported += [f"{node.module}.{a.name}" for a in node.names]
        found[name] = imported
    return found


def unit(module: str) -> str:
    """The unit a module belongs to: its subpackage, or itself for a top-level module."""
    return module.split(".")[0]


def unit_graph() -> dict[str, set[str]]:
    """unit -> the other units it imports."""
    found = modules()
    units = {unit(m) for m in found}
    edges: dict[str, set[str]] = defaultdict(set)
    for module, imported in found.items():
        for target in imported:
            if target.startswith("graph_service."):
                other = unit(target.removeprefix("graph_service."))
                if other in units and other != unit(module):
                    edges[unit(module)].add(other)
    return edges


def test_only_the_edge_imports_the_web_framework() -> None:
    offenders = sorted(
        module
        for module, imported in modules().items()
        if unit(module) != EDGE and any(i.split(".")[0] in FRAMEWORKS for i in imported)
    )
    assert offenders == []


def test_nothing_below_the_edge_imports_it() -> None:
    graph = unit_graph()
    assert sorted(u for u, targets in graph.items() if EDGE in targets and u not in ABOVE_THE_EDGE) == []
    assert sorted(u for u, targets in graph.items() if targets & ABOVE_THE_EDGE and u not in ABOVE_THE_EDGE) == []


def test_no_cycle_between_units() -> None:
    graph = unit_graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend([*path, node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*path, node]):
                return True
        state[node] = 2
        return False

    for node in sorted(graph):
        if state.get(node) is None and visit(node, []):
            break
    assert cycle == [], " -> ".join(cycle)


# -- one graph model at request time ------------------------------------------------------------------

CHECKERS = ("rdflib", "pyshacl")
REQUEST_ROOTS = ("web", "mcp_server")  # what answers requests: the web edge and the MCP server
# Modules the requests reach (the runtime imports them) that use rdflib or pyshacl only to check the
# files, at start or on `validate`; what they parse is dropped once checked.
CHECK_TIME = {
    "dataset.loading": "parses the files with rdflib so that a syntax error names its line",
    "dataset.validation": "runs pyshacl over that graph",
    "dataset.fast_loading": "fills that graph from Oxigraph's parse, in the validating child process",
    "dataset.shacl_jobs": "shares the shapes' focus nodes out between the child's forked jobs",
    "sparql.hardening": "switches rdflib's SPARQL loader off before the check",
    "named.catalog": "parses each named query with rdflib at start, to refuse a bad .rq",
}


def reachable(found: dict[str, list[str]], roots: tuple[str, ...]) -> set[str]:
    """The modules of the package imported, directly or not, by the modules under `roots`."""
    todo = [m for m in found if unit(m) in roots]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for target in found[module]:
            name = target.removeprefix("graph_service.")
            if target.startswith("graph_service.") and name in found:
                todo.append(name)
    return seen


def test_no_module_the_requests_reach_imports_rdflib_or_pyshacl_but_the_checks() -> None:
    found = modules()
    served = reachable(found, REQUEST_ROOTS)
    assert "domain.readmodel" in served and "publishing.pages" in served  # the walk does reach them
    users = {m for m in served if any(i.split(".")[0] in CHECKERS for i in found[m])}
    assert sorted(users - set(CHECK_TIME)) == []  # the pages, the catalogue, the dumps: Oxigraph's terms
    assert sorted(set(CHECK_TIME) - users) == []  # a check that no longer uses rdflib leaves the list


def test_pyshacl_is_imported_by_the_validation_alone() -> None:
    users = sorted(m for m, imported in modules().items() if any(i.split(".")[0] == "pyshacl" for i in imported))
    assert users == ["dataset.validation"]
