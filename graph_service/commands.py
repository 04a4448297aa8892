"""`graph-service query NAME --param k=v --format table|json|csv` and `graph-service path FROM TO`."""

from __future__ import annotations

import argparse
import json
import sys

from graph_service.config import Settings
from graph_service.named.binding import BindingError
from graph_service.runtime import Runtime, StartupRefusedError, build_runtime, open_dataset


def _state(settings: Settings) -> Runtime | None:
    """The runtime the server builds (without its query workers), from valid data only."""
    try:
        dataset = open_dataset(settings).require_valid()
    except StartupRefusedError as exc:
        print(exc.report, file=sys.stderr)
        return None
    return build_runtime(dataset)


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    """Run a named query with typed parameters; 2 on a bad name or value."""
    from graph_service.domain.queries import run_named, to_csv, to_table

    state = _state(settings)
    if state is None:
        return 1
    spec = state.queries.get(args.name)
    if spec is None:
        print(f"no named query {args.name!r}; known: {', '.join(state.queries.names())}", file=sys.stderr)
        return 2
    raw: dict[str, str] = {}
    for pair in args.param:
        key, sep, value = pair.partition("=")
        if not sep:
            print(f"--param expects k=v, got {pair!r}", file=sys.stderr)
            return 2
        raw[key] = value
    try:
        result = run_named(state.store, state.index, spec, raw, settings.max_rows)
    except BindingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps({"columns": result.columns, "rows": result.rows, "truncated": result.truncated},
                         ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(to_csv(result))
    else:
        print(to_table(result))
    return 0


def cmd_path(args: argparse.Namespace, settings: Settings) -> int:
    """Print the shortest paths between two resources, explained."""
    from graph_service.paths.search import explain, shortest_paths, steps_of

    state = _state(settings)
    if state is None:
        return 1
    ends = []
    for raw in (args.source, args.target):
        res = state.index.resolve(raw)
        if res is None or res.iri not in state.projection.graph:
            close = ", ".join(r.id for r in state.index.suggest(raw))
            print(f"no resource {raw!r} in the path graph" + (f"; did you mean {close}?" if close else ""),
                  file=sys.stderr)
            return 2
        ends.append(res.iri)
    paths = shortest_paths(state.projection, ends[0], ends[1], args.max_hops, args.limit)
    if not paths:
        print(f"no path of at most {args.max_hops} steps", file=sys.stderr)
        return 1
    for path in paths:
        steps = steps_of(state.projection, path)
        print(explain(state.projection, path, steps, lambda i: state.read.ref(i, args.lang).name, args.lang))
    return 0


def add_api_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the `query` and `path` sub-commands."""
    p = sub.add_parser("query", help="run a named query of queries/ with typed parameters")
    p.add_argument("name", help="query name, e.g. labels-for-category")
    p.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter (repeatable)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("path", help="explain how two resources are linked (shortest paths)")
    p.add_argument("source", metavar="FROM", help="id, prefixed name or IRI")
    p.add_argument("target", metavar="TO", help="id, prefixed name or IRI")
    p.add_argument("--max-hops", type=int, default=4)
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--lang", choices=("fr", "en"), default="en")
    p.set_defaults(func=cmd_path)
