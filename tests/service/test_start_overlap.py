"""The start runs the SHACL check and the preparation of the data side by side (on two cores a validating
start takes the longer of the two, not their sum), and still serves nothing the check has not passed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph_service import runtime
from graph_service.config import Settings
from graph_service.dataset.validation import ValidationReport
from graph_service.prepared import Prepared
from graph_service.runtime import StartupRefusedError
from graph_service.web.app import create_app
from tests.helpers import FIXTURES, base_settings

WAIT_S = 60.0  # far longer than the check takes to begin: only a start that never runs both fails


def test_the_check_runs_while_the_data_is_prepared(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    checking, prepared_started = threading.Event(), threading.Event()
    check_files, prepare_data = runtime.check_files, runtime.prepare_data

    def check(settings: Settings, *args: object, **kwargs: bool) -> tuple[list[Path], ValidationReport]:
        checking.set()
        assert prepared_started.wait(WAIT_S), "the preparation never began while the check ran"
        return check_files(settings, *args, **kwargs)  # type: ignore[arg-type]

    def prepare(settings: Settings) -> Prepared:
        prepared_started.set()
        assert checking.wait(WAIT_S), "the check never began while the data was prepared"
        return prepare_data(settings)

    monkeypatch.setattr(runtime, "check_files", check)
    monkeypatch.setattr(runtime, "prepare_data", prepare)
    settings = base_settings(cache_dir=tmp_path / "cache")
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
    assert checking.is_set() and prepared_started.is_set()


def test_data_prepared_but_invalid_is_still_refused(tmp_path: Path) -> None:
    settings = base_settings(ontology_dir=FIXTURES / "ontology", data_dir=FIXTURES / "invalid", cache_dir=tmp_path)
    with pytest.raises(StartupRefusedError) as refused, TestClient(create_app(settings)):
        pass
    assert "A label needs a name" in refused.value.report
    assert any(p.name.startswith("prepared-") for p in tmp_path.iterdir())  # prepared meanwhile, never served
