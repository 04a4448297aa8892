"""Record every linked-data answer of a sample of resources, and compare two recordings.

`python -m bench.linked_data_snapshot record DIR` builds the app on the project's data
(`create_app(real_settings())`, its own lifespan), fetches the HTML page and each RDF representation
(Turtle, N-Triples, RDF/XML, JSON-LD) of about ten resources of each kind (categories, labels, laws,
criteria, clauses, eForms codes, vocabularies...), the ontology and shapes terms, the catalogue, the
VoID, `/def/`, `/shapes/` and the dumps, and writes each body into DIR with `index.json` (URL ->
status, media type, sha256). `compare OLD NEW` says, for each URL, whether the bytes are identical,
else whether the RDF graphs are isomorphic (rdflib's comparison: blank nodes matched by structure),
and prints every other difference.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic

from graph_service.web.app import create_app
from tests.helpers import real_settings

PER_KIND = 10
SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".jsonld": "json-ld"}


def sample_paths(iris: list[str], base: str) -> list[str]:
    """About PER_KIND paths of each kind of resource under /id/, /def/ and /shapes/ (evenly spread)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for iri in iris:
        rest = iri.removeprefix(base)
        if rest.startswith("id/") and rest.count("/") >= 2:
            by_kind["id/" + rest.split("/")[1]].append(rest)
        elif rest.startswith(("def/", "shapes/")) and rest.count("/") == 1 and not rest.endswith("/"):
            by_kind[rest.split("/")[0]].append(rest)
    paths: list[str] = []
    for _kind, members in sorted(by_kind.items()):
        step = max(1, len(members) // PER_KIND)
        paths += ["/" + m for m in sorted(members)[::step][:PER_KIND]]
    return paths


def urls(client: TestClient) -> list[tuple[str, dict[str, str]]]:
    """(URL, headers) of every answer recorded."""
    publication = client.app.state.runtime.publication  # type: ignore[attr-defined]
    base = publication.settings.base_iri
    found: list[tuple[str, dict[str, str]]] = []
    html = {"Accept": "text/html"}
    for path in [*sample_paths(publication.local_iris, base), "/def/", "/shapes/"]:
        quoted = quote(path, safe="/#:-._~")
        found.append((quoted, html))
        if not path.endswith("/"):
            found += [(quoted + suffix, {}) for suffix in SUFFIXES]
    for path in ("/def/", "/shapes/"):
        for media in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"):
            found.append((path, {"Accept": media}))
    store = publication.graph.stores[0]
    foreign = sorted(
        {q.subject.value for q in store.quads_for_pattern(None, None, None) if isinstance(q.subject, ox.NamedNode)}
        - {i for i in publication.local_iris}
    )
    for iri in [i for i in foreign if not i.startswith(base)][:: max(1, len(foreign) // 12)]:
        found.append(("/describe?iri=" + quote(iri, safe=""), html))
        found += [("/describe?iri=" + quote(iri, safe="") + "&format=" + s.lstrip("."), {}) for s in SUFFIXES]
    for name in ("catalog", "void"):
        found.append(("/" + name, html))
        for suffix in SUFFIXES:
            found.append(("/" + name + suffix, {}))
    found.append(("/.well-known/void", {"Accept": "text/turtle"}))
    found.append(("/dumps/", html))
    for name in sorted(publication.dumps.files):
        found.append(("/dumps/" + name, {"Accept-Encoding": "identity"}))
    found.append(("/context.jsonld", {}))
    return found


def key_of(url: str, headers: dict[str, str]) -> str:
    """The recording's key: the URL and the Accept sent."""
    return f"{url} [{headers.get('Accept', '')}]"


def record(directory: Path) -> None:
    """Fetch every answer and write it to `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, object]] = {}
    with TestClient(create_app(real_settings())) as client:
        started = time.process_time()
        for n, (url, headers) in enumerate(urls(client)):
            response = client.get(url, headers=headers)
            body = response.content
            name = f"{n:04d}"
            (directory / name).write_bytes(body)
            index[key_of(url, headers)] = {
                "file": name,
                "status": response.status_code,
                "type": response.headers.get("content-type", ""),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        spent = time.process_time() - started
    (directory / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True))
    print(f"{len(index)} answers recorded in {directory}: {spent:.2f} CPU seconds to answer them")


def rdf_format(media_type: str) -> str | None:
    """rdflib's parser name for a media type, or None if it is not RDF."""
    for media, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ):
        if media_type.startswith(media):
            return fmt
    return None


def compare(old: Path, new: Path) -> int:
    """Print every difference between two recordings; 1 if one is not acceptable (a graph differs)."""
    a = json.loads((old / "index.json").read_text())
    b = json.loads((new / "index.json").read_text())
    bad = 0
    same = isomorphic_only = 0
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            print("ONLY IN ONE:", key)
            bad += 1
            continue
        x, y = a[key], b[key]
        if (x["status"], x["type"]) != (y["status"], y["type"]):
            print("STATUS/TYPE:", key, x["status"], x["type"], "->", y["status"], y["type"])
            bad += 1
        if x["sha256"] == y["sha256"]:
            same += 1
            continue
        fmt = rdf_format(str(y["type"]))
        body_a, body_b = (old / x["file"]).read_bytes(), (new / y["file"]).read_bytes()
        graphs = [Graph().parse(data=body, format=fmt) for body in (body_a, body_b)] if fmt else []
        if graphs and isomorphic(graphs[0], graphs[1]):
            isomorphic_only += 1
            print("ISOMORPHIC, BYTES DIFFER:", key)
            continue
        print("DIFFERS:", key)
        bad += 1
    print(f"{same} byte-identical, {isomorphic_only} isomorphic with other bytes, {bad} different")
    return 1 if bad else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "record":
        record(Path(args[0]))
    else:
        sys.exit(compare(Path(args[0]), Path(args[1])))
