"""Larger data for the scaling bench: the project's data plus realistic additions, or copies of it.

    python -m bench.scaling_data --size 10 --out /tmp/data-10x [--kind certificates|copies]

`certificates` (the default): the project's data unchanged plus N-Triples files `certificates-NNN.nt`
(100,000 triples each at most) of what users would add, certificates of product models granted under the graph's labels
(ontology: `schema:Certification`, docs/model.md). Each product model (`schema:ProductModel`,
a name, a `schema:Brand`, one purchase category of the graph that some label covers, directly or
through a broader category) holds one certificate per label it carries (one to three of the labels
covering its category), each with a number, `schema:validFrom` spread over 2016-2026, `schema:expires`
after the label's validity period (three years when the label gives none), so that many have
expired and some are renewed, the label's issuer and the register page as source. Products are
added until the file holds about `size - 1` times the project's triples, so Nx has about N times
the triples, with categories, labels and laws unchanged (what grows is the certificates, as it
would). Deterministic (seeded).

`copies` (the stress mode): copy k (1 .. size-1) of every data file but the shared ones (the
controlled vocabularies, the dataset's description, the laws and the eForms code lists) is one
N-Triples file `copy-{k}.nt`: every IRI of the graph's own resources (`{base}id/...` described in the
copied files, the vocabularies' concepts excepted) gets the suffix `-c{k}`, and their language-tagged
labels get ` (copy k)`, so that the copies are distinct resources with distinct names that keep every
shape's constraints. External IRIs (CPV codes, EUR-Lex, the guide's pages) and the shared resources
stay the same. Copies multiply the categories and the labels together, so an answer over labels ×
categories (the coverage matrix) grows with the square of the size by construction.
The ontology is not copied. Written to the folder given (the bench: a temp dir).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from collections import defaultdict
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
        if isinstance(obj, ox.Literal) and quad.predicate.value in _LABELS and str(quad.subject)[1:-1] in own:
            obj = ox.Literal(f"{obj.value} (copy {k})", language=obj.language) if obj.language else obj
        subject = rename(quad.subject)
        assert not isinstance(subject, ox.Literal)
        triples.append(ox.Triple(subject, quad.predicate, obj))
    return triples


KINDS = ("certificates", "copies")
FILE_TRIPLES = 100_000  # per certificates-NNN.nt: about 18 MB, under the loader's per-file limit (32 MiB)
SCHEMA, ANR = "https://schema.org/", "https://w3id.org/achats-numeriques-responsables/def/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
FIRST_DAY, SPAN_DAYS = dt.date(2016, 1, 1), 11 * 365  # certificates granted from 2016 to the end of 2026
REFERENCE_DAY = dt.date(2026, 12, 1)  # expired means before this day (the output does not depend on the run's day)
RENEWED = 0.5  # share of expired certificates renewed under the same label
_SYLLABLES = ("ka", "lo", "vi", "ter", "mo", "ra", "zen", "qua", "tri", "no", "sel", "ix", "dor", "pa", "lum", "eco")
_SERIES = ("Book", "Pro", "Station", "Slim", "Go", "Max", "Air", "Office", "Flex", "Edge", "Prime", "View")
_WORLD = """
SELECT ?category ?label ?issuer ?years ?url WHERE {
  { ?cov a anr:Coverage ; anr:coverageOf ?label ; anr:coveredCategory ?covered .
    ?category a anr:PurchaseCategory ; skos:broader* ?covered . }
  OPTIONAL { ?label anr:issuer ?issuer }
  OPTIONAL { ?label anr:validityPeriodYears ?years }
  OPTIONAL { ?label schema:url ?url }
}"""


def _world(store: ox.Store) -> tuple[dict[str, list[str]], dict[str, tuple[str | None, int]]]:
    """Labels covering each purchase category (directly or through a broader one), and each label's
    issuer and validity period (years)."""
    prologue = f"PREFIX anr: <{ANR}> PREFIX schema: <{SCHEMA}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    labels: dict[str, set[str]] = defaultdict(set)
    facts: dict[str, tuple[str | None, int]] = {}
    result = store.query(prologue + _WORLD, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        label = row["label"].value
        labels[row["category"].value].add(label)
        issuer, years = row["issuer"], row["years"]
        facts[label] = (issuer.value if issuer else None, int(years.value) if years else 3)
    return {c: sorted(ls) for c, ls in sorted(labels.items())}, facts


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29 February that the later year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certificate_triples(target: int, store: ox.Store, base: str, seed: int = 25) -> list[ox.Triple]:
    """About `target` triples of product models, their brands and their certificates (see the module)."""
    rng = random.Random(seed)
    covering, facts = _world(store)
    categories = list(covering)
    weights = [rng.choice((1, 1, 2, 3, 5)) for _ in categories]  # some categories sell more models
    out: list[ox.Triple] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))

    brands: list[tuple[str, str]] = []
    n_brands = max(20, target // 6000)  # about one brand per 300 models
    for b in range(n_brands):
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        iri = f"{base}id/brand/{name.lower()}-{b}"
        brands.append((iri, name))
        add(iri, RDF_TYPE, ox.NamedNode(SCHEMA + "Brand"))
        add(iri, SCHEMA + "name", ox.Literal(name))
    number = 0
    model = 0
    while len(out) < target:
        model += 1
        category = rng.choices(categories, weights)[0]
        brand, brand_name = rng.choice(brands)
        product = f"{base}id/product-model/{brand.rsplit('/', 1)[1]}-{model}"
        add(product, RDF_TYPE, ox.NamedNode(SCHEMA + "ProductModel"))
        add(product, SCHEMA + "name", ox.Literal(f"{brand_name} {rng.choice(_SERIES)} {rng.randint(1, 99)}"))
        add(product, SCHEMA + "brand", ox.NamedNode(brand))
        add(product, SCHEMA + "category", ox.NamedNode(category))
        carried = rng.sample(covering[category], k=min(len(covering[category]), rng.choice((1, 1, 1, 2, 2, 3))))
        for label in carried:
            issuer, years = facts[label]
            start = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
            while True:
                number += 1
                end = years_later(start, years) - dt.timedelta(days=1)
                slug = label.rsplit("/", 1)[1]
                cert = f"{base}id/certificate/{slug}-{number:07d}"
                add(cert, RDF_TYPE, ox.NamedNode(SCHEMA + "Certification"))
                add(cert, SCHEMA + "about", ox.NamedNode(product))
                add(cert, ANR + "certifiedUnder", ox.NamedNode(label))
                add(cert, SCHEMA + "certificationIdentification", ox.Literal(f"{slug.upper()}-{number:07d}"))
                add(cert, SCHEMA + "validFrom", ox.Literal(start.isoformat(), datatype=XSD_DATE))
                add(cert, SCHEMA + "expires", ox.Literal(end.isoformat(), datatype=XSD_DATE))
                if issuer:
                    add(cert, SCHEMA + "issuedBy", ox.NamedNode(issuer))
                add(
                    cert,
                    "http://purl.org/dc/terms/source",
                    ox.NamedNode(f"https://registre.example/{slug}/{number:07d}"),
                )
                if end >= REFERENCE_DAY or rng.random() >= RENEWED:
                    break
                start = end + dt.timedelta(days=1)  # renewed the day after
    return out


def generate(size: int, out: Path, settings: Settings | None = None, kind: str = "certificates") -> int:
    """Write the data folder of `size` times the project's data into `out`; the number of files."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    settings = settings or Settings()
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(settings.data_dir.glob("*.ttl"))
    for path in sources:
        shutil.copy(path, out / path.name)
    if size <= 1:
        return len(sources)
    if kind == "certificates":
        store = ox.Store()
        for path in sources:
            store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        triples = certificate_triples((size - 1) * len(store), store, settings.base_iri)
        parts = range(0, len(triples), FILE_TRIPLES)
        for k, first in enumerate(parts, 1):
            chunk = triples[first : first + FILE_TRIPLES]
            (out / f"certificates-{k:03d}.nt").write_bytes(ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"")
        return len(sources) + len(parts)
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
    parser.add_argument("--kind", choices=KINDS, default="certificates", help="what is added (see the module)")
    args = parser.parse_args()
    print(generate(args.size, args.out, kind=args.kind), "files in", args.out)


if __name__ == "__main__":
    main()
