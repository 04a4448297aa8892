"""The coarse timers behind the per-query waits: due callbacks run, cancelled ones never, no idle timer."""

from __future__ import annotations

import asyncio

from graph_service.sparql.ticker import TICK_S, Ticker, ticker


class _Clock:
    """A loop as far as the ticker uses one: a time set by the test, and the timer it arms."""

    def __init__(self) -> None:
        self.now = 100.0
        self.armed: list[tuple[float, object]] = []

    def time(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: object) -> object:
        self.armed.append((delay, callback))
        return object()


def test_due_callbacks_run_once_in_time_order_of_ticks_and_cancelled_ones_never() -> None:
    loop = _Clock()
    clock = Ticker(loop)  # type: ignore[arg-type]
    ran: list[str] = []
    clock.call_at(100.03, ran.append, "late")
    clock.call_at(100.0, ran.append, "now")
    cancelled = clock.call_at(100.01, ran.append, "cancelled")
    cancelled.cancel()
    victim = clock.call_at(100.02, ran.append, "cancelled by an earlier callback")
    clock.call_at(100.015, victim.cancel)  # due first: runs first, even in the same tick
    assert ran == [] and loop.armed == [(TICK_S, clock._tick)]  # one timer for them all, nothing run yet

    loop.now = 100.025  # one tick sees four due: in the order of their times
    clock._tick()
    assert ran == ["now"] and len(loop.armed) == 2  # "late" still pending: the timer is armed again
    loop.now = 100.029
    clock._tick()
    assert ran == ["now"]  # not due yet: never early
    loop.now = 100.03
    clock._tick()
    assert ran == ["now", "late"]
    assert not clock.pending and clock._timer is None and len(loop.armed) == 3  # idle: no timer armed


def test_each_loop_has_its_own_ticker() -> None:
    async def mine() -> Ticker:
        return ticker()

    one, two = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        first, second = one.run_until_complete(mine()), two.run_until_complete(mine())
        assert first is not second and first.loop is one and second.loop is two
        assert one.run_until_complete(mine()) is first  # a loop's ticker is kept for it
    finally:
        one.close()
        two.close()


def test_a_callback_that_raises_does_not_stop_the_ticker() -> None:
    """Deadlines of every query hang on the loop's ticker: one failing callback (reported to the loop's
    exception handler) must not leave the others, and those set later, never run."""

    def fail() -> None:
        raise RuntimeError("a failing callback")

    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        reported: list[object] = []
        loop.set_exception_handler(lambda _loop, context: reported.append(context))
        clock = Ticker(loop)
        ran: list[str] = []
        start = loop.time()
        clock.call_at(start, fail)
        clock.call_at(start + 0.001, ran.append, "same tick")
        for _ in range(50):
            if ran:
                break
            await asyncio.sleep(TICK_S)
        clock.call_at(loop.time(), ran.append, "set later")
        for _ in range(50):
            if len(ran) == 2:
                break
            await asyncio.sleep(TICK_S)
        assert reported
        return ran

    assert asyncio.run(scenario()) == ["same tick", "set later"]


def test_a_closed_loop_and_its_ticker_are_let_go() -> None:
    import gc
    import weakref

    from graph_service.sparql import ticker as module

    async def mine() -> Ticker:
        return ticker()

    loop = asyncio.new_event_loop()
    made = loop.run_until_complete(mine())
    loop.close()
    gone_loop, gone_ticker = weakref.ref(loop), weakref.ref(made)
    del loop, made
    module._last[0] = None  # the one kept for speed (a later loop's call replaces it)
    gc.collect()
    assert gone_ticker() is None and gone_loop() is None
