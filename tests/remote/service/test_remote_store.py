"""Remote mode keeps no copy of the data in the service process: it reads the prepared on-disk store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph_service import runtime as runtime_module
from graph_service.dataset import store as store_module
from graph_service.prepared import STORE

pytestmark = [pytest.mark.remote, pytest.mark.slow]


def test_the_service_process_builds_no_in_memory_store(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("remote mode parsed the files into an in-memory store")

    monkeypatch.setattr(runtime_module, "build_store", refused)
    monkeypatch.setattr(store_module, "build_store", refused)
    client = make_client(cache_dir=tmp_path / "cache", server_store="memory")  # memory is for local mode only
    state = client.app.state.runtime  # type: ignore[attr-defined]
    assert state.prepared is not None and state.store is state.prepared.store
    assert (state.prepared.folder / STORE).is_dir() and state.prepared.folder.is_relative_to(tmp_path / "cache")
    assert isinstance(state.store, ox.Store) and len(state.store) >= client.get("/health").json()["triples"] > 0
    assert client.get("/dumps/graph.nt").content == state.publication.dumps.files["graph.nt"].data
