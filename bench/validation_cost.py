"""What SHACL validation costs, before and after the fast path (issue 25), at several data sizes.

    python -m bench.validation_cost --sizes 1,10,100 [--jobs 1,2] [--skip-before]

For each size the data is `bench.scaling_data`'s (the project's plus copies under distinct IRIs), in a
temp dir. Each mode runs in its own process; CPU is the process's and its children's (user + system):
- before: rdflib parses every file, pyshacl as it comes (its list of constraint parameters, its result
  texts), one process: the code before this bench;
- after, N jobs: `shacl_jobs.validate_files` (a child process, Oxigraph's parse, N forked jobs).
The reports of all modes are compared (verdict and every result); a difference is printed as such.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import astuple
from pathlib import Path

from graph_service.config import Settings
from graph_service.dataset.loading import project_files


def run_mode(mode: str, data: Path) -> dict[str, object]:
    """One validation in this process (called in a fresh interpreter by `measure`)."""
    from graph_service.dataset import loading, shacl_jobs, validation

    settings = Settings()
    files = project_files(settings, [data])
    started, cpu = time.perf_counter(), time.process_time()
    parse_cpu = None
    if mode == "before":
        from pyshacl import shape

        shape.CONSTRAINT_PARAMS = (None, None)  # type: ignore[attr-defined]
        validation._describe = None
        loaded = loading.load_files(files)
        parse_cpu = time.process_time() - cpu
        report = validation.validate_graph(loaded, validation.load_shapes(settings.shapes_file))
    else:
        report = shacl_jobs.validate_files(files, settings.shapes_file, int(mode))
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    return {
        "wall": wall,
        "cpu": total_cpu,
        "parse_cpu": parse_cpu,
        "peak_child_mb": children.ru_maxrss / 1024,
        "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "conforms": report.conforms,
        "violations": sorted(map(str, map(astuple, report.violations))),
    }


def measure(mode: str, data: Path) -> dict[str, object]:
    """`run_mode` in a fresh interpreter, so that nothing is shared between modes."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.validation_cost", "--one", mode, str(data)],
        stdout=subprocess.PIPE,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--skip-before", action="store_true")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_mode(args.one[0], Path(args.one[1]))))
        return
    modes = ([] if args.skip_before else ["before"]) + args.jobs.split(",")
    print("| data | triples | mode | wall s | CPU s | parse CPU s | peak RSS MB (self / child) | same report |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            if size == 1:
                data = Settings().data_dir
            else:
                subprocess.run(
                    [sys.executable, "-m", "bench.scaling_data", "--size", str(size), "--out", str(data)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            import pyoxigraph as ox

            triples = sum(len(list(ox.parse(path=f))) for f in project_files(Settings(), [data]))
            first: dict[str, object] | None = None
            for mode in modes:
                result = measure(mode, data)
                first = first or result
                same = Counter(result["violations"]) == Counter(first["violations"])  # type: ignore[arg-type]
                same = same and result["conforms"] == first["conforms"]
                label = "before (rdflib, pyshacl as it comes)" if mode == "before" else f"after, {mode} job(s)"
                parse = f"{result['parse_cpu']:.1f}" if result["parse_cpu"] is not None else "–"
                print(
                    f"| {size}x | {triples:,} | {label} | {result['wall']:.1f} | {result['cpu']:.1f} | {parse} |"
                    f" {result['peak_self_mb']:.0f} / {result['peak_child_mb']:.0f} | {'yes' if same else 'NO'} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
