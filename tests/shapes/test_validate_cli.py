"""`graph-service validate`: exit codes, a report by resource, syntax errors with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_service.cli import main
from graph_service.dataset.loading import (
    MAX_FILE_BYTES,
    MAX_LITERAL_CHARS,
    MAX_PREFIXES,
    DataLimitError,
    check_file_limits,
)

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
    for argv in (
        ["query", "labels-for-category", "--param", "category=laptop"],
        ["path", "a", "b"],
        ["summary"],
        ["export", str(tmp_path / "out")],
    ):
        assert main(argv) == 1, argv
        assert "lbl:nokind" in capsys.readouterr().err, argv
    assert not (tmp_path / "out").exists()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_too_many_prefixes_are_refused_before_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [f"@prefix p{i}: <http://example.org/{i}#> ." for i in range(MAX_PREFIXES + 1)]
    bad = _write(tmp_path / "prefixes.ttl", "\n".join(lines) + "\n")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:{MAX_PREFIXES + 1}:" in err and f"at most {MAX_PREFIXES}" in err
    assert "Traceback" not in err


def test_a_huge_literal_is_refused_before_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = '@prefix ex: <http://example.org/> .\n\nex:a ex:b """' + "x" * (MAX_LITERAL_CHARS + 1) + '""" .\n'
    bad = _write(tmp_path / "literal.ttl", text)
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3:" in err and f"at most {MAX_LITERAL_CHARS}" in err
    assert "Traceback" not in err


def test_a_huge_file_is_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "huge.nt"
    with bad.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and f"at most {MAX_FILE_BYTES}" in err


def test_the_scan_reads_strings_comments_and_iris_as_turtle_does(tmp_path: Path) -> None:
    """`prefix` and quotes inside strings, comments and IRIs count for nothing; a literal just at the
    limit passes, in either quote and either length of delimiter."""
    declared = "\n".join(f"@prefix p{i}: <http://example.org/{i}#> ." for i in range(MAX_PREFIXES))
    near = "y" * MAX_LITERAL_CHARS
    text = (
        f"{declared}\n# @prefix in a comment \"\n<http://example.org/prefix'> p1:a 'prefix \\' \"' , "
        f'"""{near}""" , \'{near}\' , "a ""\n.\n'
    )
    check_file_limits(_write(tmp_path / "ok.ttl", text))
    with pytest.raises(DataLimitError, match=r"ok2.ttl:\d+: a literal of"):
        check_file_limits(_write(tmp_path / "ok2.ttl", text.replace(f"'{near}'", f"'{near}z'")))
