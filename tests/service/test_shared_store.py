"""Query workers share one on-disk store; a worker that cannot hold the store names the limit it met."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_service.sparql import shared_store
from graph_service.sparql.pool import WorkerPool
from tests.service.test_worker_pool import QUADS, request


def test_the_store_is_built_once_per_content(tmp_path: Path) -> None:
    first = shared_store.prepare(tmp_path, QUADS)
    assert first is not None and shared_store.is_complete(first, shared_store.store_key(QUADS))
    built = (first / shared_store.READY).stat().st_mtime_ns
    assert shared_store.prepare(tmp_path, QUADS) == first
    assert (first / shared_store.READY).stat().st_mtime_ns == built  # reused, not rebuilt
    other = shared_store.prepare(tmp_path, QUADS + b"<http://e/x> <http://e/p> <http://e/y> .\n")
    assert other is not None and other != first
    assert len(ox.Store.read_only(str(other))) == 61


def test_an_unfinished_folder_is_rebuilt(tmp_path: Path) -> None:
    path = shared_store.prepare(tmp_path, QUADS)
    assert path is not None
    (path / shared_store.READY).unlink()  # a start killed while building
    assert shared_store.prepare(tmp_path, QUADS) == path
    assert len(ox.Store.read_only(str(path))) == 60


def test_an_unwritable_cache_falls_back_to_a_copy_each(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert shared_store.prepare(blocker, QUADS) is None


def open_under(pid: int, folder: Path) -> bool:
    """True when process `pid` holds a file of `folder` open."""
    fds = Path(f"/proc/{pid}/fd")
    return any(os.readlink(fd).startswith(str(folder)) for fd in fds.iterdir() if fd.is_symlink())


def test_two_workers_answer_from_the_same_store_folder(tmp_path: Path) -> None:
    folder = shared_store.prepare(tmp_path, QUADS)
    assert folder is not None

    async def main() -> None:
        pool = WorkerPool(2, b"", {}, store_path=str(folder))
        await pool.start()
        try:
            pids = [w.process.pid for w in pool._live]
            assert len(pids) == 2 and all(open_under(pid, folder) for pid in pids)
            # two queries at once: one on each worker
            replies = await asyncio.gather(
                *(pool.run(request("SELECT ?s { ?s ?p ?o }"), deadline_s=30) for _ in range(2))
            )
            assert all(len(json.loads(reply.body)["results"]["bindings"]) == 60 for reply in replies), replies
        finally:
            await pool.close()

    asyncio.run(main())


def test_a_worker_out_of_memory_at_start_names_the_setting() -> None:
    big = (
        ox.serialize(
            [
                ox.Quad(
                    ox.NamedNode(f"http://e/s{i}"),
                    ox.NamedNode("http://e/p"),
                    ox.Literal("x" * 200 + str(i)),
                    ox.NamedNode("http://e/g"),
                )
                for i in range(300_000)
            ],
            format=ox.RdfFormat.N_QUADS,
        )
        or b""
    )

    async def main() -> None:
        pool = WorkerPool(1, big, {}, memory_mb=320, respawn_max_s=0.1)
        with pytest.raises(RuntimeError) as caught:
            await pool.start()
        await pool.close()
        message = str(caught.value)
        assert "KG_WORKER_MEMORY_MB=320" in message and "raise KG_WORKER_MEMORY_MB" in message, message
        assert "KG_WORKER_STORE=shared" in message  # a copy each: sharing the store is the other way out

    asyncio.run(main())


def test_auto_shares_only_data_too_large_for_a_copy_each() -> None:
    assert not shared_store.shares("auto", 50 << 20, 1024)
    assert shared_store.shares("auto", 60 << 20, 1024)  # 1/20 of the bound: a 64x copy each cost 1.6 GB
    assert shared_store.shares("auto", 200 << 20, 1024)
    assert not shared_store.shares("auto", 200 << 20, 0)  # no bound: a copy each
    assert shared_store.shares("shared", 1, 1024) and not shared_store.shares("copy", 1 << 40, 1024)
