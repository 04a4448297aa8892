"""`graph-service validate`: exit codes, a report by resource, syntax errors with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_service.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.slow
def test_repository_data_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "All data conforms" in capsys.readouterr().out


def test_broken_file_exits_1_with_report(capsys: pytest.CaptureFixture[str]) -> None:
    broken = FIXTURES / "invalid" / "label-without-kind.ttl"
    code = main(["validate", str(FIXTURES / "valid" / "base.ttl"), str(broken)])
    out = capsys.readouterr().out
    assert code == 1
    assert str(broken) in out
    assert "lbl:nokind" in out
    assert "anr:labelKind" in out


def test_syntax_error_names_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    bad = FIXTURES / "syntax" / "missing-dot.ttl"
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:5" in err or f"{bad}:4" in err
    assert "syntax error" in err


def test_missing_path_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no/such/file.ttl"]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_every_command_opens_the_data_like_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """query, path, summary and export refuse data that does not conform, as the server does."""
    for name in ("valid/base.ttl", "invalid/label-without-kind.ttl"):
        shutil.copy(FIXTURES / name, tmp_path / Path(name).name)
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path))
    for argv in (["query", "labels-for-category", "--param", "category=laptop"], ["path", "a", "b"], ["summary"],
                 ["export", str(tmp_path / "out")]):
        assert main(argv) == 1, argv
        assert "lbl:nokind" in capsys.readouterr().err, argv
    assert not (tmp_path / "out").exists()
