"""The scheduler of the query worker processes: which worker runs which query, until when.

Each of the `size` slots has a supervisor task that starts a worker, waits for it to exit and
starts the next one, with back-off while starts fail, forever. A query runs on a free worker;
one that runs past `long_after_s` must hold one of the `long_slots` (fewer than the workers),
or its worker is killed and the query waits for a long slot and starts again: so at least one
worker is always free for queries shorter than `long_after_s` (docs: "Fair under load"). Talking
to one process (start, load, ask, read, kill) is `worker_process.py`'s job.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_service.sparql.framing import encode_request
from graph_service.sparql.sandbox import ProbeListener, SandboxUnavailableError, prove
from graph_service.sparql.worker_process import (
    CHUNK,
    Reply,
    WorkerLostError,
    WorkerProcess,
    open_store,
    start_worker,
)

log = logging.getLogger("graph_service.pool")


class WorkerTimeoutError(Exception):
    """The query ran past its deadline; its worker was killed."""


class PoolBusyError(Exception):
    """No worker became free before the deadline."""


@dataclass
class PoolStats:
    """Counters of what happened to the workers (reported by /health, asserted by tests)."""

    started: int = 0
    failed_starts: int = 0
    died_idle: int = 0
    lost: int = 0
    timeouts: int = 0
    cancelled: int = 0  # the caller went away and the query was still running: its worker killed
    abandoned_finished: int = 0  # the caller went away but the query ended within the short lane: worker kept
    moved_to_long_lane: int = 0
    restarted_for_long_lane: int = 0
    served_short: int = 0
    spool_full: int = 0  # large answers dropped: spool_bytes were held for clients already


class _Lane:
    """Where a running query stands: at the long-query threshold, and at its deadline."""

    __slots__ = ("expired", "long", "restart", "timer")

    def __init__(self) -> None:
        self.long = False  # it holds a long-lane slot
        self.restart = False  # no slot was free: its worker was killed, it waits for one
        self.expired = False  # its deadline passed: its task was cancelled
        self.timer: asyncio.TimerHandle | None = None  # the one due time pending for it

    def release(self, pool: WorkerPool) -> None:
        if self.long:
            self.long = False
            pool._release_long()

    def cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class _Waiters:
    """A FIFO of callers waiting for a worker, safe against cancellation and timeouts."""

    def __init__(self) -> None:
        self._queue: collections.deque[asyncio.Future[WorkerProcess]] = collections.deque()

    def __len__(self) -> int:
        return sum(1 for f in self._queue if not f.done())

    def __bool__(self) -> bool:
        """Whether anybody waits (the oldest given up are dropped on the way)."""
        while self._queue and self._queue[0].done():
            self._queue.popleft()
        return bool(self._queue)

    def hand(self, worker: WorkerProcess) -> bool:
        """Give the worker to the oldest live waiter; False if nobody waits."""
        while self._queue:
            waiter = self._queue.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return True
        return False

    def add(self) -> asyncio.Future[WorkerProcess]:
        waiter: asyncio.Future[WorkerProcess] = asyncio.get_running_loop().create_future()
        self._queue.append(waiter)
        return waiter


class WorkerPool:
    """N worker processes, each holding the whole store (as N-Quads sent at start-up)."""

    def __init__(
        self,
        size: int,
        nquads: bytes,
        prefixes: Mapping[str, str],
        *,
        sandbox: Sequence[str] = (),
        seccomp: bool = False,
        memory_mb: int = 0,
        long_slots: int | None = None,
        long_after_s: float = 0.5,
        respawn_max_s: float = 5.0,
        spool_bytes: int = 512 << 20,
        store_path: str | None = None,
    ) -> None:
        self.size = size
        self.spool_bytes = spool_bytes  # large answers held for their clients at once, bytes
        self.spooled = 0
        # store_path: an on-disk store every worker opens read-only (sparql/shared_store.py), else a copy each
        self._shares_store = store_path is not None
        self._load = (
            encode_request({"op": "open", "path": store_path, "prefixes": dict(prefixes)}, b"")
            if store_path
            else encode_request({"op": "load", "prefixes": dict(prefixes)}, nquads)
        )
        self._sandbox = list(sandbox)
        self._seccomp = seccomp  # workers install the filter, and one that does not prove it is refused
        self._layers: dict[str, bool] | None = None  # what every worker started so far proved
        self._memory_mb = memory_mb
        self.long_slots = max(1, min(size - 1, long_slots if long_slots is not None else size - 1))
        self.long_after_s = long_after_s
        self.respawn_max_s = respawn_max_s
        self._long_free = self.long_slots
        self._long_waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._idle: collections.deque[WorkerProcess] = collections.deque()
        self._waiters = _Waiters()
        self._live: set[WorkerProcess] = set()
        self._loading: set[WorkerProcess] = set()
        self._supervisors: list[asyncio.Task[None]] = []
        self._abandoned: set[asyncio.Task[None]] = set()  # reading the answers nobody waits for
        self._closed = False
        self.stats = PoolStats()

    @property
    def sandboxed(self) -> bool:
        """True when the workers' probes proved at least one OS layer against egress."""
        return any(self.egress[layer] for layer in ("network_namespace", "seccomp"))

    @property
    def egress(self) -> dict[str, bool]:
        """The layers against egress: the guard, and the OS layers every worker's probe proved."""
        return {"guard": True, **(self._layers or {"network_namespace": False, "seccomp": False})}

    def _prove(self, report: Any, reached: bool) -> None:
        proven = prove(report, reached, required=self._seccomp)
        known = self._layers or proven
        self._layers = {layer: known[layer] and proven[layer] for layer in proven}

    @property
    def alive(self) -> int:
        """Number of workers running and holding the store."""
        return sum(1 for w in self._live if w.process.returncode is None)

    @property
    def busy(self) -> int:
        """Workers running a query."""
        return sum(1 for w in self._live if w.state == "busy")

    @property
    def waiting(self) -> int:
        """Queries waiting for a worker."""
        return len(self._waiters)

    @property
    def replaced(self) -> int:
        """Workers started after the first ones."""
        return max(0, self.stats.started - self.size)

    def loading_pids(self) -> tuple[int, ...]:
        """Process ids of the workers being started (still loading the store)."""
        return tuple(w.process.pid for w in list(self._loading))

    async def start(self) -> None:
        """Start the supervisors and wait until every worker holds the store.

        Raises RuntimeError if a first start fails (the data or the host is wrong, not bad luck).
        """
        first: list[asyncio.Future[None]] = []
        loop = asyncio.get_running_loop()
        for slot in range(self.size):
            ready: asyncio.Future[None] = loop.create_future()
            first.append(ready)
            self._supervisors.append(asyncio.create_task(self._supervise(slot, ready)))
        await asyncio.gather(*first)

    async def close(self) -> None:
        """Stop the supervisors and every worker."""
        self._closed = True
        for task in [*self._supervisors, *self._abandoned]:
            task.cancel()
        for worker in [*self._live, *self._loading]:
            worker.kill()
            with contextlib.suppress(Exception):
                await worker.process.wait()
        for task in self._supervisors:
            with contextlib.suppress(BaseException):
                await task
        self._live.clear()

    async def run(self, header: Mapping[str, Any], *, deadline_s: float, query_id: str = "") -> Reply:
        """Run one request within `deadline_s` in all, waiting included.

        A worker still busy at the deadline is killed and replaced, as is the worker of a request
        whose caller goes away (cancellation). A large body comes back as `Reply.stream`, read
        whole from the worker within the deadline: the worker is free when `run` returns, however
        slowly (if ever) the stream is read.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + deadline_s
        message = encode_request(dict(header))
        holds_long = False
        try:
            while True:
                worker = self._idle_worker() or await self._acquire(deadline)
                outcome = await self._call(worker, message, deadline, holds_long, query_id)
                if isinstance(outcome, Reply):
                    return outcome
                # its worker was killed: wait for a long slot, then start again holding it
                await self._acquire_long(deadline)
                holds_long = True
                self.stats.restarted_for_long_lane += 1
        finally:
            if holds_long:
                self._release_long()

    async def _call(
        self, worker: WorkerProcess, message: bytes, deadline: float, holds_long: bool, query_id: str
    ) -> Reply | None:
        """The reply, or None when the query must wait for a long slot (its worker was killed).

        One loop timer at a time, no extra task: at `long_after_s` the query takes a long slot if one is
        free (and the timer is set again for its deadline), else its worker is killed, which ends
        the read below; at the deadline, the task is cancelled (as `asyncio.timeout` would).
        """
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        cancelling = task.cancelling()
        worker.state = "busy"
        lane = _Lane()
        check_at = loop.time() + self.long_after_s
        if not holds_long and check_at < deadline:
            lane.timer = loop.call_at(check_at, self._at_long_threshold, worker, lane, task, deadline)
        else:
            lane.timer = loop.call_at(deadline, _expire, lane, task)
        try:
            reply = await worker.exchange(message, self)
            self._release(worker)  # the answer is handed over: the worker is free, whoever reads it
            self.stats.spool_full += reply.dropped
        except asyncio.CancelledError:
            lane.cancel_timer()
            if lane.expired and task.uncancel() <= cancelling:
                self._retire(worker)
                self.stats.timeouts += 1
                lane.release(self)
                raise WorkerTimeoutError from None
            in_long_lane = lane.long
            lane.release(self)
            if worker.state == "busy":
                self._abandon(worker, check_at if not (holds_long or in_long_lane) else loop.time())
            raise
        except (OSError, EOFError, asyncio.IncompleteReadError, ValueError) as exc:
            lane.cancel_timer()
            lane.release(self)
            if lane.restart:
                return None
            self._retire(worker)
            self.stats.lost += 1
            status, out_of_memory = await worker.exit_status()
            log.error(
                "query worker %d lost while running query %s: %s%s",
                worker.process.pid,
                query_id or "?",
                status,
                " (out of memory)" if out_of_memory else "",
            )
            raise WorkerLostError(str(exc) or status, exit_signal=status, out_of_memory=out_of_memory) from exc
        except BaseException:
            lane.cancel_timer()
            lane.release(self)
            if worker.state == "busy":
                self._retire(worker)
            raise
        lane.cancel_timer()
        if lane.expired:  # the deadline passed as the answer came: too late all the same
            task.uncancel()
            if reply.stream is not None:
                await reply.stream.aclose()
            lane.release(self)
            self.stats.timeouts += 1
            raise WorkerTimeoutError
        if lane.long:
            lane.release(self)
        elif not holds_long:
            self.stats.served_short += 1
        return reply

    def _at_long_threshold(self, worker: WorkerProcess, lane: _Lane, task: asyncio.Task[Any], deadline: float) -> None:
        lane.timer = None
        if worker.state != "busy":
            return
        if self._long_free > 0:
            self._long_free -= 1
            lane.long = True
            self.stats.moved_to_long_lane += 1
            lane.timer = asyncio.get_running_loop().call_at(deadline, _expire, lane, task)
        else:
            lane.restart = True
            self._retire(worker)

    def _abandon(self, worker: WorkerProcess, kill_at: float) -> None:
        """The caller of a running query went away. A query still in the short lane may end by
        `kill_at` (the long-query threshold): its answer is then read and dropped and the worker
        kept, which costs less than starting another; otherwise, or past it, the worker is killed."""
        if kill_at <= asyncio.get_running_loop().time():
            self._retire(worker)
            self.stats.cancelled += 1
            return
        task = asyncio.get_running_loop().create_task(self._finish_abandoned(worker, kill_at))
        self._abandoned.add(task)
        task.add_done_callback(self._abandoned.discard)

    async def _finish_abandoned(self, worker: WorkerProcess, kill_at: float) -> None:
        try:
            async with asyncio.timeout_at(kill_at):
                if worker.pending_body is None:
                    _, worker.pending_body = await worker.receive_head()
                while worker.pending_body:
                    chunk = await worker.read(min(CHUNK, worker.pending_body))
                    worker.pending_body -= len(chunk)
        except (TimeoutError, OSError, EOFError, asyncio.IncompleteReadError, ValueError):
            self._retire(worker)
            self.stats.cancelled += 1
            return
        except asyncio.CancelledError:  # the pool is closing
            self._retire(worker)
            raise
        worker.pending_body = None
        self.stats.abandoned_finished += 1
        self._release(worker)

    def _idle_worker(self) -> WorkerProcess | None:
        """A free worker, unless others wait for one."""
        while self._idle and not self._waiters:
            worker = self._idle.pop()  # the most recently used: its caches are warm
            if worker.process.returncode is None and worker.state == "idle":
                return worker
        return None

    async def _acquire(self, deadline: float) -> WorkerProcess:
        waiter = self._waiters.add()
        try:
            async with asyncio.timeout_at(deadline):
                return await waiter
        except TimeoutError as exc:
            if waiter.done() and not waiter.cancelled():
                return waiter.result()
            raise PoolBusyError from exc
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())
            raise

    async def _acquire_long(self, deadline: float) -> None:
        if self._long_free > 0 and not any(not f.done() for f in self._long_waiters):
            self._long_free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._long_waiters.append(waiter)
        try:
            async with asyncio.timeout_at(deadline):
                await waiter
        except TimeoutError as exc:
            if waiter.done() and not waiter.cancelled():
                self._release_long()
            self.stats.timeouts += 1
            raise WorkerTimeoutError from exc
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._release_long()
            raise

    def _release_long(self) -> None:
        while self._long_waiters:
            waiter = self._long_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._long_free += 1

    def _release(self, worker: WorkerProcess) -> None:
        if worker.process.returncode is not None or worker.state == "retired" or self._closed:
            return
        worker.state = "idle"
        if self._waiters.hand(worker):
            worker.state = "busy"
            return
        self._idle.append(worker)

    def _retire(self, worker: WorkerProcess) -> None:
        """Kill a worker on purpose; its supervisor starts the next one."""
        worker.kill()

    async def _supervise(self, slot: int, ready: asyncio.Future[None]) -> None:
        failures = 0
        while not self._closed:
            try:
                worker = await self._spawn()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.stats.failed_starts += 1
                if not ready.done():
                    ready.set_exception(
                        exc
                        if isinstance(exc, SandboxUnavailableError)
                        else RuntimeError(f"query worker failed to start: {exc}")
                    )
                    return
                failures += 1
                delay = min(self.respawn_max_s, 0.05 * 2 ** min(failures, 10))
                log.warning("query worker %d could not start (%s); retrying in %.2f s", slot, exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            self.stats.started += 1
            self._live.add(worker)
            if not ready.done():
                ready.set_result(None)
            self._release(worker)
            await worker.process.wait()
            self._live.discard(worker)
            with contextlib.suppress(ValueError):
                self._idle.remove(worker)
            if worker.state == "idle" and not self._closed:
                self.stats.died_idle += 1
                status, _ = await worker.exit_status()
                log.error("query worker %d died while idle: %s", worker.process.pid, status)

    async def _spawn(self) -> WorkerProcess:
        with ProbeListener() as listener:
            worker = await start_worker(
                listener, sandbox=self._sandbox, seccomp=self._seccomp, memory_mb=self._memory_mb
            )
            self._loading.add(worker)
            try:
                reply = await open_store(worker, self._load, memory_mb=self._memory_mb, shared=self._shares_store)
                self._prove(reply.get("egress"), listener.reached())
            except BaseException:
                worker.kill()
                with contextlib.suppress(Exception):
                    await worker.process.wait()
                raise
            finally:
                self._loading.discard(worker)
            return worker


def _expire(lane: _Lane, task: asyncio.Task[Any]) -> None:
    """The deadline passed: cancel the task waiting for the answer (`_call` tells it from others)."""
    lane.timer = None
    lane.expired = True
    task.cancel()
