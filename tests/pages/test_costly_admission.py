"""The costly pages (sheets, their exports, the pictures) are computed on threads under an admission
bound: past it a request gets 503 pages-busy with Retry-After at once, and the event loop keeps
answering the rest (/health) while a costly page is being computed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_service.web.costly import PageAdmission
from tests.helpers import real_settings, started_apps

PATIENCE_S = 15.0  # how long the slow page may block; on code without the bound the test fails then
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def one_page_at_a_time() -> Iterator[TestClient]:
    with started_apps(lambda **o: real_settings().model_copy(update=o)) as start:
        yield start(page_workers=1, page_queue=0)


def hold_one(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Thread]:
    """Start a sheet whose building waits for the returned event; return once it is computing."""
    builder = client.app.state.runtime.sheets  # type: ignore[attr-defined]
    original: Callable[..., Any] = builder.category
    entered, release = threading.Event(), threading.Event()

    def slow(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(PATIENCE_S)
        return original(*args, **kwargs)

    monkeypatch.setattr(builder, "category", slow)
    first = threading.Thread(target=lambda: client.get("/fiche/categorie/laptop", headers=HTML))
    first.start()
    assert entered.wait(PATIENCE_S)
    return release, first


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/fiche/categorie/laptop",
        "/fiche/categorie/laptop/annexe.odt",
        "/fiche/famille/it/listes.csv",
        "/pictures/labels-by-equipment",
        "/pictures/neighbourhood/laptop",
        "/dossier?category=laptop&category=printer",
        "/dossier?category=laptop&format=docx",
    ],
)
def test_past_the_bound_a_costly_page_is_refused_and_health_answers(
    one_page_at_a_time: TestClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    client = one_page_at_a_time
    release, first = hold_one(client, monkeypatch)
    try:
        health = client.get("/health")
        refused = client.get(path, headers=HTML)
        assert first.is_alive()  # both answered while the slow page still computes
        assert health.status_code == 200
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "pages-busy"
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.headers["cache-control"] == "no-store"
    finally:
        release.set()
        first.join()
    assert client.get("/fiche/categorie/laptop/listes.csv").status_code == 200  # the turn is back


def test_a_waiting_page_gets_its_turn_and_the_wait_is_bounded() -> None:
    import asyncio

    async def run() -> None:
        admission = PageAdmission(1, 1, wait_s=0.2)
        gate = threading.Event()
        first = asyncio.ensure_future(admission.run(lambda: gate.wait(PATIENCE_S)))
        while admission.held == 0:
            await asyncio.sleep(0.01)
        second = asyncio.ensure_future(admission.run(lambda: "second"))
        await asyncio.sleep(0.01)
        with pytest.raises(Exception) as third:
            await admission.run(lambda: "third")  # the queue (1) is full
        assert getattr(third.value, "status", None) == 503
        with pytest.raises(Exception) as waited:
            await second  # waited 0.2 s for the turn the first holds
        assert getattr(waited.value, "code", None) == "pages-busy"
        gate.set()
        assert await first is True
        assert await admission.run(lambda: "next") == "next" and admission.held == 0

    asyncio.run(run())
