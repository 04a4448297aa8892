"""Command line: `graph-service validate|summary|...`; exit code 1 on invalid data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from graph_service.cli.commands import add_api_commands
from graph_service.config import Settings
from graph_service.publishing.summaries import render_summary
from graph_service.runtime import Dataset, StartupRefusedError, open_dataset

Command = Callable[[argparse.Namespace, Settings], int]


def opened(settings: Settings, paths: Sequence[str] = ()) -> Dataset | None:
    """The dataset as the server opens it (validation included); None after printing why it cannot be read."""
    try:
        return open_dataset(settings, [Path(p) for p in paths] or None)
    except StartupRefusedError as exc:
        print(exc.report, file=sys.stderr)
        return None


def valid(settings: Settings) -> Dataset | None:
    """The dataset when it conforms; else None after printing the report."""
    dataset = opened(settings)
    if dataset is not None and not dataset.report.conforms:
        print(dataset.report.render(), file=sys.stderr)
        return None
    return dataset


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the ontology and data (or the given files) against the shapes."""
    dataset = opened(settings, args.paths)
    if dataset is None:
        return 1
    print(dataset.report.render())
    if dataset.report.conforms:
        print(render_summary(dataset.store))
    return 0 if dataset.report.conforms else 1


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Print the number of triples and instances per class (of valid data)."""
    dataset = valid(settings)
    if dataset is None:
        return 1
    print(render_summary(dataset.store))
    return 0


def cmd_diagram(args: argparse.Namespace, settings: Settings) -> int:
    """Print the model diagram, or write it into a Markdown file between its markers."""
    from graph_service.cli.diagram import mermaid, replace_block
    from graph_service.dataset.loading import load_files, ontology_files

    diagram = mermaid(load_files(ontology_files(settings)).graph)
    if args.write:
        target = Path(args.write)
        target.write_text(replace_block(target.read_text(encoding="utf-8"), diagram), encoding="utf-8")
    else:
        print(diagram)
    return 0


def cmd_settings_doc(args: argparse.Namespace, settings: Settings) -> int:
    """Print the settings reference (Markdown), or write it to a file (docs/settings.md)."""
    from graph_service.cli.settings_doc import render

    page = render()
    if args.write:
        Path(args.write).write_text(page, encoding="utf-8")
    else:
        print(page, end="")
    return 0


def cmd_check_citations(args: argparse.Namespace, settings: Settings) -> int:
    """Check every pinned page and cited anchor of the data against a clone of the source repository."""
    from graph_service.dataset.citations import check
    from graph_service.dataset.loading import discover_files, load_files

    repo = Path(args.repo)
    if not repo.exists():
        print(f"no repository at {repo}", file=sys.stderr)
        return 2
    report = check(load_files(discover_files([settings.data_dir])).graph, repo)
    print(report.render())
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the validated graph as Turtle, N-Triples and JSON-LD, its context and SHA256SUMS, and
    graph.nq (the store as the service holds it: one named graph per file) for a SPARQL engine."""
    from graph_service.dataset.store import ENGINE_FILE, dump_nquads
    from graph_service.publishing.dumps import build_dumps, export

    dataset = valid(settings)
    if dataset is None:
        return 1
    dumps = build_dumps(dataset.store)
    for path in export(dumps, Path(args.directory)):
        file = dumps.files[path.name]
        print(f"{file.sha256}  {file.size:>9}  {path}")
    quads = Path(args.directory) / ENGINE_FILE
    quads.write_bytes(dump_nquads(dataset.store))
    print(f"{'(for a SPARQL engine: one named graph per file)':>74}  {quads}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Load, validate and serve the graph over HTTP (SPARQL 1.1 Protocol); 1 on invalid data."""
    from graph_service.web.app import run_server

    given = (
        ("host", args.host),
        ("port", args.port),
        ("access_log", args.access_log),
        ("engine_url", args.engine),
        ("engine_dataset", args.engine_dataset),
    )
    overrides = {k: v for k, v in given if v is not None}
    return run_server(settings.model_copy(update=overrides), fd=args.fd)


def cmd_mcp(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the MCP tools on stdin/stdout (graph_service/mcp_server.py); 1 on invalid data."""
    import asyncio

    from graph_service.mcp_server import serve_stdio
    from graph_service.runtime import StartupRefusedError, start_runtime

    async def serve() -> None:
        runtime = await start_runtime(settings)
        try:
            await serve_stdio(runtime)
        finally:
            await runtime.close()

    try:
        asyncio.run(serve())
    except StartupRefusedError as exc:
        print(f"graph-service: refusing to start.\n{exc.report}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per job."""
    parser = argparse.ArgumentParser(prog="graph-service", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check ontology and data against the SHACL shapes")
    p.add_argument("paths", nargs="*", help="data files or folders (default: the data folder)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("summary", help="count triples and instances per class")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("diagram", help="print the ontology as a Mermaid class diagram")
    p.add_argument("--write", metavar="FILE", help="replace the diagram block of this Markdown file (docs/model.md)")
    p.set_defaults(func=cmd_diagram)

    p = sub.add_parser("settings-doc", help="print the settings reference (KG_* variables) as Markdown")
    p.add_argument("--write", metavar="FILE", help="write it to this file (docs/settings.md)")
    p.set_defaults(func=cmd_settings_doc)

    p = sub.add_parser("serve", help="serve the validated graph over HTTP (SPARQL endpoint)")
    p.add_argument("--host", help="interface to listen on (default: KG_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: KG_PORT or 8000)")
    p.add_argument(
        "--fd",
        type=int,
        help="serve on this already bound and listening socket (an inherited file "
        "descriptor, as systemd's socket activation or a test gives it) instead of --host/--port",
    )
    p.add_argument(
        "--engine",
        metavar="URL",
        help="answer SPARQL with this SPARQL 1.1 endpoint holding the data (default: KG_ENGINE_URL; "
        "unset: embedded Oxigraph workers)",
    )
    p.add_argument(
        "--engine-dataset",
        choices=("union", "graphs"),
        help="union: the engine's default graph is the union of this data's graphs; graphs: every "
        "query names them as its dataset (default: KG_ENGINE_DATASET, union)",
    )
    p.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one JSON line per request on standard output (default: KG_ACCESS_LOG, on)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("mcp", help="serve the read-only MCP tools for assistants on stdin/stdout")
    p.set_defaults(func=cmd_mcp)

    p = sub.add_parser("export", help="write the graph dumps (Turtle, N-Triples, JSON-LD) and checksums")
    p.add_argument("directory", help="folder to write into (created if missing)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "check-citations", help="check the pinned source pages and cited anchors against a clone of DISIC/MiNumEco"
    )
    p.add_argument("--repo", required=True, metavar="PATH", help="a clone (bare or not) of the site's repository")
    p.set_defaults(func=cmd_check_citations)
    add_api_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `graph-service` command."""
    args = build_parser().parse_args(argv)
    func: Command = args.func
    return func(args, Settings())


if __name__ == "__main__":
    sys.exit(main())
