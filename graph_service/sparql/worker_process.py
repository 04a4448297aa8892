"""One query worker process as the server sees it: started, loaded, asked, read, killed.

The scheduler (`scheduler.py`) decides which worker runs what and when; this module only speaks to
one process over its pipes (`framing.py`): start it (`start_worker`), give it the store
(`open_store`), exchange a request for a reply (`WorkerProcess.exchange`), and kill it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from graph_service.sparql.framing import SIZES_LENGTH, decode_reply_header, decode_reply_sizes
from graph_service.sparql.sandbox import ProbeListener
from graph_service.sparql.shared_store import start_failure

log = logging.getLogger("graph_service.pool")

STREAM_ABOVE = 1 << 20  # bodies above this are spooled to a temporary file, not held in memory
CHUNK = 1 << 16
_SPOOL_CHUNK = 1 << 20
_MEMORY_MARK = "memory allocation of"  # what Rust prints before aborting on a failed allocation


class WorkerLostError(Exception):
    """The worker died or answered nonsense while running the query."""

    def __init__(self, message: str, *, exit_signal: str | None = None, out_of_memory: bool = False) -> None:
        super().__init__(message)
        self.exit_signal = exit_signal
        self.out_of_memory = out_of_memory


class SpoolRoom(Protocol):
    """Where the bytes of large answers held for their readers are counted (the pool)."""

    spool_bytes: int  # at most this much held at once
    spooled: int  # held now


@dataclass
class Reply:
    """A worker's answer: its header, and the body in memory or, past STREAM_ABOVE, spooled to a file."""

    header: dict[str, Any]
    body: bytes = b""
    stream: SpooledBody | None = None
    size: int = 0
    dropped: bool = False  # a large answer dropped: its room held too much already (`delivery-busy`)


class SpooledBody:
    """A large answer, read whole from the worker's pipe into a temporary file (the worker is free
    once it is there), then sent from the file as fast as the client reads: a slow or absent reader,
    or one that closes early, holds a file, never a worker."""

    def __init__(self, file: IO[bytes], size: int, room: SpoolRoom | None = None) -> None:
        self._file = file
        self.left = size
        self.size = size
        self.closed = False
        self._room = room

    def __del__(self) -> None:
        self._close()  # a response dropped unread (its client went away) gives its bytes back

    def __aiter__(self) -> SpooledBody:
        return self

    async def __anext__(self) -> bytes:
        if self.closed or not self.left:
            self._close()
            raise StopAsyncIteration
        chunk = self._file.read(min(CHUNK, self.left))
        if not chunk:
            self._close()
            raise StopAsyncIteration
        self.left -= len(chunk)
        if not self.left:
            self._close()
        return chunk

    async def aclose(self) -> None:
        """Stop reading: the file goes, nothing else."""
        self._close()

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            self._file.close()
            if self._room is not None:
                self._room.spooled -= self.size


