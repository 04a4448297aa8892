"""Long-lived query worker processes: dispatch with a deadline, kill and replace on overrun."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_service.sparql.framing import SIZES_LENGTH, decode_sizes, encode

log = logging.getLogger("graph_service.pool")


class WorkerTimeoutError(Exception):
    """The query ran past its deadline; its worker was killed."""


class WorkerLostError(Exception):
    """The worker died or answered nonsense while running the query."""


class PoolBusyError(Exception):
    """No worker became free before the deadline."""


def network_sandbox() -> list[str]:
    """A command prefix that runs a worker without any network, if this host allows it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for prefix in ([unshare, "--net"], [unshare, "--user", "--map-root-user", "--net"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    return []


@dataclass(eq=False)
class _Worker:
    process: asyncio.subprocess.Process

    async def send(self, message: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(message)
        await stdin.drain()

    async def receive(self) -> tuple[dict[str, Any], bytes]:
        stdout = self.process.stdout
        assert stdout is not None
        head_len, body_len = decode_sizes(await stdout.readexactly(SIZES_LENGTH))
        reply: dict[str, Any] = json.loads(await stdout.readexactly(head_len))
        return reply, await stdout.readexactly(body_len)

    async def call(self, header: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
        await self.send(encode(dict(header)))
        return await self.receive()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class WorkerPool:
    """N worker processes, each holding the whole store (as N-Quads sent at start-up)."""

    def __init__(
        self,
        size: int,
        nquads: bytes,
        prefixes: Mapping[str, str],
        *,
        sandbox: Sequence[str] = (),
    ) -> None:
        self.size = size
        self._load = encode({"op": "load", "prefixes": dict(prefixes)}, nquads)
        self._sandbox = list(sandbox)
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.replaced = 0

    @property
    def sandboxed(self) -> bool:
        """True when workers run without network access at the OS level."""
        return bool(self._sandbox)

    @property
    def alive(self) -> int:
        """Number of running workers."""
        return len(self._all)

    async def start(self) -> None:
        """Start all workers and wait until each holds the store."""
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def run(
        self, header: Mapping[str, Any], *, deadline_s: float
    ) -> tuple[dict[str, Any], bytes]:
        """Run one request on a free worker within `deadline_s` in all, waiting included.

        A worker still busy at the deadline is killed and replaced.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + deadline_s
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=deadline_s)
        except TimeoutError as exc:
            raise PoolBusyError from exc
        remaining = deadline - loop.time()
        if remaining <= 0:
            self._idle.put_nowait(worker)
            raise PoolBusyError
        try:
            reply = await asyncio.wait_for(worker.call(header), timeout=remaining)
        except TimeoutError as exc:
            self._replace(worker)
            raise WorkerTimeoutError from exc
        except (OSError, EOFError, asyncio.IncompleteReadError, ValueError) as exc:
            self._replace(worker)
            raise WorkerLostError(str(exc)) from exc
        except BaseException:
            self._replace(worker)  # cancelled mid-query: its answer would be out of step
            raise
        self._idle.put_nowait(worker)
        return reply

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
            with contextlib.suppress(Exception):
                await worker.process.wait()
        self._all.clear()

    async def _spawn(self) -> _Worker:
        command = [*self._sandbox, sys.executable, "-m", "graph_service.sparql.worker"]
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": _package_root()},
        )
        worker = _Worker(process)
        self._all.add(worker)
        await worker.send(self._load)
        reply, _ = await worker.receive()
        if not reply.get("ok"):
            raise RuntimeError(f"query worker failed to load the store: {reply}")
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        self._tasks.add(task := asyncio.create_task(self._respawn(worker)))
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self, dead: _Worker) -> None:
        with contextlib.suppress(Exception):
            await dead.process.wait()
        if self._closed:
            return
        for attempt in range(3):
            try:
                worker = await self._spawn()
                break
            except Exception:
                log.exception("could not start a replacement query worker (attempt %d of 3)", attempt + 1)
                await asyncio.sleep(0.5 * (attempt + 1))
        else:
            return  # /health reports the pool as degraded (fewer workers than configured)
        self.replaced += 1
        self._idle.put_nowait(worker)


def _package_root() -> str:
    import graph_service

    root = os.path.dirname(os.path.dirname(os.path.abspath(graph_service.__file__)))
    current = os.environ.get("PYTHONPATH")
    return f"{root}{os.pathsep}{current}" if current else root
