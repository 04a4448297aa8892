"""The SHACL verdict kept per data version: unchanged files skip validation, changed ones do not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib.plugins.sparql import processor

from graph_service import runtime
from graph_service.config import Settings
from graph_service.dataset import validation, verdicts
from graph_service.dataset.loading import load_project
from graph_service.dataset.validation import ValidationReport, Violation

FIXTURES = Path(__file__).parent.parent / "fixtures"
REPORT = ValidationReport(
    conforms=False,
    violations=(Violation(Path("a.ttl"), "ex:a", "skos:prefLabel", '"x"@fr', "needs a name", "Violation", None),),
)


class Counting:
    """A validator that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> ValidationReport:
        self.calls += 1
        return REPORT


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text("<urn:a> <urn:p> 1 .\n")
    (data / "b.ttl").write_text("<urn:b> <urn:p> 2 .\n")
    return sorted(data.iterdir())


def test_unchanged_files_are_not_revalidated(tmp_path: Path, files: list[Path]) -> None:
    shapes, validate = files[0], Counting()
    first = verdicts.verdict(tmp_path / "cache", files, shapes, validate)
    second = verdicts.verdict(tmp_path / "cache", files, shapes, validate)
    assert validate.calls == 1
    assert first == second == REPORT


def test_a_changed_file_is_revalidated(tmp_path: Path, files: list[Path]) -> None:
    validate = Counting()
    verdicts.verdict(tmp_path / "cache", files, files[0], validate)
    files[1].write_text("<urn:b> <urn:p> 3 .\n")
    verdicts.verdict(tmp_path / "cache", files, files[0], validate)
    assert validate.calls == 2
    verdicts.verdict(tmp_path / "cache", files, files[0], validate)
    assert validate.calls == 2


def test_validate_always_validates(tmp_path: Path, files: list[Path]) -> None:
    validate = Counting()
    verdicts.verdict(tmp_path / "cache", files, files[0], validate)
    verdicts.verdict(tmp_path / "cache", files, files[0], validate, reuse=False)
    assert validate.calls == 2


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": 1, "key": "trunc',
        b"\xff\xfe not text",
        b"[1, 2]",
        b"null",
        json.dumps({"format": 1, "key": "other", "conforms": True, "violations": []}).encode(),
        json.dumps({"format": 99, "key": "KEY", "conforms": True, "violations": []}).encode(),
        json.dumps({"format": 1, "key": "KEY", "conforms": "yes", "violations": []}).encode(),
        json.dumps({"format": 1, "key": "KEY", "conforms": True, "violations": [{"file": 3}]}).encode(),
    ],
)
def test_a_corrupted_or_foreign_entry_is_ignored(tmp_path: Path, files: list[Path], content: bytes) -> None:
    cache, validate = tmp_path / "cache", Counting()
    key = verdicts.data_key(files, files[0])
    cache.mkdir()
    (cache / f"verdict-{key}.json").write_bytes(content.replace(b"KEY", key.encode()))
    assert verdicts.verdict(cache, files, files[0], validate) == REPORT
    assert validate.calls == 1
    assert verdicts.recall(cache, key) == REPORT  # replaced by the fresh verdict


def test_an_unwritable_cache_costs_a_validation_only(tmp_path: Path, files: list[Path]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    validate = Counting()
    assert verdicts.verdict(blocker, files, files[0], validate) == REPORT
    assert verdicts.verdict(blocker, files, files[0], validate) == REPORT
    assert validate.calls == 2


def test_the_server_reuses_the_verdict_and_the_cli_does_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    shutil.copy(Settings().data_dir / "vocabularies.ttl", data)
    settings = Settings(cache_dir=tmp_path / "cache", data_dir=data)
    real, calls = runtime.validate_files, []  # type: ignore[attr-defined]

    def counting(*args: object) -> ValidationReport:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runtime, "validate_files", counting)
    first = runtime.open_dataset(settings, reuse_verdict=True)
    assert first.report.conforms and len(calls) == 1
    assert runtime.open_dataset(settings, reuse_verdict=True).report == first.report
    assert len(calls) == 1
    runtime.open_dataset(settings)  # graph-service validate
    assert len(calls) == 2
    with (data / "base.ttl").open("a") as handle:
        handle.write("\n# an edit\n")
    runtime.open_dataset(settings, reuse_verdict=True)
    assert len(calls) == 3


def test_a_shape_query_is_parsed_once_not_per_focus_node(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = processor.parseQuery  # type: ignore[attr-defined]

    def counting(text: str) -> object:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(processor, "parseQuery", counting)
    validation._prepared.cache_clear()
    loaded = load_project(settings)  # 50 CPV codes, each a focus node of the same sh:sparql constraint
    size = len(loaded.graph)
    report = validation.validate_graph(loaded, validation.load_shapes(settings.shapes_file))
    assert report.conforms, report.render()
    assert parsed and len(parsed) == len(set(parsed))
    assert len(loaded.graph) == size


@pytest.mark.parametrize("module", ["validation", "fast_loading", "shacl_jobs"])
def test_a_change_to_the_code_that_parses_shares_out_or_reads_changes_the_key(
    files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    from graph_service.dataset import fast_loading, shacl_jobs

    shapes = files[0]
    before = verdicts.data_key(files, shapes)
    changed = tmp_path / f"{module}.py"
    target = {"validation": validation, "fast_loading": fast_loading, "shacl_jobs": shacl_jobs}[module]
    changed.write_bytes(Path(target.__file__ or "").read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(target, "__file__", str(changed))
    assert verdicts.data_key(files, shapes) != before
