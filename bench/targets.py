"""The three load targets of the SPARQL service, each against a baseline measured in this run.

    python -m bench.targets [--duration 10] [--hog-seconds 25]

Server and its workers pinned to CPU 0 (taskset), the load (wrk, and this driver for the hog
scenario) on CPU 1. The mix is the named-query workload (multi-hop joins, `skos:broader*` property
paths) plus a text filter; every request's text is unique (a counter comment) unless "cached".

1. unique queries at c=16 and c=1: ours vs a bare FastAPI+pyoxigraph route (bench/bare.py);
   repeated queries (our cache) vs a FastAPI hello-world (bench/hello.py);
2. 64 clients that never back off vs 8: successful answers/s, and 5xx counts;
3. two clients loop a query that runs to the deadline; a third's cheap queries: p50 latency.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.run import PYTHON, ROOT, free_port, start
from bench.second_mix import SECOND_MIX
from bench.workload import WorkItem, load_workload

DRIVER_CPU = "1"
TEXT_FILTER = WorkItem(
    "text-filter",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?thing ?name ?broader WHERE {\n"
    "  ?thing skos:prefLabel ?name .\n"
    "  OPTIONAL { ?thing skos:broader+ ?broader }\n"
    '  FILTER (CONTAINS(LCASE(STR(?name)), "ordinateur") || REGEX(?name, "label", "i"))\n'
    "}\nORDER BY ?name\n",
    "select",
)
ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Load:
    """One wrk run, by status class."""

    rps: float
    ok_rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    status_5xx: int
    status_429: int
    socket_errors: int
    cpu_ms: float = 0.0  # CPU time of the server and its workers per request (all threads)


MIXES = ("bench", "second")
_chosen = ["bench"]


def mix() -> list[WorkItem]:
    """The workload of the benchmark: its own mix, or the second one (`bench/second_mix.py`)."""
    if _chosen[0] == "second":
        return list(SECOND_MIX)
    return [*load_workload(ROOT / "queries"), TEXT_FILTER]


def script(items: list[WorkItem], unique: bool) -> str:
    """A wrk script cycling through the mix and counting answers by status."""
    entries = ",\n".join(f'  {{"/sparql?query={quote(item.query, safe="")}", "{item.accept}"}}' for item in items)
    # the tag (a wrk argument) differs per run, so that no run repeats a text an earlier run sent
    suffix = '.. "%0A%23" .. tag .. "-" .. n' if unique else ""
    return f"""
local requests = {{
{entries}
}}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) i = 0; n = 0; s5 = 0; s429 = 0; tag = args[1] or "" end
function request()
  i = i % #requests + 1
  n = n + 1
  return wrk.format("GET", requests[i][1] {suffix}, {{["Accept"] = requests[i][2]}})
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status == 429 then s429 = s429 + 1 end
end
function done(summary, latency, requests)
  local t5, t429 = 0, 0
  for _, t in ipairs(threads) do t5 = t5 + t:get("s5"); t429 = t429 + t:get("s429") end
  io.write(string.format("STATUS5XX %d\\nSTATUS429 %d\\n", t5, t429))
