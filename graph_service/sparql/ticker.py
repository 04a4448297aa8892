"""Coarse timers for the waits every query sets and almost none reaches: one loop timer for them all.

Each query sets a time to watch its client's connection (20 ms), a long-query threshold (0.5 s) and
a deadline (seconds), and nearly every query ends before any of them. An event-loop timer costs a
handle, a context copy and a heap entry to make and to cancel, about as much as reading the query's
answer from its worker; here a due time is an entry in a set, and one loop timer, set while any are
pending, fires every `TICK_S` and runs those due, in the order of their times (then of their
making). They run up to `TICK_S` late.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from collections.abc import Callable
from typing import Any

TICK_S = 0.01


class Due:
    """A callback to run at `when` (loop time) unless cancelled first."""

    __slots__ = ("args", "callback", "order", "ticker", "when")

    def __init__(self, ticker: Ticker, when: float, callback: Callable[..., object], args: tuple[Any, ...]) -> None:
        self.ticker = ticker
        self.when = when
        self.order = next(_order)
        self.callback = callback
        self.args = args

    def cancel(self) -> None:
        """Do not run it (nothing happens if it ran already)."""
        self.ticker.pending.discard(self)


class Ticker:
    """The due times of one event loop, checked every `tick_s` while any are pending."""

    def __init__(self, loop: asyncio.AbstractEventLoop, tick_s: float = TICK_S) -> None:
        self._loop = weakref.ref(loop)  # not a strong one: the loop is this ticker's key in `_tickers`
        self.tick_s = tick_s
        self.pending: set[Due] = set()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop whose due times these are (alive: only it calls this ticker)."""
        loop = self._loop()
        assert loop is not None
        return loop

    def call_at(self, when: float, callback: Callable[..., object], *args: Any) -> Due:
        """Run `callback(*args)` at loop time `when`, or up to `tick_s` later."""
        due = Due(self, when, callback, args)
        self.pending.add(due)
        if self._timer is None:
            self._timer = self.loop.call_later(self.tick_s, self._tick)
        return due

    def _tick(self) -> None:
        now = self.loop.time()
        for due in sorted((d for d in self.pending if d.when <= now), key=_due_order):
            if due in self.pending:  # an earlier callback of this tick may have cancelled it
                self.pending.discard(due)
                try:
                    due.callback(*due.args)
                except Exception as exc:  # reported as the loop reports a failing callback; the others run
                    self.loop.call_exception_handler(
                        {"message": f"Exception in ticker callback {due.callback!r}", "exception": exc})
        self._timer = self.loop.call_later(self.tick_s, self._tick) if self.pending else None


def _due_order(due: Due) -> tuple[float, int]:
    return due.when, due.order


_order = itertools.count()
_tickers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Ticker] = weakref.WeakKeyDictionary()


def ticker() -> Ticker:
    """The running loop's ticker."""
    loop = asyncio.get_running_loop()
    last = _last[0]
    if last is not None and last._loop() is loop:
        return last
    found = _tickers.get(loop)
    if found is None:
        found = _tickers[loop] = Ticker(loop)
    _last[0] = found
    return found


_last: list[Ticker | None] = [None]  # the ticker asked for last: nearly always the one asked for next
