"""The coarse timers behind the per-query waits: due callbacks run, cancelled ones never, no idle timer."""

from __future__ import annotations

import asyncio

from graph_service.sparql.ticker import TICK_S, Ticker, ticker


def test_due_callbacks_run_once_in_time_order_of_ticks_and_cancelled_ones_never() -> None:
    async def scenario() -> tuple[list[str], float, bool]:
        loop = asyncio.get_running_loop()
        clock = Ticker(loop)
        ran: list[str] = []
        start = loop.time()
        clock.call_at(start + 0.03, ran.append, "late")
        clock.call_at(start, ran.append, "now")
        cancelled = clock.call_at(start + 0.01, ran.append, "cancelled")
        cancelled.cancel()
        victim = clock.call_at(start + 0.02, ran.append, "cancelled by an earlier callback")
        clock.call_at(start + 0.015, victim.cancel)  # due first: runs first, even in the same tick
        await asyncio.sleep(0.005)
        assert ran == []  # nothing runs before the first tick
        while clock.pending:
            await asyncio.sleep(TICK_S / 2)
        elapsed = loop.time() - start
        await asyncio.sleep(TICK_S * 2)
        return ran, elapsed, clock._timer is None

    ran, elapsed, idle = asyncio.run(scenario())
    assert ran == ["now", "late"]
    assert 0.03 <= elapsed < 0.03 + 5 * TICK_S + 0.5  # late by at most a tick (plus a loaded machine)
    assert idle  # no timer left once nothing is pending


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