end
"""


def wrk(port: int, connections: int, duration: int, lua: Path) -> Load:
    """wrk pinned to the driver CPU; figures parsed from its output."""
    out = subprocess.run(
        [
            "taskset",
            "-c",
            DRIVER_CPU,
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            str(lua),
            f"http://127.0.0.1:{port}",
            "--",
            uuid.uuid4().hex[:12],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def number(pattern: str) -> str:
        match = re.search(pattern, out)
        return match.group(1) if match else "0"

    requests = int(number(r"(\d+) requests in"))
    elapsed = _seconds(number(r"requests in ([\d.]+\w+)"))
    non_2xx = int(number(r"Non-2xx or 3xx responses:\s+(\d+)"))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Load(
        rps=float(number(r"Requests/sec:\s+([\d.]+)")),
        ok_rps=(requests - non_2xx) / elapsed if elapsed else 0.0,
        p50_ms=_ms(number(r"50%\s+([\d.]+\w+)")),
        p99_ms=_ms(number(r"99%\s+([\d.]+\w+)")),
        requests=requests,
        non_2xx=non_2xx,
        status_5xx=int(number(r"STATUS5XX (\d+)")),
        status_429=int(number(r"STATUS429 (\d+)")),
        socket_errors=sum(int(g) for g in sockets.groups()) if sockets else 0,
    )


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process, its threads and its child processes: the live ones
    (schedstat, ns) and those it reaped (cutime and cstime, in clock ticks). Without the reaped
    ones, a run in which workers were replaced lost their time (a c=64 run printed -1.4 ms/req)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        reaped = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime
    except (FileNotFoundError, ProcessLookupError):
        reaped = 0.0
    return reaped + _live_cpu_seconds(pid)


def _live_cpu_seconds(pid: int) -> float:
    """CPU time of a process, its threads and its live child processes (schedstat, ns)."""
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
        kids = [int(child) for child in children.read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return total / 1e9
    return total / 1e9 + sum(_live_cpu_seconds(kid) for kid in kids)


def measured(process: subprocess.Popen[bytes], port: int, connections: int, duration: int, lua: Path) -> Load:
    """One wrk run with the CPU time the server (and its workers) spent per request."""
    before = cpu_seconds(process.pid)
    load = wrk(port, connections, duration, lua)
    spent = cpu_seconds(process.pid) - before
    load.cpu_ms = 1000 * spent / load.requests if load.requests else 0.0
    return load


def wait_for_full_pool(port: int) -> None:
    """Wait until every worker is alive again.

    wrk stops with requests in flight; their clients are gone, so the server kills those queries'
    workers and starts new ones, which load the store on CPU 0. The next run must not pay for it.
    """
    stop_at = time.monotonic() + 60
    while time.monotonic() < stop_at:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json().get("status") == "ok":
                return
        time.sleep(0.1)
    raise RuntimeError("the worker pool did not recover within 60 s")


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(\w+)", value)
    if match is None:
        return 0.0
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[match.group(2)]


def _seconds(value: str) -> float:
    return _ms(value) / 1000


_other = [""]  # --compare: the source tree of another version of ours, served as "other"


def serve(kind: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """Start one server on CPU 0: `ours`, `other` (ours from the --compare tree), `bare` or `hello`."""
    port = free_port()
    if kind == "other":
        command = [PYTHON, "-m", "graph_service.cli", "serve", "--port", str(port)]
        # run from that tree: `python -m` puts the working directory first on sys.path, before
        # PYTHONPATH, so from this one it would import this tree's package (as it did until 2026-12-08)
        process, _ = start(command, port, "/sparql", {"PYTHONPATH": _other[0], **(env or {})}, cwd=_other[0])
        return process, port
    if kind == "ours":
        command = [str(Path(PYTHON).parent / "graph-service"), "serve", "--port", str(port)]
    else:
        command = [
            PYTHON,
            "-m",
            "uvicorn",
            f"bench.{kind}:app",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    process, _ = start(command, port, "/sparql", {"PYTHONPATH": str(ROOT), **(env or {})})
    return process, port


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server."""
    process.terminate()
    process.wait(timeout=30)


def check(port: int, items: list[WorkItem]) -> None:
    """Every request of the mix once; fail on any non-200."""
    for item in items:
        response = httpx.get(
            f"http://127.0.0.1:{port}/sparql", params={"query": item.query}, headers={"Accept": item.accept}, timeout=60
        )
        if response.status_code != 200:
            raise RuntimeError(f"{item.name}: {response.status_code} {response.text[:300]}")


