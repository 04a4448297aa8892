"""Server process vs worker processes: CPU per request of each, for one mix and concurrency.

    python -m bench.split [--mix second] [--connections 1] [--duration 8] [ours bare other ...]

Each server in turn, pinned to CPU 0 as in `bench.targets` (`other`: ours from `--compare DIR`),
is driven by wrk on CPU 1 with unique texts; the CPU time of the server process (all its threads)
and of its worker processes (`/proc/<pid>/task/*/schedstat`) is divided by the requests answered.
With `--py-spy FILE`, a second run is recorded by py-spy (`--gil`, raw format) into FILE.<kind>.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench import targets


def _own_cpu(pid: int) -> float:
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
    return total / 1e9


def _children(pid: int) -> list[int]:
    return [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def main() -> int:
    """Print server and worker CPU ms per request for each server named."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kinds", nargs="*", default=["ours", "bare"])
    parser.add_argument("--mix", choices=targets.MIXES, default="second")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--compare", default="", help="a source tree of another version, run as `other`")
    parser.add_argument("--py-spy", default="", help="record a py-spy profile of each server into FILE.<kind>")
    args = parser.parse_args()
    targets._chosen[0] = args.mix
    targets._other[0] = str(Path(args.compare).resolve()) if args.compare else ""
    items = targets.mix()
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "unique.lua"
        lua.write_text(targets.script(items, unique=True))
        for kind in args.kinds:
            process, port = targets.serve(kind)
            try:
                targets.check(port, items)
                targets.wrk(port, args.connections, 2, lua)
                if kind in ("ours", "other"):
                    targets.wait_for_full_pool(port)
                workers = _children(process.pid)
                server0, workers0 = _own_cpu(process.pid), {k: _own_cpu(k) for k in workers}
                load = targets.wrk(port, args.connections, args.duration, lua)
                server1 = _own_cpu(process.pid)
                spent = sum(_own_cpu(k) - workers0[k] for k in workers if os.path.exists(f"/proc/{k}"))
                n = max(1, load.requests)
                server_ms, workers_ms = 1000 * (server1 - server0) / n, 1000 * spent / n
                print(
                    f"{kind:<6} {load.requests:>6} req {load.rps:>6.0f} req/s  server {server_ms:.3f}"
                    f"  workers {workers_ms:.3f}  total {server_ms + workers_ms:.3f} ms/req",
                    flush=True,
                )
                if args.py_spy:
                    spy = subprocess.Popen(
                        [
                            *("py-spy", "record", "-p", str(process.pid), "-d", str(args.duration), "-r", "500"),
                            *("-f", "raw", "-o", f"{args.py_spy}.{kind}", "--nonblocking", "--gil"),
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    time.sleep(0.5)
                    targets.wrk(port, args.connections, args.duration, lua)
                    spy.wait()
            finally:
                targets.stop(process)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
