"""The access log when serving: JSON lines on a stream, formatted and written once per event-loop turn."""

from __future__ import annotations

import asyncio
import io
import json
import os
import warnings

from graph_service.web import access


class _Counting(io.StringIO):
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


class _NoMetrics:
    def observe(self, *_: object) -> None:
        """Nothing counted here."""


def _record(log: access.Access, request_id: str, problem: str | None = None) -> None:
    scope = {"type": "http", "method": "GET", "path": "/sparql"}
    log.record(scope, "GET", request_id, 200, "application/sparql-results+json", 12, 0.0021, problem)


def test_the_lines_of_one_turn_are_written_at_once_and_each_is_json() -> None:
    stream = _Counting()
    access.write_lines_to(stream)
    log = access.Access(_NoMetrics(), [])  # type: ignore[arg-type]
    try:

        async def turn() -> int:
            for i in range(5):
                _record(log, f"r{i}", "too-many-queries" if i == 3 else None)
            written_before = stream.writes
            await asyncio.sleep(0)  # the end of the turn
            await asyncio.sleep(0)
            return written_before

        assert asyncio.run(turn()) == 0  # nothing written during the turn
        assert stream.writes == 1
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        assert [line["request_id"] for line in lines] == [f"r{i}" for i in range(5)]
        assert lines[3]["problem"] == "too-many-queries" and "problem" not in lines[0]
        assert lines[0]["duration_ms"] == 2.1 and lines[0]["bytes"] == 12

        _record(log, "outside")  # no event loop: written at once
        assert json.loads(stream.getvalue().splitlines()[-1])["request_id"] == "outside"
    finally:
        access.write_lines_to(None)


def test_request_ids_made_in_a_forked_process_differ_from_its_parent_s() -> None:
    """New ids are a per-process prefix and a counter: a process forked from a server (a pre-forking
    process manager) must not send the ids its parent and siblings send."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # Python 3.12 warns of fork() in a process with threads: the child only writes
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.write(write_end, access.request_id(None).encode())
        os._exit(0)
    os.close(write_end)
    mine = access.request_id(None)
    with os.fdopen(read_end, "rb") as pipe:
        child = pipe.read().decode()
    os.waitpid(pid, 0)
    assert len(child) == len(mine) == 32 and child[:16] != mine[:16]