def throughput(duration: int, rounds: int, tmp: Path, only: str = "") -> dict[str, list[Load]]:
    """Target 1 (and the 8 vs 64 clients of target 2): wrk runs on each server.

    The three servers run side by side (all on CPU 0, idle while another is measured) and the
    runs are interleaved round by round, so that load from elsewhere on a shared machine falls on
    a baseline and on ours alike; each ratio is taken within a round.
    """
    items = mix()
    unique, cached = tmp / "unique.lua", tmp / "cached.lua"
    unique.write_text(script(items, unique=True))
    cached.write_text(script(items, unique=False))
    plan = [
        ("bare c=1", "bare", 1, unique),
        ("ours c=1", "ours", 1, unique),
        ("bare c=16", "bare", 16, unique),
        ("ours c=16", "ours", 16, unique),
        ("hello c=16", "hello", 16, cached),
        ("ours cached c=16", "ours", 16, cached),
        ("ours c=8", "ours", 8, unique),
        ("ours c=64", "ours", 64, unique),
    ]
    if _other[0]:  # another version of ours, in the same interleaved rounds
        plan[4:4] = [("other c=1", "other", 1, unique), ("other c=16", "other", 16, unique)]
        plan.insert(-2, ("other cached c=16", "other", 16, cached))
    if only:  # e.g. "c=1": just the runs whose name holds it (for quick comparisons)
        plan = [run for run in plan if run[0].endswith(only)]
    servers = {kind: serve(kind) for kind in sorted({kind for _, kind, *_ in plan})}
    runs: dict[str, list[Load]] = {name: [] for name, *_ in plan}
    try:
        for kind in ("bare", "ours", "other"):
            if kind in servers:
                check(servers[kind][1], items)
        for _name, kind, connections, lua in plan:
            wrk(servers[kind][1], connections, 2, lua)  # warm-up
            if kind in ("ours", "other"):
                wait_for_full_pool(servers[kind][1])
        for _ in range(rounds):
            for name, kind, connections, lua in plan:
                process, port = servers[kind]
                runs[name].append(measured(process, port, connections, duration, lua))
                if kind in ("ours", "other"):
                    wait_for_full_pool(port)
    finally:
        for process, _ in servers.values():
            stop(process)
    return runs


