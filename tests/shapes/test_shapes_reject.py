"""Each shape rejects a broken file with a message naming the resource and the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from graph_service.config import Settings
from graph_service.dataset.loading import load_project
from graph_service.dataset.validation import load_shapes, validate_graph

FIXTURES = Path(__file__).parent.parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
BASE = [Settings().data_dir / "vocabularies.ttl", FIXTURES / "valid" / "base.ttl"]


def expectations(path: Path) -> dict[str, str]:
    """The `# expect-…:` lines at the top of a broken fixture."""
    found = dict(re.findall(r"^# expect-([a-z]+): (.+)$", path.read_text(), flags=re.M))
    return {k: v.strip() for k, v in found.items()}


def test_base_fixture_conforms(settings: Settings) -> None:
    report = validate_graph(load_project(settings, BASE), load_shapes(settings.shapes_file))
    assert report.conforms, report.render()


SAMPLE = 8  # `make test-fast` validates one broken fixture in SAMPLE (each takes a SHACL run); `make test` all


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.stem, marks=() if i % SAMPLE == 0 else pytest.mark.slow) for i, p in enumerate(INVALID)],
)
def test_broken_file_is_reported(settings: Settings, path: Path) -> None:
    expect = expectations(path)
    report = validate_graph(load_project(settings, [*BASE, path]), load_shapes(settings.shapes_file))
    assert not report.conforms
    matching = [
        v
        for v in report.violations
        if (v.focus == expect["focus"] and expect["message"] in v.message and v.shape == expect["shape"])
        or (v.focus == expect["focus"] and expect["message"] in v.message)
    ]
    assert matching, report.render()
    violation = matching[0]
    if expect["path"] != "-":
        assert violation.path == expect["path"]
    assert violation.file == path
    assert expect["focus"] in report.render()


def test_every_shape_has_a_broken_fixture(settings: Settings) -> None:
    shapes: Graph = load_shapes(settings.shapes_file)
    declared = {shapes.namespace_manager.normalizeUri(str(s)) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {expectations(p)["shape"] for p in INVALID}
    assert declared - covered == set()


def test_every_constraint_has_a_message(settings: Settings) -> None:
    shapes = load_shapes(settings.shapes_file)
    node_level = (SH.pattern, SH["or"], SH.nodeKind)
    constrained = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    constrained |= {s for p in node_level for s in shapes.subjects(p, None) if (s, RDF.type, SH.NodeShape) in shapes}
    missing = [s for s in constrained if shapes.value(s, SH.message) is None]
    assert constrained
    assert missing == []
