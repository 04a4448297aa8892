"""Admission for the costly pages (procurement sheets and their ODT / CSV exports, the pictures).

Each of them computes for tens of milliseconds to seconds. Run on the event loop, a few at once
held every other request (`/health` included) behind them; run on threads without a bound, they
would take all the CPU and memory. So at most `KG_PAGE_WORKERS` are computed at once, each on a
thread, and at most `KG_PAGE_QUEUE` more wait for a turn (for at most `wait_s`); past that, or past
the wait, the request gets 503 `pages-busy` with Retry-After, at once and without any work. The
counters live on the event loop (no lock): only coroutines change them.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from typing import TypeVar

from starlette.requests import Request

from graph_service.problems import ProblemError

T = TypeVar("T")
PAGES_KEY = "pages"


class PageAdmission:
    """At most `running` costly pages computed at once (on threads), `waiting` more queued."""

    def __init__(self, running: int, waiting: int, *, wait_s: float = 10.0) -> None:
        self.running = running
        self.limit = running + waiting
        self.wait_s = wait_s
        self.held = 0  # admitted: computing or waiting for a turn
        self.refused = 0
        self._turns: asyncio.Semaphore | None = None

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` on a thread once a turn is free; 503 `pages-busy` when the queue is full or the
        wait too long."""
        if self.held >= self.limit:
            self.refused += 1
            raise busy_problem(self.limit, self.wait_s)
        if self._turns is None:  # made on the serving loop, at the first costly request
            self._turns = asyncio.Semaphore(self.running)
        turns = self._turns
        self.held += 1
        try:
            async with asyncio.timeout(self.wait_s):
                await turns.acquire()
        except BaseException as exc:
            self.held -= 1
            if isinstance(exc, TimeoutError):
                self.refused += 1
                raise busy_problem(self.limit, self.wait_s) from exc
            raise

        def done(finished: asyncio.Future[T]) -> None:  # the turn is given back when the thread ends
            turns.release()
            self.held -= 1
            if not finished.cancelled():
                finished.exception()  # retrieved: a client gone away leaves nobody to read it

        task = asyncio.ensure_future(asyncio.to_thread(work))
        task.add_done_callback(done)
        return await asyncio.shield(task)  # a client gone away does not free the turn of a running thread


def busy_problem(limit: int, wait_s: float) -> ProblemError:
    """503 with Retry-After: too many costly pages asked at once."""
    return ProblemError(
        503,
        "pages-busy",
        "Too many pages being prepared",
        f"This service prepares at most {limit} procurement sheets, exports and pictures at a time, "
        "running or waiting, and they are all taken. Retry after the delay given in Retry-After.",
        headers={"Retry-After": str(max(1, math.ceil(wait_s / 5)))},
    )


async def costly(request: Request, work: Callable[[], T]) -> T:
    """Run a costly page's work under the application's page admission (on a thread)."""
    admission: PageAdmission = getattr(request.app.state, PAGES_KEY)
    return await admission.run(work)