@dataclass(eq=False)
class WorkerProcess:
    """A worker process and the state of its pipes."""

    process: asyncio.subprocess.Process
    state: str = "loading"  # loading, idle, busy, retired (killed on purpose)
    stderr_tail: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=20))
    stderr_done: asyncio.Event = field(default_factory=asyncio.Event)
    stderr_task: asyncio.Task[None] | None = None
    discard: asyncio.Task[None] | None = None
    # how far the reply being read has come, so that a reader cancelled half-way can be followed
    pending_sizes: tuple[int, int] | None = None  # its lengths were read, not its header
    pending_body: int | None = None  # its header was read, not its body of this size

    async def send(self, message: bytes) -> None:
        """Write a request and wait until the pipe took it."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(message)
        await stdin.drain()

    async def exchange(self, message: bytes, room: SpoolRoom) -> Reply:
        """Send one request and read its reply whole: in memory, or spooled past STREAM_ABOVE (then
        dropped, as a `delivery-busy` reply, when `room` holds too much already)."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(message)
        if stdin.transport.get_write_buffer_size():  # the pipe is full: wait for room
            await stdin.drain()
        head_len, size = await self.reply_sizes()
        if size <= STREAM_ABOVE:  # header and body in one read
            data = await self.read(head_len + size)
            self.pending_sizes = None
            return Reply(decode_reply_header(data[:head_len]), data[head_len:], size=size)
        header, size = await self.receive_head()
        self.pending_body = size  # from here on, a cancelled read is followed by the scheduler
        if room.spooled + size > room.spool_bytes:  # too much held for slow readers: drop this one
            while self.pending_body:
                self.pending_body -= len(await self.read_some(min(_SPOOL_CHUNK, self.pending_body)))
            self.pending_body = None
            return Reply({"ok": False, "error": "delivery-busy", "spool_bytes": room.spool_bytes}, dropped=True)
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by SpooledBody, or below)
        room.spooled += size
        try:
            while self.pending_body:
                chunk = await self.read_some(min(_SPOOL_CHUNK, self.pending_body))
                spool.write(chunk)
                self.pending_body -= len(chunk)
            spool.seek(0)
        except BaseException:
            spool.close()
            room.spooled -= size
            raise
        self.pending_body = None
        return Reply(header, stream=SpooledBody(spool, size, room), size=size)

    async def reply_sizes(self) -> tuple[int, int]:
        """The lengths of the reply being read: read now, or earlier by a reader cancelled since."""
        if self.pending_sizes is None:  # readexactly takes nothing from the pipe unless it returns
            self.pending_sizes = decode_reply_sizes(await self.read(SIZES_LENGTH))
        return self.pending_sizes

    async def receive_head(self) -> tuple[dict[str, Any], int]:
        """A reply's header, and the length of the body that follows it."""
        head_len, body_len = await self.reply_sizes()
        reply = decode_reply_header(await self.read(head_len))
        self.pending_sizes = None
        return reply, body_len

    async def read(self, size: int) -> bytes:
        """Exactly `size` bytes; IncompleteReadError at the pipe's end."""
        stdout = self.process.stdout
        assert stdout is not None
        return await stdout.readexactly(size)

    async def read_some(self, size: int) -> bytes:
        """At most `size` bytes, as many as the pipe holds; IncompleteReadError at its end."""
        stdout = self.process.stdout
        assert stdout is not None
        data = await stdout.read(size)
        if not data:
            raise asyncio.IncompleteReadError(b"", size)
        return data

    def kill(self) -> None:
        """Kill it on purpose (its output is read and dropped until the pipe closes)."""
        self.state = "retired"
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        if self.discard is None:  # unread output would keep the pipe open and wait() pending
            self.discard = asyncio.get_running_loop().create_task(self._discard_output())

    async def _discard_output(self) -> None:
        stdout = self.process.stdout
        for _ in range(200):
            try:
                while stdout is not None and await stdout.read(CHUNK):
                    pass
                return
            except RuntimeError:  # a cancelled read has not let go yet
                await asyncio.sleep(0.01)
            except Exception:
                return

    async def drain_stderr(self) -> None:
        """Log what the worker writes on stderr, keeping its last lines."""
        stderr = self.process.stderr
        try:
            while stderr is not None and (line := await stderr.readline()):
                text = line.decode(errors="replace").rstrip()
                self.stderr_tail.append(text)
                log.warning("query worker %d: %s", self.process.pid, text)
        finally:
            self.stderr_done.set()

    async def exit_status(self) -> tuple[str, bool]:
        """How the process ended (signal name or exit code) and whether it ran out of memory."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2):
                await self.process.wait()
                await self.stderr_done.wait()
        code = self.process.returncode
        if code is None:
            status = "still running"
        elif code < 0:
            status = signal.Signals(-code).name
        else:
            status = f"exit code {code}"
        return status, any(_MEMORY_MARK in line for line in self.stderr_tail)


async def start_worker(
    listener: ProbeListener, *, sandbox: Sequence[str], seccomp: bool, memory_mb: int
) -> WorkerProcess:
    """A new worker process (in `sandbox`, with the seccomp filter and a memory cap when asked), not
    yet holding the store; its egress probe reports to `listener`."""
    command = [
        *sandbox,
        sys.executable,
        "-m",
        "graph_service.sparql.worker",
        "--probe-port",
        str(listener.port),
        *(["--seccomp"] if seccomp else []),
    ]
    if memory_mb:
        command += ["--memory-mb", str(memory_mb)]
    env = {**os.environ, "PYTHONPATH": _package_root(), "RUST_BACKTRACE": "0", "MALLOC_ARENA_MAX": "2"}
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    worker = WorkerProcess(process)
    worker.stderr_task = asyncio.create_task(worker.drain_stderr())
    return worker


async def open_store(worker: WorkerProcess, load: bytes, *, memory_mb: int = 0, shared: bool = False) -> dict[str, Any]:
    """Give a new worker the store (the `load` or `open` request) and return its reply: `ok`, and what its
    egress probe found. RuntimeError if it could not load it, naming the limit it met if it died."""
    try:
        await worker.send(load)
        reply, size = await worker.receive_head()
    except (asyncio.IncompleteReadError, ConnectionError) as exc:  # it ended: say which limit it met
        status, oom = await worker.exit_status()
        raise RuntimeError(
            start_failure(status, oom, memory_mb, shared, " / ".join(list(worker.stderr_tail)[-2:]))
        ) from exc
    if size:
        await worker.read(size)
    if not reply.get("ok"):
        raise RuntimeError(f"query worker failed to load the store: {reply}")
    return reply


def _package_root() -> str:
    import graph_service

    root = os.path.dirname(os.path.dirname(os.path.abspath(graph_service.__file__)))
    current = os.environ.get("PYTHONPATH")
    return f"{root}{os.pathsep}{current}" if current else root
