"""The server's own CPU time per /sparql request, in process, without HTTP or wrk (issue 24).

    python -m bench.overhead [--mix second] [--requests 3000] [--rounds 5]

Runs the application's lifespan (data, workers), then calls the ASGI application directly, one
request at a time, with the mix's texts made unique by a counter comment (no answer cache), and
reads `time.process_time()` of this process (its threads included: the server's side only) and the
schedstat CPU time of the worker processes. Less noisy than wrk on a shared machine: no load
driver, no sockets; the HTTP parsing of uvicorn is left out (the same in every version). Run it
with `PYTHONPATH=<another tree>` to measure another version in the same minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import targets


def _children_cpu() -> float:
    total = 0
    me = os.getpid()
    for kid in Path(f"/proc/{me}/task/{me}/children").read_text().split():
        for task in os.listdir(f"/proc/{kid}/task"):
            total += int(Path(f"/proc/{kid}/task/{task}/schedstat").read_text().split()[0])
    return total / 1e9


async def _call(app: Any, query_string: bytes, accept: bytes) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": query_string,
        "headers": [(b"host", b"127.0.0.1"), (b"accept", accept), (b"user-agent", b"bench")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "state": {},
        "app": app,
    }
    status = 0
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif not message.get("more_body"):
            done.set()

    await app(scope, receive, send)
    return status


async def _run(mix: str, requests: int, rounds: int, app_name: str) -> None:
    from graph_service.config import Settings
    from graph_service.web.app import create_app

    targets._chosen[0] = mix
    items = targets.mix()
    if app_name == "ours":
        app = create_app(Settings(contact_email="bench@example.org"))
    else:  # bare or hello: the baselines of bench.targets, called the same way
        app = importlib.import_module(f"bench.{app_name}").app
    async with app.router.lifespan_context(app):
        n = 0

        async def batch(count: int) -> tuple[float, float]:
            nonlocal n
            cpu0, kids0 = time.process_time(), _children_cpu()
            for _ in range(count):
                item = items[n % len(items)]
                n += 1
                query = quote(f"{item.query} #{os.getpid()}-{n}")
                status = await _call(app, f"query={query}".encode(), item.accept.encode())
                if status != 200:
                    raise RuntimeError(f"{item.name}: {status}")
            return (time.process_time() - cpu0) * 1000 / count, (_children_cpu() - kids0) * 1000 / count

        await batch(200)  # warm-up
        if os.environ.get("CALLGRIND"):  # run under valgrind --tool=callgrind --instr-atstart=no
            # ~50x slower: no answer would come within the 20 ms after which the client is watched
            from graph_service.sparql import disconnect

            defaults = disconnect.unless_disconnected.__kwdefaults__
            assert defaults is not None
            defaults["watch_after_s"] = 60.0
            subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
            await batch(requests)
            subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)
            return
        figures = [await batch(requests) for _ in range(rounds)]
    servers = [f[0] for f in figures]
    workers = [f[1] for f in figures]
    print(
        f"server {statistics.median(servers):.3f} ms/req (min {min(servers):.3f}), "
        f"workers {statistics.median(workers):.3f} ms/req (min {min(workers):.3f}); {mix} mix, "
        f"{rounds} rounds of {requests}, {app_name}"
    )


def main() -> int:
    """Print the server's and the workers' CPU per request."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mix", choices=targets.MIXES, default="second")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--app", choices=("ours", "bare", "hello"), default="ours")
    args = parser.parse_args()
    asyncio.run(_run(args.mix, args.requests, args.rounds, args.app))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
