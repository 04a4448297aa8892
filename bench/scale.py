"""Issue 14's runs: remote engine vs embedded, revalidation vs hello-world, soak, engine fault.

    python -m bench.scale remote [--duration 10] [--rounds 3] [--store rocksdb|memory] [--engine-kind oxigraph|virtuoso]
    python -m bench.scale revalidate [--duration 10] [--rounds 3]
    python -m bench.scale soak [--minutes 30]
    python -m bench.scale fault [--seconds 30]

Servers (ours, their query workers, Oxigraph's server) run on CPU 0, the load (wrk) on CPU 1, as
in bench/targets.py. Not tests: they measure and print.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

from bench.run import PYTHON, ROOT, free_port, start
from bench.targets import DRIVER_CPU, Load, mix, script, stop, wrk
from bench.workload import WorkItem
from graph_service.config import Settings
from tests.remote.engine import OxigraphServer, VirtuosoServer

SERVER_CPU = "0"
GRAPH_SERVICE = str(Path(PYTHON).parent / "graph-service")


def engine(kind: str, store: str) -> OxigraphServer | VirtuosoServer:
    """The engine of a remote run (tests/remote/engine.py), pinned to the server CPU: Oxigraph's server
    (`rocksdb`: `oxigraph load` then `serve-read-only`; `memory`: `oxigraph serve` loaded over HTTP) or
    a dedicated Virtuoso instance."""
    pinned = ("taskset", "-c", SERVER_CPU)
    if kind == "virtuoso":
        return VirtuosoServer(Settings(), timeout_s=10, prefix=pinned)
    return OxigraphServer(Settings(), timeout_s=10, memory=store == "memory", prefix=pinned)


def serve(env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """Our service on the server CPU, access log off unless asked (it goes to /dev/null anyway)."""
    port = free_port()
    process, _ = start(
        [GRAPH_SERVICE, "serve", "--port", str(port)],
        port,
        "/sparql",
        {"PYTHONPATH": str(ROOT), "KG_ACCESS_LOG": "false", **(env or {})},
    )
    return process, port


def counts(port: int, item: WorkItem) -> int:
    """Rows (or triples) of one query of the mix: CSV lines less the header, or N-Triples lines."""
    graph = item.returns in ("construct", "describe")
    response = httpx.get(
        f"http://127.0.0.1:{port}/sparql",
        params={"query": item.query},
        timeout=60,
        headers={"Accept": "application/n-triples" if graph else "text/csv"},
    )
    response.raise_for_status()
    if graph:
        return len(list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)))
    return len(list(csv.reader(io.StringIO(response.text)))) - 1


def median_ratio(mine: list[Load], base: list[Load]) -> str:
    per_round = [m.ok_rps / b.ok_rps if b.ok_rps else 0.0 for m, b in zip(mine, base, strict=True)]
    return f"{statistics.median(per_round):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in per_round)})"


def table(runs: dict[str, list[Load]]) -> None:
    print(f"{'run':<26}{'ok req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'5xx':>6}{'sock err':>9}")
    for name, loads in runs.items():

        def med(attr: str, values: list[Load] = loads) -> float:
            return statistics.median(getattr(load, attr) for load in values)

        print(
            f"{name:<26}{med('ok_rps'):>10.0f}{med('p50_ms'):>9.2f}{med('p99_ms'):>9.2f}"
            f"{sum(x.non_2xx for x in loads):>9}{sum(x.status_5xx for x in loads):>6}"
            f"{sum(x.socket_errors for x in loads):>9}"
        )


def remote(duration: int, rounds: int, workers: int, store: str, kind: str) -> None:
    """(a) Unique queries at c=16: the service over Oxigraph's server (or Virtuoso) vs embedded workers."""
    items = mix()
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "unique.lua"
        lua.write_text(script(items, unique=True))
        server = engine(kind, store)
        embedded = serve()
        remote_mode = serve(
            {"KG_ENGINE_URL": server.url, "KG_ENGINE_DATASET": server.dataset, "KG_WORKERS": str(workers)}
        )
        try:
            mismatches = [(item.name, counts(embedded[1], item), counts(remote_mode[1], item)) for item in items]
            same = [m for m in mismatches if m[1] == m[2]]
            print(
                f"row counts: {len(same)}/{len(items)} queries give the same count in both modes "
                f"({sum(m[1] for m in mismatches)} rows in all)"
            )
            for name, a, b in mismatches:
                if a != b:
                    print(f"  DIFFERENT {name}: embedded {a}, remote {b}")
            name = "virtuoso" if kind == "virtuoso" else f"oxigraph {store}"
            runs: dict[str, list[Load]] = {"embedded c=16": [], f"{name} c=16 ({workers} conn)": []}
            servers = [embedded[1], remote_mode[1]]
            for port in servers:
                wrk(port, 16, 2, lua)
            for _ in range(rounds):
                for name, port in zip(runs, servers, strict=True):
                    runs[name].append(wrk(port, 16, duration, lua))
        finally:
            stop(embedded[0])
            stop(remote_mode[0])
            server.remove()
    print(f"\nunique queries (mix of {len(items)}), c=16, {rounds} interleaved rounds of {duration} s, medians")
    table(runs)
    names = list(runs)
    print(f"remote / embedded (target >= 0.7x): {median_ratio(runs[names[1]], runs[names[0]])}")


