"""Rust SHACL engines against pyshacl (the reference) on the project's shapes. Not a test.

    pip install pyrudof pyshacl-turbo maplib     # not dependencies of the project
    python -m bench.shacl_engines [--size 1]

Each engine validates the project's data (`--size` times, bench/scaling_data.py) and every broken
fixture of tests/fixtures/invalid/ (with the valid base, as tests/shapes/test_shapes_reject.py
does). For each, the verdict (conforms or not), the results as (focus node, path, message) with full
IRIs, and the wall time are compared with pyshacl's, run the way graph_service/dataset/validation.py runs it.
An engine could replace pyshacl only if every verdict and every message agreed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from bench.scaling_data import generate
from graph_service.config import Settings
from graph_service.dataset import validation
from graph_service.dataset.loading import load_project, project_files

Result = tuple[bool, frozenset[tuple[str, str, str]]]
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _results(conforms: bool, report: Graph) -> Result:
    found = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        found.add(
            (
                str(report.value(node, SH.focusNode)),
                "" if path is None or isinstance(path, BNode) else str(path),  # a complex path: by its label
                str(report.value(node, SH.resultMessage) or ""),
            )
        )
    return conforms, frozenset(found)


def with_pyshacl(settings: Settings, files: list[Path] | None) -> Result:
    from pyshacl import validate

    loaded = load_project(settings, files)
    conforms, report, _ = validate(
        loaded.graph,
        shacl_graph=validation.load_shapes(settings.shapes_file),
        inference="none",
        advanced=False,
        allow_warnings=True,
    )
    return _results(bool(conforms), report)


def with_turbo(settings: Settings, files: list[Path] | None) -> Result:
    import pyshacl_turbo

    loaded = load_project(settings, files)
    conforms, report, _ = pyshacl_turbo.validate(
        loaded.graph, shacl_graph=validation.load_shapes(settings.shapes_file), inference="none", allow_warnings=True
    )
    return _results(bool(conforms), report)


def with_rudof(settings: Settings, files: list[Path] | None) -> Result:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    for path in project_files(settings, files):
        rudof.read_data(
            str(path),
            format=pyrudof.RDFFormat.NTriples if path.suffix == ".nt" else pyrudof.RDFFormat.Turtle,
            merge=True,
        )
    rudof.read_shacl(str(settings.shapes_file))
    report = rudof.validate_shacl()
    text = rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.Turtle)
    return _results(bool(report.conforms()), Graph().parse(data=text, format="turtle"))


def with_maplib(settings: Settings, files: list[Path] | None) -> Result:
    import maplib

    model = maplib.Model()
    for path in project_files(settings, files):
        model.read(str(path), format="ntriples" if path.suffix == ".nt" else "turtle")
    model.read(str(settings.shapes_file), format="turtle", graph="urn:shapes")
    report = model.validate(shape_graph="urn:shapes")
    graph = report.report_graph().writes(format="turtle") if callable(report.report_graph) else ""
    return _results(bool(report.conforms), Graph().parse(data=graph, format="turtle"))


ENGINES: dict[str, Callable[[Settings, list[Path] | None], Result]] = {
    "pyshacl": with_pyshacl,
    "pyshacl-turbo": with_turbo,
    "pyrudof": with_rudof,
    "maplib": with_maplib,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated; pyshacl always runs first")
    args = parser.parse_args()
    chosen = ["pyshacl", *(e for e in args.engines.split(",") if e != "pyshacl")]
    with tempfile.TemporaryDirectory(prefix="kg-shacl-engines-") as tmp:
        data = Path(tmp) / "data"
        generate(args.size, data)
        settings = Settings(data_dir=data)
        base = [settings.data_dir / "vocabularies.ttl", FIXTURES / "valid" / "base.ttl"]
        cases: list[tuple[str, list[Path] | None]] = [(f"data ({args.size}x)", None)] + [
            (p.stem, [*base, p]) for p in sorted((FIXTURES / "invalid").glob("*.ttl"))
        ]
        reference: dict[str, Result] = {}
        print("| engine | data s | fixtures s | verdicts agree | messages agree | failed to run | first difference |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for name in chosen:
            engine = ENGINES[name]
            times = {"data": 0.0, "fixtures": 0.0}
            verdicts = messages = errors = 0
            first = ""
            for case, files in cases:
                start = time.perf_counter()
                try:
                    result = engine(settings, files)
                except BaseException as exc:  # an engine that cannot run them (pyo3 panics are BaseException)
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    errors += 1
                    first = first or f"{case}: {type(exc).__name__}: {str(exc)[:120]}"
                    continue
                finally:
                    times["fixtures" if files else "data"] += time.perf_counter() - start
                if name == "pyshacl":
                    reference[case] = result
                expected = reference[case]
                verdicts += result[0] == expected[0]
                messages += result[1] == expected[1]
                if not first and result != expected:
                    extra, missing = sorted(result[1] - expected[1]), sorted(expected[1] - result[1])
                    first = f"{case}: extra {extra[:1]} missing {missing[:1]}"
            print(
                f"| {name} | {times['data']:.1f} | {times['fixtures']:.1f} | {verdicts}/{len(cases)} "
                f"| {messages}/{len(cases)} | {errors} | {first.replace('|', '/')[:300]} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