def hogs(seconds: float) -> dict[str, float]:
    """Target 3: two clients loop a query that runs to the deadline; a third sends cheap ones."""
    os.sched_setaffinity(0, {int(DRIVER_CPU)})
    process, port = serve("ours")
    url = f"http://127.0.0.1:{port}/sparql"
    stop_at = time.monotonic() + seconds
    hog_statuses: list[int] = []
    latencies: list[float] = []
    cheap_statuses: list[int] = []

    def hog() -> None:
        with httpx.Client(timeout=60) as client:
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                hog_statuses.append(client.get(url, params={"query": f"{ENDLESS} #{n}"}).status_code)

    threads = [threading.Thread(target=hog) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(1)
        with httpx.Client(timeout=60) as client:
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                item = TEXT_FILTER if n % 2 else mix()[n % (len(mix()) - 1)]
                started = time.perf_counter()
                response = client.get(url, params={"query": f"{item.query}#{n}"}, headers={"Accept": item.accept})
                latencies.append(time.perf_counter() - started)
                cheap_statuses.append(response.status_code)
                time.sleep(0.05)
        for thread in threads:
            thread.join()
    finally:
        stop(process)
    return {
        "cheap_p50_s": statistics.median(latencies),
        "cheap_max_s": max(latencies),
        "cheap_requests": len(latencies),
        "cheap_ok": sum(1 for s in cheap_statuses if s == 200),
        "hog_requests": len(hog_statuses),
        "hog_504": sum(1 for s in hog_statuses if s == 504),
    }


def main() -> int:
    """Run the three targets and print each figure with its baseline and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hog-seconds", type=float, default=25, help="0: skip target 3")
    parser.add_argument("--only", default="", help='only the runs whose name ends so, e.g. "c=1"')
    parser.add_argument("--mix", choices=MIXES, default="bench", help="the bench's mix, or the second one")
    parser.add_argument("--compare", default="", help="a source tree of another version, run as `other`")
    args = parser.parse_args()
    _chosen[0] = args.mix
    _other[0] = str(Path(args.compare).resolve()) if args.compare else ""
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        runs = throughput(args.duration, args.rounds, Path(tmp), args.only)
    print(
        f"\nserver and workers on CPU 0, load on CPU {DRIVER_CPU}; {args.mix} mix of {len(mix())} queries; "
        f"{args.rounds} interleaved rounds of {args.duration} s, medians"
    )
    print(
        f"{'run':<18}{'req/s':>9}{'ok req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>11}{'non-2xx':>9}"
        f"{'5xx':>6}{'429':>7}{'sock err':>9}"
    )
    for name, loads in runs.items():

        def med(attr: str, values: list[Load] = loads) -> float:
            return statistics.median(getattr(load, attr) for load in values)

        print(
            f"{name:<18}{med('rps'):>9.0f}{med('ok_rps'):>10.0f}{med('p50_ms'):>9.2f}{med('p99_ms'):>9.2f}"
            f"{med('cpu_ms'):>11.3f}{sum(x.non_2xx for x in loads):>9}{sum(x.status_5xx for x in loads):>6}"
            f"{sum(x.status_429 for x in loads):>7}{sum(x.socket_errors for x in loads):>9}"
        )

    def ratio(mine: str, base: str) -> str:
        if mine not in runs or base not in runs:
            return "not run"
        per_round = [m.ok_rps / b.ok_rps if b.ok_rps else 0.0 for m, b in zip(runs[mine], runs[base], strict=True)]
        return f"{statistics.median(per_round):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in per_round)})"

    def cpu_ratio(mine: str, base: str) -> str:
        if mine not in runs or base not in runs:
            return "not run"
        per_round = [b.cpu_ms / m.cpu_ms if m.cpu_ms else 0.0 for m, b in zip(runs[mine], runs[base], strict=True)]
        return f"{statistics.median(per_round):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in per_round)})"

    def errors(name: str) -> int:
        return sum(x.non_2xx + x.socket_errors for x in runs.get(name, []))

    print("\nTarget 1: unique queries vs the bare FastAPI+pyoxigraph route (>= 0.8x, 0 errors)")
    for c in ("1", "16"):
        print(
            f"  c={c}: {ratio(f'ours c={c}', f'bare c={c}')}, errors {errors(f'ours c={c}')}; "
            f"CPU per request, bare / ours: {cpu_ratio(f'ours c={c}', f'bare c={c}')}"
        )
    if _other[0]:
        for c in ("1", "16"):
            print(
                f"  other c={c}: {ratio(f'other c={c}', f'bare c={c}')}; CPU bare / other: "
                f"{cpu_ratio(f'other c={c}', f'bare c={c}')}; ours / other: {ratio(f'ours c={c}', f'other c={c}')}"
            )
        print(f"  other cached vs hello-world: {ratio('other cached c=16', 'hello c=16')}")
    print(f"  cached repeats vs FastAPI hello-world (>= 0.5x): {ratio('ours cached c=16', 'hello c=16')}")
    print("Target 2: 64 clients that never back off vs 8 (>= 0.5x, 0 x 5xx)")
    print(
        f"  {ratio('ours c=64', 'ours c=8')} successful answers/s, "
        f"5xx: {sum(x.status_5xx for x in runs.get('ours c=64', []))}, "
        f"429: {sum(x.status_429 for x in runs.get('ours c=64', []))}"
    )
    if args.hog_seconds <= 0:
        return 0
    hog = hogs(args.hog_seconds)
    print("Target 3: 2 clients loop a query that runs to the deadline; a third's cheap queries (p50 < 1 s)")
    print(
        f"  cheap p50 {hog['cheap_p50_s'] * 1000:.1f} ms, max {hog['cheap_max_s'] * 1000:.0f} ms, "
        f"{hog['cheap_ok']:.0f}/{hog['cheap_requests']:.0f} answered 200; "
        f"hogs: {hog['hog_504']:.0f}/{hog['hog_requests']:.0f} ended in 504"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