def revalidation_script(entries: list[tuple[str, str, str]]) -> str:
    """wrk: cycle through (path, accept, etag), sending If-None-Match; count the 304s."""
    rows = ",\n".join(f'  {{"{path}", "{accept}", \'{etag}\'}}' for path, accept, etag in entries)
    return f"""
local requests = {{
{rows}
}}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) i = 0; n304 = 0; s5 = 0; s429 = 0 end
function request()
  i = i % #requests + 1
  local r = requests[i]
  return wrk.format("GET", r[1], {{["Accept"] = r[2], ["If-None-Match"] = r[3]}})
end
function response(status, headers, body)
  if status == 304 then n304 = n304 + 1 elseif status >= 500 then s5 = s5 + 1 end
end
function done(summary, latency, requests)
  local t304, t5 = 0, 0
  for _, t in ipairs(threads) do t304 = t304 + t:get("n304"); t5 = t5 + t:get("s5") end
  io.write(string.format("STATUS304 %d\\nSTATUS5XX %d\\nSTATUS429 0\\n", t304, t5))
end
"""


def revalidate(duration: int, rounds: int) -> None:
    """(b) Repeated GETs with If-None-Match (304s) vs a FastAPI hello-world's 200s, c=16."""
    item = mix()[0]
    paths = [
        (f"/sparql?query={quote(item.query, safe='')}", item.accept),
        ("/api/labels/eu-ecolabel", "application/json"),
        ("/id/label/eu-ecolabel", "text/turtle"),
        ("/catalog", "text/turtle"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        hello_lua, ours_lua = Path(tmp) / "hello.lua", Path(tmp) / "ours.lua"
        hello_lua.write_text(script([WorkItem("hello", "hello", "select")], unique=False))
        port = free_port()
        hello, _ = start(
            [
                PYTHON,
                "-m",
                "uvicorn",
                "bench.hello:app",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            port,
            "/sparql",
            {"PYTHONPATH": str(ROOT)},
        )
        public = {"KG_PUBLIC_BASE_URL": "https://graph.example.fr"}  # replicas share it (docs/operators.md, Replicas)
        ours = serve(public)
        as_deployed = serve({"KG_ACCESS_LOG": "true", **public})
        try:
            entries = []
            for path, accept in paths:
                response = httpx.get(f"http://127.0.0.1:{ours[1]}{path}", headers={"Accept": accept})
                etag = response.headers["etag"]
                again = httpx.get(
                    f"http://127.0.0.1:{as_deployed[1]}{path}", headers={"Accept": accept, "If-None-Match": etag}
                )
                assert again.status_code == 304, (path, again.status_code)  # the other replica agrees
                entries.append((path, accept, etag))
            ours_lua.write_text(revalidation_script(entries))
            plan = [
                ("hello-world 200 c=16", port, hello_lua),
                ("ours 304, no access log", ours[1], ours_lua),
                ("ours 304, access log on", as_deployed[1], ours_lua),
            ]
            runs: dict[str, list[Load]] = {name: [] for name, *_ in plan}
            for _name, p, lua in plan:
                wrk(p, 16, 2, lua)
            for _ in range(rounds):
                for name, p, lua in plan:
                    runs[name].append(wrk(p, 16, duration, lua))
        finally:
            stop(hello)
            stop(ours[0])
            stop(as_deployed[0])
    print(
        f"\nrepeated GETs with If-None-Match over {len(paths)} URLs (SPARQL, API, page, catalogue), c=16, "
        f"{rounds} rounds of {duration} s"
    )
    table(runs)
    names = list(runs)
    print(f"304s (no access log) / hello-world (target >= 0.8x): {median_ratio(runs[names[1]], runs[names[0]])}")
    print(f"304s (access log on) / hello-world: {median_ratio(runs[names[2]], runs[names[0]])}")


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (KiB)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending.extend(int(c) for c in children)
    return total


def process_rss_kib(pid: int) -> int:
    """Resident memory of one process (KiB); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    except (FileNotFoundError, ProcessLookupError):
        return 0


def soak(minutes: float, output: Path) -> None:
    """(c) Mixed load for `minutes`, RSS of the server and its workers sampled every 10 s."""
    mixed = mix()
    with tempfile.TemporaryDirectory() as tmp:
        unique, cached = Path(tmp) / "unique.lua", Path(tmp) / "cached.lua"
        unique.write_text(script(mixed, unique=True))
        cached.write_text(script(mixed, unique=False))
        process, port = serve({"KG_ACCESS_LOG": "true"})  # as deployed (the lines go to /dev/null)
        samples: list[tuple[float, int]] = []
        server_rss: list[int] = []
        statuses: collections.Counter[int] = collections.Counter()
        errors: collections.Counter[tuple[str, int]] = collections.Counter()  # side client, by URL
        stop_at = time.monotonic() + minutes * 60
        started = time.monotonic()

        def api_and_pages() -> None:
            urls = [
                "/api/labels",
                "/api/labels/eu-ecolabel",
                "/id/label/eu-ecolabel",
                "/catalog",
                "/void",
                "/api/categories/laptop/labels",
                "/api/paths?from=laptop&to=eu-ecolabel",
                "/nothing-here",
                "/sparql?query=SELEC",
                "/metrics",
                "/health",
            ]
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                n = 0
                while time.monotonic() < stop_at:
                    n += 1
                    url = urls[n % len(urls)]
                    response = client.get(url, headers={"X-Request-ID": f"soak-{n}"})
                    statuses[response.status_code] += 1
                    if response.status_code >= 500:
                        errors[(url, response.status_code)] += 1

        side = threading.Thread(target=api_and_pages)
        side.start()
        try:
            round_no = 0
            while time.monotonic() < stop_at:
                round_no += 1
                samples.append((time.monotonic() - started, tree_rss_kib(process.pid)))
                server_rss.append(process_rss_kib(process.pid))
                seconds = max(1, min(10, int(stop_at - time.monotonic())))
                load = wrk(port, 8, seconds, unique if round_no % 2 else cached)
                statuses[200] += load.requests - load.non_2xx
                statuses[-5] += load.status_5xx
            samples.append((time.monotonic() - started, tree_rss_kib(process.pid)))
            server_rss.append(process_rss_kib(process.pid))
            side.join()
        finally:
            stop(process)
    with output.open("w") as out:
        out.write("seconds,rss_kib,server_rss_kib\n")
        for (t, rss), server in zip(samples, server_rss, strict=True):
            out.write(f"{t:.0f},{rss},{server}\n")
    after_one = next((rss for t, rss in samples if t >= 60), samples[-1][1])
    end = samples[-1][1]
    print(
        f"soak {minutes:g} min: RSS (server + workers) at start {samples[0][1] / 1024:.1f} MiB, "
        f"after 1 min {after_one / 1024:.1f} MiB, at end {end / 1024:.1f} MiB "
        f"({(end - after_one) / after_one * 100:+.1f} % vs 1 min; target within 10 %); "
        f"max {max(r for _, r in samples) / 1024:.1f} MiB; samples in {output}"
    )
    print(f"answers: {dict(sorted(statuses.items()))} (-5 = wrk's 5xx count)")
    if errors:
        print(f"5xx of the side client, by URL: {dict(errors)}")


def fault(seconds: float, store: str, kind: str) -> None:
    """(d) Load on the remote mode; the engine stopped at 1/3 and restarted at 2/3 of the run."""
    items = mix()
    server = engine(kind, store)
    process, port = serve({"KG_ENGINE_URL": server.url, "KG_ENGINE_DATASET": server.dataset, "KG_QUERY_TIMEOUT_S": "5"})
    pid = process.pid
    log: list[tuple[float, int]] = []
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds

    def client(k: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                item = items[(n + k) % len(items)]
                try:
                    status = http.get(
                        "/sparql", params={"query": f"{item.query}#{k}-{n}"}, headers={"Accept": item.accept}
                    ).status_code
                except httpx.TransportError:
                    status = -1
                with lock:
                    log.append((time.monotonic() - started, status))
                time.sleep(0.005)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        server.stop()
        stopped_at = time.monotonic() - started
        time.sleep(seconds / 3)
        server.start()
        restarted_at = time.monotonic() - started
        for thread in threads:
            thread.join()
        same_process = process.poll() is None and process.pid == pid
    finally:
        stop(process)
        server.remove()
    phases = {
        "before": (0, stopped_at),
        "engine down": (stopped_at, restarted_at),
        "after restart": (restarted_at, seconds),
    }
    print(
        f"\nfault run, {seconds:g} s, 4 clients, engine stopped at {stopped_at:.1f} s and restarted at "
        f"{restarted_at:.1f} s (restart took part of that)"
    )
    for name, (a, b) in phases.items():
        statuses = collections.Counter(s for t, s in log if a <= t < b)
        print(f"  {name:<14} {dict(sorted(statuses.items()))}")
    first_ok = next((t for t, s in sorted(log) if t >= restarted_at and s == 200), None)
    last_error = max((t for t, s in log if s != 200), default=None)
    print(
        f"  first 200 after the restart: {first_ok - restarted_at if first_ok else float('nan'):.2f} s; "
        f"last non-200 at {last_error:.1f} s; service process never restarted: {same_process}"
    )


def main() -> int:
    """Run one of the four."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="run", required=True)
    for name in ("remote", "revalidate"):
        p = sub.add_parser(name)
        p.add_argument("--duration", type=int, default=10)
        p.add_argument("--rounds", type=int, default=3)
        if name == "remote":
            p.add_argument("--workers", type=int, default=2, help="KG_WORKERS of the remote mode (connections)")
            p.add_argument("--store", choices=("rocksdb", "memory"), default="rocksdb", help="Oxigraph's storage")
            p.add_argument(
                "--engine-kind",
                choices=("oxigraph", "virtuoso"),
                default="oxigraph",
                help="the engine (virtuoso: apt-get install virtuoso-opensource)",
            )
    p = sub.add_parser("soak")
    p.add_argument("--minutes", type=float, default=30)
    p.add_argument("--output", type=Path, default=Path("soak-rss.csv"))
    p = sub.add_parser("fault")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--store", choices=("rocksdb", "memory"), default="rocksdb", help="Oxigraph's storage")
    p.add_argument("--engine-kind", choices=("oxigraph", "virtuoso"), default="oxigraph", help="the engine")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    os.sched_setaffinity(0, {int(DRIVER_CPU)})
    if args.run == "remote":
        remote(args.duration, args.rounds, args.workers, args.store, args.engine_kind)
    elif args.run == "revalidate":
        revalidate(args.duration, args.rounds)
    elif args.run == "soak":
        soak(args.minutes, args.output)
    else:
        fault(args.seconds, args.store, args.engine_kind)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
