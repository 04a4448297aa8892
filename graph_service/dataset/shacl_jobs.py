"""Validate the files in a child process, the shapes' focus nodes shared out between forked jobs.

`validate_files` runs `python -m graph_service.dataset.shacl_jobs` and reads its report back (JSON), so
the rdflib graph never lives in the calling process (the server's memory does not keep it, and the
server can load its store meanwhile). In the child, Oxigraph parses the files (`fast_loading`), then the
child forks one job per core: job k validates the k-th share of every shape's focus nodes. pyshacl
checks each focus node on its own, so the union of the jobs' results is the report of one run: each
job's shapes graph is the project's with the shape's targets replaced by `sh:targetNode` for its share
(nested shapes, `sh:node`, keep their meaning: only targets change). Shapes with implicit class targets
or SPARQL targets cannot be shared out that way: then one job runs them all.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph_service.dataset import fast_loading
from graph_service.dataset.loading import DataLimitError, DataSyntaxError, LoadedGraph
from graph_service.dataset.validation import (
    ValidationReport,
    Violation,
    focus_nodes,
    ill_typed_literals,
    load_shapes,
    shacl_run,
)

MAX_JOBS = 4  # past four cores the focus nodes' shares are too small for the forks to pay
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def default_jobs() -> int:
    """One job per core this process may run on, at most MAX_JOBS."""
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere, the machine's cores
    cores = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    return max(1, min(MAX_JOBS, cores))


def share_out(shapes: Graph, data: Graph, jobs: int) -> list[tuple[Graph, dict[Node, Node]]] | None:
    """One shapes graph per job, and the copies of shapes it holds (copy -> shape), or None when the
    targets cannot be shared out (implicit class targets, SPARQL targets).

    In job k's graph no shape has targets; each shape with focus nodes gets a copy (its constraints,
    the same property shapes) targeting the k-th share of its focus nodes (in a stable order) by
    `sh:targetNode`. A copy, not the shape itself: pyshacl reads all of a shape's triples each time it
    checks a node against it (`sh:node`), and the shape keeps none of those thousands of targets."""
    if (None, SH.target, None) in shapes:
        return None
    focus = focus_nodes(shapes, data)
    if focus is None:
        return None
    untargeted = Graph()
    for prefix, namespace in shapes.namespaces():
        untargeted.bind(prefix, namespace, override=True)
    for triple in shapes:
        if triple[1] not in TARGETS:
            untargeted.add(triple)
    out = []
    for k in range(jobs):
        graph = Graph()
        for prefix, namespace in untargeted.namespaces():
            graph.bind(prefix, namespace, override=True)
        graph += untargeted
        copies: dict[Node, Node] = {}
        for shape_node, nodes in focus.items():
            share = nodes[k::jobs]
            if not share:
                continue
            copy: Node = URIRef(f"{shape_node}#job-{k}") if isinstance(shape_node, URIRef) else BNode()
            copies[copy] = shape_node
            for p, o in untargeted.predicate_objects(shape_node):
                graph.add((copy, p, o))
            for node in share:
                graph.add((copy, SH.targetNode, node))
        out.append((graph, copies))
    return out


def validate_loaded(loaded: LoadedGraph, shapes: Graph, jobs: int) -> ValidationReport:
    """validation.validate_graph's report, the SHACL part run in `jobs` forked processes (this process
    must have one thread: the child of `validate_files` has)."""
    shared = share_out(shapes, loaded.graph, jobs) if jobs > 1 else None
    graphs = shared or [(shapes, {})]
    readers: list[tuple[int, int]] = []
    for graph, copies in graphs[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the job: its share, pickled into the pipe, then out without cleanup
            os.close(read)
            status = 0
            try:
                outcome: Any = shacl_run(loaded, graph, copies)
            except BaseException as exc:
                outcome, status = RuntimeError(f"a SHACL job failed: {exc!r}"), 1
            with os.fdopen(write, "wb") as out:
                pickle.dump(outcome, out)
            os._exit(status)
        os.close(write)
        readers.append((pid, read))
    conforms, violations = shacl_run(loaded, *graphs[0])
    failure: BaseException | None = None
    for pid, read in readers:
        with os.fdopen(read, "rb") as handle:
            try:
                outcome = pickle.load(handle)
            except EOFError:
                outcome = RuntimeError("a SHACL job ended without a report")
        os.waitpid(pid, 0)
        if isinstance(outcome, BaseException):
            failure = failure or outcome
            continue
        conforms = conforms and outcome[0]
        violations.extend(outcome[1])
    if failure is not None:
        raise failure
    ill_typed = ill_typed_literals(loaded)
    return ValidationReport(conforms=conforms and not ill_typed, violations=(*violations, *ill_typed))


def validate_here(files: Sequence[Path], shapes_file: Path, jobs: int) -> ValidationReport:
    """Parse the files (Oxigraph, then an rdflib graph) and validate them in `jobs` forked processes."""
    loaded = fast_loading.load_files(files)
    return validate_loaded(loaded, load_shapes(shapes_file), jobs)


def validate_files(files: Sequence[Path], shapes_file: Path, jobs: int | None = None) -> ValidationReport:
    """The files' report, computed by a child process (see the module's docstring). Raises what reading
    the files raises in this process: DataSyntaxError, DataLimitError (file, line, reason) or
    FileNotFoundError."""
    request = {"files": [str(f) for f in files], "shapes": str(shapes_file), "jobs": jobs or default_jobs()}
    done = subprocess.run(
        [sys.executable, "-m", "graph_service.dataset.shacl_jobs"],
        input=json.dumps(request).encode(),
        stdout=subprocess.PIPE,
        check=False,
    )
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise RuntimeError(f"the SHACL child process ended with status {done.returncode} and no report") from None
    if "error" in answer:
        error = answer["error"]
        path = Path(error["path"]) if error["path"] else None
        if error["kind"] == "missing" or path is None:
            raise FileNotFoundError(error["message"])
        kind = DataLimitError if error["kind"] == "limit" else DataSyntaxError
        raise kind(path, error["line"], error["message"])
    report = answer["report"]
    violations = tuple(
        Violation(**{**item, "file": Path(item["file"]) if item["file"] else None}) for item in report["violations"]
    )
    return ValidationReport(conforms=report["conforms"], violations=violations)


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    """What the child prints: the report, or the error reading the files."""
    try:
        report = validate_here([Path(f) for f in request["files"]], Path(request["shapes"]), int(request["jobs"]))
    except DataSyntaxError as exc:
        kind = "limit" if isinstance(exc, DataLimitError) else "syntax"
        return {"error": {"kind": kind, "path": str(exc.path), "line": exc.line, "message": exc.message}}
    except FileNotFoundError as exc:
        return {"error": {"kind": "missing", "path": None, "line": None, "message": str(exc)}}
    violations = [{**asdict(v), "file": str(v.file) if v.file else None} for v in report.violations]
    return {"report": {"conforms": report.conforms, "violations": violations}}


def main() -> None:
    """The child: a JSON request on stdin, a JSON answer on stdout (anything printed meanwhile goes to
    stderr, so the answer stays whole)."""
    out, sys.stdout = sys.stdout, sys.stderr
    answer = json.dumps(_answer(json.load(sys.stdin)))
    out.write(answer)
    out.flush()


if __name__ == "__main__":
    main()
