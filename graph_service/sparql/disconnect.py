"""Stop a query's work when its client goes away (ASGI `http.disconnect`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any, TypeVar

T = TypeVar("T")
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


WATCH_AFTER_S = 0.02  # how long an answer may take before its client's connection is watched


class ClientDisconnectedError(Exception):
    """The client closed the connection before its answer was ready; the work was cancelled."""


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def unless_disconnected(
    receive: Receive, work: Coroutine[Any, Any, T], *, watch_after_s: float = WATCH_AFTER_S
) -> T:
    """Await `work`, cancelling it (which frees its worker) if the client disconnects first.

    Call it once the request body has been read: the next ASGI message is then the disconnect.
    A watcher task waits for it, started once the work has run `watch_after_s`: most answers come
    sooner, and a task costs more than such an answer's whole exchange with its worker; a client
    gone before that is noticed then. On a disconnect the watcher cancels the calling task itself.
    """
    current = asyncio.current_task()
    assert current is not None
    gone = False
    watcher: asyncio.Future[None] | None = None

    async def watch() -> None:
        nonlocal gone
        await _disconnected(receive)
        gone = True
        current.cancel()

    def start_watching() -> None:
        nonlocal watcher
        watcher = asyncio.ensure_future(watch())

    timer = asyncio.get_running_loop().call_later(watch_after_s, start_watching)
    try:
        return await work
    except asyncio.CancelledError:
        if gone and current.uncancel() == 0:
            raise ClientDisconnectedError from None
        raise
    finally:
        timer.cancel()
        if watcher is not None:
            watcher.cancel()
