"""The worker pool on its own: answers, deadline kill and replacement, bounds, fairness, recovery."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from graph_service.sparql.engine import engine_problem
from graph_service.sparql.pool import (
    STREAM_ABOVE,
    Reply,
    WorkerLostError,
    WorkerPool,
    WorkerTimeoutError,
    network_sandbox,
)
from tests.helpers import PATIENCE_S
from tests.service.start_gate import StartGate
from tests.service.test_refusals import CountingListener

QUADS = (
    ox.serialize(
        [
            ox.Quad(
                ox.NamedNode(f"http://e/s{i}"),
                ox.NamedNode("http://e/p"),
                ox.Literal(str(i)),
                ox.NamedNode("http://e/g"),
            )
            for i in range(60)
        ],
        format=ox.RdfFormat.N_QUADS,
    )
    or b""
)
ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?y }"
CHEAP = "ASK { ?s ?p ?o }"


def request(query: str, **extra: Any) -> dict[str, object]:
    return {
        "query": query,
        "results_format": "JSON",
        "graph_format": "TURTLE",
        "max_rows": 100_000,
        "union": True,
        **extra,
    }


def with_pool(scenario: Callable[[WorkerPool], Awaitable[Any]], size: int = 2, **options: Any) -> Any:
    async def main() -> Any:
        pool = WorkerPool(size, QUADS, {}, **options)
        await pool.start()
        try:
            return await scenario(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


async def until(condition: Callable[[], bool], what: str, timeout_s: float = PATIENCE_S) -> None:
    """Poll `condition` (letting the pool's tasks run) until it holds, within a generous deadline."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


async def read_all(reply: Reply) -> bytes:
    if reply.stream is None:
        return reply.body
    return b"".join([chunk async for chunk in reply.stream])


def test_deadline_kills_only_the_late_worker() -> None:
    async def scenario(pool: WorkerPool) -> tuple[int, int]:
        late = asyncio.create_task(pool.run(request(ENDLESS), deadline_s=0.5))
        reply = await pool.run(request(CHEAP), deadline_s=5)
        assert reply.header["ok"] and b"true" in reply.body
        with pytest.raises(WorkerTimeoutError):
            await late
        await until(lambda: pool.replaced == 1 and pool.alive == 2, "replacement")
        count = await pool.run(request("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), deadline_s=5)
        assert count.header["ok"]
        return pool.replaced, pool.stats.timeouts

    assert with_pool(scenario) == (1, 1)


def test_errors_raised_in_the_worker_are_answered_and_it_keeps_serving() -> None:
    async def scenario(pool: WorkerPool) -> None:
        pid = {w.process.pid for w in pool._live}
        bad_graph = await pool.run(request(CHEAP, union=False, default_graph=["not an iri"]), deadline_s=5)
        assert bad_graph.header == {"ok": False, "error": "evaluation", "message": bad_graph.header["message"]}
        assert "ValueError" in bad_graph.header["message"]
        bad_format = await pool.run(request("SELECT * {}", results_format="NOPE"), deadline_s=5)
        assert bad_format.header["error"] == "evaluation"
        assert (await pool.run(request(CHEAP), deadline_s=5)).header["ok"]
        assert {w.process.pid for w in pool._live} == pid and pool.stats.lost == 0

    with_pool(scenario, size=1)


def test_a_long_operator_chain_parses_on_the_large_query_stack() -> None:
    chain = "SELECT (" + "+".join(["1"] * 7_000) + " AS ?x) {}"  # SIGSEGV on an 8 MiB stack

    async def scenario(pool: WorkerPool) -> None:
        reply = await pool.run(request(chain), deadline_s=20)
        assert reply.header["ok"], reply.header
        assert b'"7000"' in reply.body
        assert pool.stats.lost == 0

    with_pool(scenario, size=1)


def test_answer_bytes_are_capped_in_the_worker() -> None:
    async def scenario(pool: WorkerPool) -> None:
        query = "SELECT * { ?a ?p ?x . ?b ?q ?y }"  # 3,600 rows, about 400 KB of JSON
        reply = await pool.run(request(query, max_bytes=100_000), deadline_s=10)
        assert reply.header == {"ok": False, "error": "answer-too-large", "max_bytes": 100_000}
        assert (await pool.run(request(query, max_bytes=10_000_000), deadline_s=10)).header["ok"]

    with_pool(scenario, size=1)


def test_memory_bound_stops_the_query_and_the_pool_recovers(caplog: pytest.LogCaptureFixture) -> None:
    doubling = (
        'SELECT (STRLEN(?s18) AS ?n) { BIND("'
        + "x" * 1000
        + '" AS ?s0) '
        + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(18))
        + " }"
    )

    async def scenario(pool: WorkerPool) -> None:
        with pytest.raises(Exception) as lost:
            await pool.run(request(doubling), deadline_s=20, query_id="q-doubling")
        assert getattr(lost.value, "out_of_memory", False), repr(lost.value)
        # Rust aborts on a failed allocation (SIGABRT); under heavy load the process has also been
        # seen to end with an exit code instead. Either way the status is named, never "still running".
        status = getattr(lost.value, "exit_signal", None)
        assert status == "SIGABRT" or str(status).startswith("exit code "), status
        await until(lambda: pool.alive == 1, "a replacement")
        assert (await pool.run(request(CHEAP), deadline_s=10)).header["ok"]

    with caplog.at_level(logging.ERROR, logger="graph_service.pool"):
        with_pool(scenario, size=1, memory_mb=600)
    lost = [r.getMessage() for r in caplog.records if "lost while running" in r.getMessage()]
    assert len(lost) == 1 and "q-doubling" in lost[0] and "out of memory" in lost[0]
    assert "SIGABRT" in lost[0] or "exit code " in lost[0]


LARGE = 'SELECT * { ?a ?p ?x . ?b ?q ?y BIND(CONCAT(STR(?x), "' + "z" * 300 + '") AS ?pad) }'  # 1.4 MB


def test_large_answers_are_spooled_and_free_their_worker_at_once() -> None:
    """A large answer is read whole from the worker before `run` returns: the worker is free while the
    answer is unread, and an answer closed early costs no worker."""

    async def scenario(pool: WorkerPool) -> None:
        reply = await pool.run(request(LARGE), deadline_s=10)
        assert reply.stream is not None and reply.size > STREAM_ABOVE and reply.body == b""
        assert pool.busy == 0  # not read yet, and the worker is free
        unread = await pool.run(request(LARGE), deadline_s=10)  # a second large answer, never read
        assert (await pool.run(request(CHEAP), deadline_s=10)).header["ok"]  # the one worker serves
        body = await read_all(reply)
        assert len(body) == reply.size and body.endswith(b"]}}")
        early = await pool.run(request(LARGE), deadline_s=10)
        assert early.stream is not None
        await anext(early.stream)
        await early.stream.aclose()  # the client went away mid-answer: nothing to replace
        assert (await pool.run(request(CHEAP), deadline_s=10)).header["ok"]
        assert pool.replaced == 0 and pool.stats.cancelled == 0
        del unread

    with_pool(scenario, size=1)


def test_large_answers_held_for_clients_are_capped_in_bytes() -> None:
    """Past `spool_bytes` of large answers awaiting their readers, another is dropped with a
    delivery-busy reply (the worker kept); an answer closed, or dropped unread, gives its bytes back."""

    async def scenario(pool: WorkerPool) -> None:
        held = await pool.run(request(LARGE), deadline_s=10)
        assert held.stream is not None and pool.spooled == held.size
        pool.spool_bytes = held.size + 1000  # room for one such answer, not two
        refused = await pool.run(request(LARGE), deadline_s=10)
        assert refused.header == {"ok": False, "error": "delivery-busy", "spool_bytes": held.size + 1000}
        assert engine_problem(refused.header).status == 503
        await held.stream.aclose()
        assert pool.spooled == 0
        dropped = await pool.run(request(LARGE), deadline_s=10)
        assert dropped.stream is not None and pool.spooled == dropped.size
        del dropped  # a response dropped unread (its client gone) gives its bytes back too
        assert pool.spooled == 0
        assert pool.replaced == 0 and pool.stats.spool_full == 1

    with_pool(scenario, size=1)


def test_150_answers_closed_early_cost_at_most_10_workers() -> None:
    async def scenario(pool: WorkerPool) -> int:
        for _ in range(150):
            reply = await pool.run(request(LARGE), deadline_s=30)
            assert reply.stream is not None
            await anext(reply.stream)
            await reply.stream.aclose()
        assert (await pool.run(request(CHEAP), deadline_s=10)).header["ok"]
        return pool.replaced + pool.stats.cancelled + pool.stats.lost

    assert with_pool(scenario, size=1) <= 10


def test_queries_wait_for_a_worker_within_their_deadline() -> None:
    async def scenario(pool: WorkerPool) -> None:
        slow = asyncio.create_task(pool.run(request(ENDLESS), deadline_s=0.5))
        await until(lambda: pool.busy == 1, "the slow query running")
        waiting = asyncio.create_task(pool.run(request(CHEAP), deadline_s=30))
        await until(lambda: pool.waiting == 1, "the cheap query queued")
        with pytest.raises(WorkerTimeoutError):
            await slow
        assert (await waiting).header["ok"]

    with_pool(scenario, size=1)


def test_cheap_query_is_not_starved_behind_costly_ones() -> None:
    async def scenario(pool: WorkerPool) -> None:
        costly = [asyncio.create_task(pool.run(request(ENDLESS), deadline_s=60)) for _ in range(2)]
        await until(lambda: pool.stats.moved_to_long_lane == 1, "one costly query in the long lane")
        cheap = await pool.run(request(CHEAP), deadline_s=60)
        assert cheap.header["ok"]
        assert not any(task.done() for task in costly)  # answered while both costly ones go on
        # the second costly query was stopped and waits for the long lane, holding no worker
        await until(lambda: bool(pool._long_waiters) and pool.busy == 1, "the second one waiting")
        for task in costly:
            task.cancel()
        await asyncio.gather(*costly, return_exceptions=True)
        assert pool.stats.moved_to_long_lane == 1 and pool.stats.served_short >= 1

    with_pool(scenario, size=2, long_after_s=0.2)


SECONDS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~2 s on QUADS


def test_cancelled_query_frees_its_worker_at_the_long_query_threshold() -> None:
    async def scenario(pool: WorkerPool) -> None:
        task = asyncio.create_task(pool.run(request(ENDLESS), deadline_s=60))
        await until(lambda: pool.busy == 1, "the query running")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await until(lambda: pool.stats.cancelled == 1, "its worker killed at the threshold, not at the deadline")
        await until(lambda: pool.alive == 1 and pool.replaced == 1, "a replacement")
        assert (await pool.run(request(CHEAP), deadline_s=60)).header["ok"]
        assert pool.stats.abandoned_finished == 0

    with_pool(scenario, size=1, long_after_s=0.3)


@pytest.mark.slow
def test_a_cancelled_query_that_ends_in_the_short_lane_keeps_its_worker() -> None:
    """Reading and dropping the answer costs less than starting a worker; the pipe stays in step."""

    async def scenario(pool: WorkerPool) -> None:
        (worker,) = pool._live
        stdout = worker.process.stdout
        assert stdout is not None
        reads = stdout.readexactly
        gate = asyncio.Event()

        async def gated(size: int) -> bytes:  # the second read of a reply (its header) waits for the gate
            calls.append(size)
            if len(calls) == 2:
                await gate.wait()
            return await reads(size)

        for cut in ("while it runs", "after its lengths were read"):
            calls: list[int] = []
            gate.clear()
            if cut == "after its lengths were read":
                stdout.readexactly = gated  # type: ignore[method-assign,assignment]
            task = asyncio.create_task(pool.run(request(SECONDS), deadline_s=120))
            await until(lambda: pool.busy == 1, "the query running")
            if cut == "after its lengths were read":
                await until(lambda: worker.pending_sizes is not None, "the lengths read, the header not")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            gate.set()
            await until(lambda: pool.busy == 0, "the abandoned answer read to its end")
            stdout.readexactly = reads  # type: ignore[method-assign]
        assert pool.stats.abandoned_finished == 2 and pool.stats.cancelled == 0 and pool.replaced == 0
        assert pool._live == {worker}  # the same process, still in step with its pipe:
        reply = await pool.run(request("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), deadline_s=60)
        assert reply.header["ok"] and b'"60"' in reply.body

    with_pool(scenario, size=1, long_after_s=60)


def test_cancelled_waiting_query_leaves_the_queue() -> None:
    async def scenario(pool: WorkerPool) -> None:
        running = asyncio.create_task(pool.run(request(ENDLESS), deadline_s=60))
        await until(lambda: pool.busy == 1, "the first query running")
        waiting = asyncio.create_task(pool.run(request(CHEAP), deadline_s=60))
        await until(lambda: pool.waiting == 1, "the second one queued")
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        assert pool.waiting == 0 and pool.busy == 1 and pool.stats.cancelled == 0  # nothing killed
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await until(lambda: pool.stats.cancelled == 1, "the running one's worker killed at the threshold")

    with_pool(scenario, size=1, long_after_s=0.3)


def test_pool_never_gives_up_restarting_and_notices_idle_deaths(tmp_path: Path) -> None:
    gate = StartGate(tmp_path)  # shut, a new worker waits before loading: it surely dies loading

    async def scenario(pool: WorkerPool) -> None:
        gate.shut()
        victim = next(iter(pool._live)).process.pid
        os.kill(victim, signal.SIGKILL)  # dies while idle
        await until(lambda: pool.stats.died_idle == 1, "the idle death noticed")
        killed: list[int] = []
        while len(killed) < 5:  # kill each replacement while it loads the store
            await until(lambda: any(pid not in killed for pid in pool.loading_pids()), "a replacement loading")
            assert pool.alive == 0 and pool.stats.failed_starts == len(killed)
            pid = next(pid for pid in pool.loading_pids() if pid not in killed)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        await until(lambda: any(pid not in killed for pid in pool.loading_pids()), "a sixth start")
        gate.open()
        await until(lambda: pool.alive == 1, "a worker again")
        assert pool.stats.failed_starts == 5 and pool.stats.died_idle == 1
        assert (await pool.run(request(CHEAP), deadline_s=60)).header["ok"]

    with_pool(scenario, size=1, respawn_max_s=0.1, sandbox=gate.prefix)


@pytest.mark.skipif(not network_sandbox(), reason="this host cannot run workers without network")
def test_sandboxed_worker_cannot_connect_even_without_the_guard() -> None:
    listener = CountingListener()

    async def scenario(pool: WorkerPool) -> dict[str, Any]:
        query = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        return (await pool.run(request(query), deadline_s=5)).header  # straight to the engine

    reply = with_pool(scenario, size=1, sandbox=network_sandbox())
    assert listener.close() == 0
    assert not reply["ok"]


# A worker that has been taken over: it loads as asked, then answers every query with the bytes of
# the expression `sys.argv[1]` (a reply's raw bytes, lengths included) and keeps running.
_HOSTILE_WORKER = (
    "import struct, sys\n"
    "from graph_service.sparql.framing import read_request, write_reply\n"
    "reply = eval(sys.argv[1])\n"
    "first = True\n"
    "while read_request(sys.stdin.buffer) is not None:\n"
    "    if first:\n"
    "        write_reply(sys.stdout.buffer, {'ok': True})\n"
    "        first = False\n"
    "    else:\n"
    "        sys.stdout.buffer.write(reply)\n"
    "        sys.stdout.buffer.flush()\n"
)


@pytest.mark.parametrize("what", ["a header nested past the parser's recursion limit", "a header of 2 GiB announced"])
def test_a_hostile_reply_is_a_lost_worker_not_a_crash_or_a_wait(what: str) -> None:
    """A worker runs anyone's query: what it writes is read as untrusted. Nonsense ends in WorkerLostError
    (a 503, the worker replaced) at once: no RecursionError (a 500), no waiting for bytes announced."""
    if what.startswith("a header nested"):
        raw = "struct.pack('>II', 400_000, 0) + b'[' * 200_000 + b']' * 200_000"
    else:
        raw = "struct.pack('>II', 2 << 30, 0) + b'{}'"

    async def scenario(pool: WorkerPool) -> None:
        with pytest.raises(WorkerLostError):
            await pool.run(request(CHEAP), deadline_s=20)
        await until(lambda: pool.replaced >= 1, "the hostile worker replaced")

    with_pool(scenario, size=1, sandbox=[sys.executable, "-c", _HOSTILE_WORKER, raw])


def test_an_error_reply_with_an_outsized_position_is_still_a_syntax_problem() -> None:
    """An error reply's position is read from the worker's message: digits past int()'s limit
    (4,300) must not raise while the problem is made (an uncaught ValueError, a 500)."""
    reply = {"ok": False, "error": "syntax", "message": "error at " + "9" * 5_000 + ":1: expected"}
    problem = engine_problem(reply)
    assert problem.status == 400 and problem.code == "syntax-error"
