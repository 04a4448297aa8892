"""The fast validation path against pyshacl as it comes: same verdicts, same results, same errors.

The reference is pyshacl's own run on rdflib's parse (`loading.load_files`, `validation.validate_graph`
with pyshacl's plain list of constraint parameters); the fast path parses with Oxigraph
(`fast_loading`) and shares every shape's focus nodes out between forked jobs (`shacl_jobs`)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import shape as shape_module
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from graph_service.config import Settings
from graph_service.dataset import fast_loading, loading, shacl_jobs, validation
from graph_service.dataset.loading import DataLimitError, DataSyntaxError, project_files
from graph_service.dataset.validation import ValidationReport, load_shapes

FIXTURES = Path(__file__).parent.parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
BASE = [Settings().data_dir / "vocabularies.ttl", FIXTURES / "valid" / "base.ttl"]
SAMPLE = 8  # `make test-fast` compares one broken fixture in SAMPLE (two SHACL runs each); `make test` all


def reference(files: list[Path], shapes: Graph) -> ValidationReport:
    """pyshacl on rdflib's parse, in this process, with pyshacl's plain parameter list."""
    saved = shape_module.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
    shape_module.CONSTRAINT_PARAMS = (None, None)  # type: ignore[attr-defined]
    try:
        return validation.validate_graph(loading.load_files(files), shapes)
    finally:
        shape_module.CONSTRAINT_PARAMS = saved  # type: ignore[attr-defined]


def fast(files: list[Path], shapes: Graph, jobs: int) -> ValidationReport:
    return shacl_jobs.validate_loaded(fast_loading.load_files(files), shapes, jobs)


def assert_same(before: ValidationReport, after: ValidationReport) -> None:
    assert after.conforms == before.conforms
    assert Counter(after.violations) == Counter(before.violations)
    assert after.render() == before.render()


def test_the_data_gets_the_same_report(settings: Settings) -> None:
    files = project_files(settings)
    shapes = load_shapes(settings.shapes_file)
    before = reference(files, shapes)
    assert before.conforms, before.render()
    for jobs in (1, 2, 3):
        assert_same(before, fast(files, shapes, jobs))


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.stem, marks=() if i % SAMPLE == 3 else pytest.mark.slow) for i, p in enumerate(INVALID)],
)
def test_a_broken_fixture_gets_the_same_report(settings: Settings, path: Path) -> None:
    files = project_files(settings, [*BASE, path])
    shapes = load_shapes(settings.shapes_file)
    before = reference(files, shapes)
    assert not before.conforms
    assert_same(before, fast(files, shapes, 2))


def test_every_focus_node_is_checked_by_one_job(settings: Settings) -> None:
    loaded = fast_loading.load_files(project_files(settings))
    shapes = load_shapes(settings.shapes_file)
    shared = shacl_jobs.share_out(shapes, loaded.graph, 3)
    assert shared is not None and len(shared) == 3
    targets: Counter[tuple[object, object]] = Counter()
    for graph, copies in shared:
        assert not any((shape, SH.targetClass, None) in graph for shape in copies.values())
        for copy, shape in copies.items():
            targets.update((shape, node) for node in graph.objects(copy, SH.targetNode))
    assert targets and set(targets.values()) == {1}
    described = next(s for s, _ in targets if str(s).endswith("/DescribedResource"))
    assert len({n for s, n in targets if s == described}) > 100


def test_implicit_class_targets_are_not_shared_out(settings: Settings) -> None:
    loaded = fast_loading.load_files(project_files(settings))
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/Thing> a sh:NodeShape , rdfs:Class ; sh:nodeKind sh:IRI .""",
        format="turtle",
    )
    assert shacl_jobs.share_out(shapes, loaded.graph, 2) is None


def test_oxigraph_fills_the_graph_rdflib_would(settings: Settings) -> None:
    files = project_files(settings)
    before, after = loading.load_files(files), fast_loading.load_files(files)
    assert isomorphic(before.graph, after.graph)
    named = {k: v for k, v in before.file_of_subject.items() if str(k).startswith("http")}
    assert {k: v for k, v in after.file_of_subject.items() if str(k).startswith("http")} == named


@pytest.mark.parametrize(
    "text",
    [
        '<https://example.org/a> <https://example.org/b> "x"@EN .',
        '<https://example.org/a> <https://example.org/b> "x"^^<http://www.w3.org/2001/XMLSchema#string> .',
    ],
)
def test_what_oxigraph_normalises_is_read_by_rdflib(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.ttl"
    path.write_text(text + "\n")
    before, after = loading.load_files([path]), fast_loading.load_files([path])
    assert set(after.graph) == set(before.graph)
    (obj,) = after.graph.objects()
    assert isinstance(obj, Literal) and (obj.language == "EN" or obj.datatype is not None)


def test_a_syntax_error_is_reported_as_rdflib_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "unclosed .\n')
    with pytest.raises(DataSyntaxError) as old:
        loading.load_files([path])
    with pytest.raises(DataSyntaxError) as new:
        fast_loading.load_files([path])
    assert str(new.value) == str(old.value) and new.value.line == old.value.line


def test_the_file_limits_still_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_LITERAL_CHARS", 50)
    monkeypatch.setattr(loading, "MAX_PREFIXES", 2)
    long_string = tmp_path / "long.ttl"
    long_string.write_text('<https://example.org/a> <https://example.org/b> """' + "x\n" * 40 + '""" .\n')
    long_line = tmp_path / "line.ttl"
    long_line.write_text('<https://example.org/a> <https://example.org/b> "' + "y" * 60 + '" .\n')
    prefixes = tmp_path / "prefixes.ttl"
    prefixes.write_text("".join(f"@prefix p{i}: <https://example.org/{i}/> .\n" for i in range(3)))
    for path in (long_string, long_line, prefixes):
        with pytest.raises(DataLimitError) as old:
            loading.load_files([path])
        with pytest.raises(DataLimitError) as new:
            fast_loading.load_files([path])
        assert str(new.value) == str(old.value)
    short = tmp_path / "short.ttl"
    short.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "' + "z" * 40 + '" .\n')
    assert len(fast_loading.load_files([short]).graph) == 1


def test_the_child_process_gives_the_report_and_the_errors(settings: Settings, tmp_path: Path) -> None:
    files = project_files(settings, [*BASE, INVALID[0]])
    shapes = load_shapes(settings.shapes_file)
    assert_same(
        validation.validate_graph(loading.load_files(files), shapes),
        shacl_jobs.validate_files(files, settings.shapes_file, 2),
    )
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ;\n")
    with pytest.raises(DataSyntaxError) as old:
        loading.load_files([broken])
    with pytest.raises(DataSyntaxError) as new:
        shacl_jobs.validate_files([broken], settings.shapes_file)
    assert str(new.value) == str(old.value)
    with pytest.raises(FileNotFoundError) as missing:
        shacl_jobs.validate_files(files, tmp_path / "no-shapes.ttl")
    assert "no-shapes.ttl" in str(missing.value)


def test_one_job_per_core_at_most_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(16)), raising=False)
    assert shacl_jobs.default_jobs() == shacl_jobs.MAX_JOBS == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert shacl_jobs.default_jobs() == 1
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert shacl_jobs.default_jobs() == 3
