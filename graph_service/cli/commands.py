"""`graph-service query NAME --param k=v [--lang fr] --format table|json|csv`, `query --list`, and
`graph-service path FROM TO`."""

from __future__ import annotations

import argparse
import json
import sys

from graph_service.config import Settings
from graph_service.domain.queries import Cell
from graph_service.named.binding import BindingError
from graph_service.named.catalog import load_catalog
from graph_service.named.header import HeaderError
from graph_service.namespaces import PREFIXES
from graph_service.runtime import Runtime, StartupRefusedError, build_runtime, open_dataset


def _state(settings: Settings) -> Runtime | None:
    """The runtime the server builds (without its query workers), from valid data only."""
    try:
        dataset = open_dataset(settings, reuse_verdict=True).require_valid()  # `validate` is the gate
    except StartupRefusedError as exc:
        print(exc.report, file=sys.stderr)
        return None
    return build_runtime(dataset)


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    """Run a named query with typed parameters (or list them); 2 on a bad name or value."""
    from graph_service.domain.queries import NamedResult, run_named, to_csv, to_table

    if args.list or args.name is None:
        return _list_queries(settings, args.lang)
    state = _state(settings)
    if state is None:
        return 1
    spec = state.queries.get(args.name)
    if spec is None:
        print(f"no named query {args.name!r}; known: {', '.join(state.queries.names())} "
              "(graph-service query --list)", file=sys.stderr)  # fmt: skip
        return 2
    raw: dict[str, str] = {}
    for pair in args.param:
        key, sep, value = pair.partition("=")
        if not sep:
            print(f"--param expects k=v, got {pair!r}", file=sys.stderr)
            return 2
        raw[key] = value
    if args.lang and spec.param("lang") is not None:
        raw.setdefault("lang", args.lang)
    try:
        result = run_named(state.store, state.index, spec, raw, settings.max_rows)
    except BindingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.format == "json":
        print(
            json.dumps(
                {"columns": result.columns, "rows": result.rows, "truncated": result.truncated},
                ensure_ascii=False,
                indent=2,
            )
        )
    elif args.format == "csv":
        sys.stdout.write(to_csv(result))
    else:
        titles = spec.column_titles(result.columns, args.lang or "en")
        rows = [
            dict(zip(titles, (shorten(state, row.get(c)) for c in result.columns), strict=True)) for row in result.rows
        ]
        print(to_table(NamedResult(titles, rows, result.params, result.truncated)))
    return 0


def shorten(state: Runtime, value: Cell) -> Cell:
    """For a table read by people: a graph resource as its short id, a known namespace as a prefixed
    name, another long URL as its last path segments (`…/labels/produits/#tableau`)."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    res = state.index.resolve(value)
    if res is not None and res.iri == value:
        return res.id
    for prefix, namespace in PREFIXES.items():
        local = value.removeprefix(namespace)
        if local != value and local and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    if len(value) <= 40:
        return value
    path, _, fragment = value.partition("#")
    tail = "/".join(path.rstrip("/").split("/")[-2:]) + ("/" if path.endswith("/") else "")
    return "…/" + tail + (f"#{fragment}" if fragment else "")


def _list_queries(settings: Settings, lang: str | None) -> int:
    """The named queries: name, title, parameters (a star marks the required ones)."""
    try:
        catalog = load_catalog(settings.queries_dir)
    except (HeaderError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for spec in catalog:
        params = " ".join(f"{p.name}{'*' if p.required else ''}={p.type}" for p in spec.params)
        print(f"{spec.name:32} {spec.titles.get(lang or 'en', spec.titles['en'])}")
        if params:
            print(f"{'':32}   {params}")
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
            print(
                f"no resource {raw!r} in the path graph" + (f"; did you mean {close}?" if close else ""),
                file=sys.stderr,
            )
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
    p.add_argument("name", nargs="?", help="query name, e.g. labels-for-category (see --list)")
    p.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="a parameter (repeatable), e.g. category=laptop (an id, prefixed name or IRI)",
    )
    p.add_argument(
        "--lang",
        choices=("fr", "en"),
        default=None,
        help="language of names and column titles (sets the query's lang parameter; default en)",
    )
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table: for reading (short ids, titled columns); json, csv: full IRIs",
    )
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("path", help="explain how two resources are linked (shortest paths)")
    p.add_argument("source", metavar="FROM", help="id, prefixed name or IRI")
    p.add_argument("target", metavar="TO", help="id, prefixed name or IRI")
    p.add_argument("--max-hops", type=int, default=4)
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--lang", choices=("fr", "en"), default="en")
    p.set_defaults(func=cmd_path)
