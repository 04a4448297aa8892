"""Facts in time: every cited page is pinned to a fixed version of the site's repository, pages the
site no longer builds are flagged, every resource answers which version it was read from and when it
was last reviewed, and the guide's overtaken facts are marked with an official source."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from graph_service.config import Settings
from graph_service.dataset.citations import check, slug
from graph_service.dataset.loading import discover_files, load_files
from graph_service.namespaces import PREFIXES

ANR = PREFIXES["anr"]
SCHEMA = PREFIXES["schema"]
GUIDE = "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/"
PERMALINK = re.compile(r"^https://github\.com/DISIC/MiNumEco/blob/[0-9a-f]{40}/\S+\.md$")
SWHID = re.compile(r"^swh:1:cnt:[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def data(settings: Settings) -> Graph:
    return load_files(discover_files([settings.data_dir])).graph


def pages(graph: Graph) -> set[str]:
    return {str(p) for p in graph.subjects(RDF.type, URIRef(ANR + "SourcePage"))}


def test_every_cited_guide_page_has_a_pin(data: Graph) -> None:
    cited = {str(o) for o in data.objects(None, DCTERMS.source) if "ecoresponsable.numerique.gouv.fr" in str(o)}
    assert len(cited) > 50
    pinned = pages(data)
    for iri in cited:
        page = iri.split("#", 1)[0]
        assert page in pinned, f"no pin for {page}"
        if "#" in iri:
            assert (URIRef(iri), DCTERMS.isPartOf, URIRef(page)) in data, f"{iri} is not linked to its page"
    for page in pinned:
        node = URIRef(page)
        versions = [str(v) for v in data.objects(node, DCTERMS.hasVersion)]
        assert len(versions) == 1 and PERMALINK.match(versions[0]), (page, versions)
        swh = [str(v) for v in data.objects(node, URIRef(ANR + "softwareHeritageId"))]
        assert len(swh) == 1 and SWHID.match(swh[0]), (page, swh)
        path = str(data.value(node, URIRef(ANR + "upstreamPath")))
        assert versions[0].endswith("/" + path), (page, path)


def test_pages_the_site_no_longer_builds_are_flagged(data: Graph) -> None:
    built = {p: data.value(URIRef(p), URIRef(ANR + "stillBuilt")) for p in pages(data)}
    gone = {p for p, v in built.items() if isinstance(v, Literal) and v.toPython() is False}
    live = {p for p, v in built.items() if isinstance(v, Literal) and v.toPython() is True}
    for tail in (
        "labels/produits/",
        "labels/organisation/",
        "labels/interministeriel/",
        "glossaire/",
        "introduction/",
        "demarche-numerique-responsable/que-prevoit-la-loi/",
        "demarche-numerique-responsable/fin-de-vie/",
    ):
        assert GUIDE + tail in gone, tail
    for tail in (
        "",
        "fiches-pratiques/bureautique/",
        "fiches-pratiques/hebergement/",
        "fiches-pratiques/impression/",
        "fiches-pratiques/reseaux/",
        "fiches-pratiques/logiciels/",
        "fiches-pratiques/prestations-intellectuelles/",
        "demarche-numerique-responsable/analyse-cycle-de-vie/",
    ):
        assert GUIDE + tail in live, tail


def test_every_resource_answers_its_version_and_review_date(data: Graph) -> None:
    """Through its sources: each cited IRI (or the page it is part of) is pinned or reviewed."""
    reviewed = URIRef(SCHEMA + "lastReviewed")
    lacking = []
    for subject, source in data.subject_objects(DCTERMS.source):
        page = data.value(source, DCTERMS.isPartOf) or source
        if data.value(page, reviewed) is None:
            lacking.append((str(subject), str(source)))
        if "ecoresponsable.numerique.gouv.fr" in str(source) and data.value(page, DCTERMS.hasVersion) is None:
            lacking.append((str(subject), str(source)))
    assert lacking == []


def test_the_guides_overtaken_facts_are_marked_with_an_official_source(data: Graph) -> None:
    facts = {str(s): s for s in data.subjects(RDF.type, URIRef(ANR + "SupersededFact"))}
    overtaken = {str(o) for s in facts.values() for o in data.objects(s, URIRef(ANR + "supersedes"))}
    base = "https://w3id.org/achats-numeriques-responsables/id/"
    assert base + "criterion/supply-chain-social-traceability" in overtaken  # eight ILO conventions -> ten
    assert base + "legal/directive-2009-125-ce" in overtaken  # replaced by Regulation (EU) 2024/1781
    sources = {str(o) for s in facts.values() for o in data.objects(s, DCTERMS.source)}
    assert "http://data.europa.eu/eli/reg/2024/1781/oj" in sources
    # the guide's statement is kept as the guide's
    kept = [
        str(d) for d in data.objects(URIRef(base + "criterion/supply-chain-social-traceability"), DCTERMS.description)
    ]
    assert any("huit conventions fondamentales" in d for d in kept)


def test_the_dataset_is_derived_from_the_pinned_versions(data: Graph) -> None:
    dataset = URIRef("https://w3id.org/achats-numeriques-responsables/id/dataset/achats-numeriques-responsables")
    derived = {str(o) for o in data.objects(dataset, URIRef(PREFIXES["prov"] + "wasDerivedFrom"))}
    versions = {str(data.value(URIRef(p), DCTERMS.hasVersion)) for p in pages(data)}
    assert versions <= derived
    assert data.value(dataset, URIRef(SCHEMA + "lastReviewed")) is not None


# -- the check-citations command, on a repository the test builds ---------------------------------


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def pinned_graph(commit: str, blob: str, anchor: str) -> Graph:
    page = "https://example.org/guide/page/"
    graph = Graph()
    node = URIRef(page)
    graph.add((node, RDF.type, URIRef(ANR + "SourcePage")))
    graph.add((node, DCTERMS.hasVersion, URIRef(f"https://github.com/DISIC/MiNumEco/blob/{commit}/doc/page.md")))
    graph.add((node, URIRef(ANR + "softwareHeritageId"), Literal(f"swh:1:cnt:{blob}")))
    graph.add((node, URIRef(ANR + "upstreamPath"), Literal("doc/page.md")))
    graph.add((URIRef("https://example.org/id/fact"), DCTERMS.source, URIRef(page + "#" + anchor)))
    return graph


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "page.md").write_text(
        '# Titre\n<h2 id="tableau-ecolabels">Tableau</h2>\n## Qu’est-ce qu’un écolabel ?\n', encoding="utf-8"
    )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "page")
    return tmp_path, git(tmp_path, "rev-parse", "HEAD"), git(tmp_path, "rev-parse", "HEAD:doc/page.md")


def test_check_citations_verifies_pins_and_anchors(repo: tuple[Path, str, str]) -> None:
    path, commit, blob = repo
    assert check(pinned_graph(commit, blob, "tableau-ecolabels"), path).ok
    by_slug = check(pinned_graph(commit, blob, "quest-ce-quun-ecolabel"), path)
    assert by_slug.ok and by_slug.anchors_by_slug == 1


@pytest.mark.parametrize("change", ["commit", "blob", "anchor"])
def test_check_citations_reports_a_wrong_pin(repo: tuple[Path, str, str], change: str) -> None:
    path, commit, blob = repo
    commit = "0" * 40 if change == "commit" else commit
    blob = "1" * 40 if change == "blob" else blob
    report = check(pinned_graph(commit, blob, "absent" if change == "anchor" else "tableau-ecolabels"), path)
    assert not report.ok and len(report.problems) == 1


def test_slug_follows_the_headings_text() -> None:
    assert slug("Qu’est-ce qu’un <em>écolabel</em> ?") == "quest-ce-quun-ecolabel"
