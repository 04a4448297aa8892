"""Larger data for the scaling bench: the project's data plus copies of it under distinct IRIs.

    python -m bench.scaling_data --size 10 --out /tmp/data-10x

Copy k (1 .. size-1) of every data file but the shared ones (the controlled vocabularies, the
dataset's description, the laws and the eForms code lists) is one N-Triples file `copy-{k}.nt`: every
IRI of the graph's own resources (`{base}id/...` described in the copied files, the vocabularies'
concepts excepted) gets the suffix `-c{k}`, and their language-tagged labels get ` (copy k)`, so that
the copies are distinct resources with distinct names that keep every shape's constraints (same
classes, same links, same datatypes). External IRIs (CPV codes, EUR-Lex, the guide's pages) and the
shared resources stay the same, so the copies link to the same outside world, as new guides would.
The ontology is not copied. Written to the folder given (the bench: a temp dir).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pyoxigraph as ox

from graph_service.config import Settings

# One of each in any dataset, whatever its size: the vocabularies, the dataset's description, the laws and
# the eForms code lists are the same world for every guide added (and shapes name some of their IRIs).
SHARED = ("vocabularies.ttl", "dataset.ttl", "legal.ttl", "eforms.ttl")
_LABELS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://purl.org/dc/terms/title",
}


def copy_quads(quads: list[ox.Quad], base: str, k: int) -> list[ox.Triple]:
    """The triples of one copy: own IRIs suffixed with -c{k}, labels with ' (copy k)'."""
    own = {
        q.subject.value
        for q in quads
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(f"{base}id/")
        and not q.subject.value.startswith(f"{base}id/vocab/")
    }

    def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.NamedNode):
            iri = term.value
            if iri in own:
                head, sep, fragment = iri.partition("#")
                return ox.NamedNode(f"{head}-c{k}{sep}{fragment}")
            return term
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(f"{term.value}c{k}")
        assert not isinstance(term, ox.Triple)
        return term

    triples = []
    for quad in quads:
        obj = rename(quad.object)
        if isinstance(obj, ox.Literal) and quad.predicate.value in _LABELS and quad.subject.value in own:
            obj = ox.Literal(f"{obj.value} (copy {k})", language=obj.language) if obj.language else obj
        subject = rename(quad.subject)
        assert not isinstance(subject, ox.Literal)
        triples.append(ox.Triple(subject, quad.predicate, obj))
    return triples


def generate(size: int, out: Path, settings: Settings | None = None) -> int:
    """Write the data folder of `size` times the project's data into `out`; the number of files."""
    settings = settings or Settings()
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(settings.data_dir.glob("*.ttl"))
    for path in sources:
        shutil.copy(path, out / path.name)
    copied: list[ox.Quad] = []
    for path in sources:
        if path.name not in SHARED:
            copied.extend(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    for k in range(1, size):
        triples = copy_quads(copied, settings.base_iri, k)
        (out / f"copy-{k}.nt").write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return len(sources) + size - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(generate(args.size, args.out), "files in", args.out)


if __name__ == "__main__":
    main()
