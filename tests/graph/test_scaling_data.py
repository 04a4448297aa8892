"""The scaling bench's generated data (bench/scaling_data.py) conforms to the shapes and has the
proportions it claims: about N times the project's triples, certificates under the labels covering
each model's category, some expired."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.scaling_data import REFERENCE_DAY, generate
from graph_service.prefixes import PREFIXES

SCHEMA, ANR = PREFIXES["schema"], PREFIXES["anr"]
GRAPH_SERVICE = str(Path(sys.executable).parent / "graph-service")


def value(term: object) -> str:
    """The IRI or the lexical form of a term."""
    return str(getattr(term, "value", ""))


def triples(folder: Path, pattern: str = "*") -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for path in sorted(folder.glob(pattern)):
        if path.suffix in (".ttl", ".nt"):
            out.extend(ox.parse(path=path))
    return out


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data-2x")
    generate(2, out)
    return out


def test_certificates_double_the_triples_and_keep_the_labels_and_categories(twice: Path) -> None:
    project, added = triples(twice, "*.ttl"), triples(twice, "certificates-*.nt")
    assert 0.9 * len(project) <= len(added) <= 1.1 * len(project)
    kinds = Counter(value(q.object) for q in added if q.predicate.value.endswith("#type"))
    assert kinds[SCHEMA + "Certification"] > kinds[SCHEMA + "ProductModel"] > kinds[SCHEMA + "Brand"] > 0
    assert {k for k in kinds} == {SCHEMA + "Certification", SCHEMA + "ProductModel", SCHEMA + "Brand"}
    ends = [dt.date.fromisoformat(value(q.object)) for q in added if q.predicate.value == SCHEMA + "expires"]
    expired = sum(1 for end in ends if end < REFERENCE_DAY)
    assert 0.1 * len(ends) < expired < 0.9 * len(ends)  # some expired, not all
    labels = {value(q.subject) for q in project if value(q.object) == ANR + "Label"}
    assert {value(q.object) for q in added if q.predicate.value == ANR + "certifiedUnder"} <= labels


def test_the_same_size_gives_the_same_files(twice: Path, tmp_path: Path) -> None:
    generate(2, tmp_path)
    assert (tmp_path / "certificates-001.nt").read_bytes() == (twice / "certificates-001.nt").read_bytes()


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="one of certificates, copies"):
        generate(2, tmp_path, kind="clones")


@pytest.mark.slow
def test_the_generated_data_passes_validate(twice: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KG_DATA_DIR": str(twice), "KG_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([GRAPH_SERVICE, "validate"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "schema:Certification" in done.stdout
