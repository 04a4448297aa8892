"""Check the graph's pinned citations against a clone of the site's public source repository.

Every cited page (`anr:SourcePage`) names a permalink `https://github.com/<owner>/<repo>/blob/<commit>/<path>`
and a Software Heritage content id `swh:1:cnt:<blob>`. Given a clone (bare or not) of that repository,
this checks that each commit exists, that the file at `<path>` in that commit is that blob, and that
every `#anchor` the graph cites names a heading of that file. The site's generator (Eleventy with plain
markdown-it in the guide's years) adds no ids of its own: an anchor is an explicit `id="…"` on an HTML
heading, or a `{#…}` attribute; a Markdown heading whose slug (lower case, accents and apostrophes
dropped, other runs of non-alphanumerics made one `-`) equals the anchor is also accepted, and counted
apart.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from graph_service.namespaces import PREFIXES

ANR = PREFIXES["anr"]
SOURCE_PAGE = URIRef(ANR + "SourcePage")
SWH_ID = URIRef(ANR + "softwareHeritageId")
UPSTREAM_PATH = URIRef(ANR + "upstreamPath")
STILL_BUILT = URIRef(ANR + "stillBuilt")
RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")
PERMALINK = re.compile(r"^https://github\.com/[^/]+/[^/]+/blob/(?P<commit>[0-9a-f]{40})/(?P<path>.+)$")
SWHID = re.compile(r"^swh:1:cnt:(?P<blob>[0-9a-f]{40})$")
HTML_ID = re.compile(r"<h[1-6][^>]*\sid=\"(?P<id>[^\"]+)\"", re.IGNORECASE)
ATTR_ID = re.compile(r"\{[^}]*#(?P<id>[A-Za-z0-9_-]+)[^}]*\}\s*$", re.MULTILINE)
MD_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Pin:
    """One cited page and the version of the repository it is pinned to."""

    page: str
    commit: str
    path: str
    blob: str
    still_built: bool | None
    anchors: tuple[str, ...]


@dataclass
class Report:
    """What the check found: counts, and one line per problem."""

    pages: int = 0
    commits_ok: int = 0
    blobs_ok: int = 0
    anchors: int = 0
    anchors_by_id: int = 0
    anchors_by_slug: int = 0
    gone: int = 0
    citations: int = 0
    citations_of_gone: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every pin and anchor checked out."""
        return not self.problems

    def render(self) -> str:
        """The report as text for the console."""
        lines = [
            f"pages pinned: {self.pages}",
            f"commits found: {self.commits_ok}/{self.pages}",
            f"blobs at their path: {self.blobs_ok}/{self.pages}",
            f"anchors cited: {self.anchors} (heading id: {self.anchors_by_id}, heading slug: {self.anchors_by_slug})",
            f"citations (resource, cited IRI): {self.citations}, of pages the site no longer builds: "
            f"{self.citations_of_gone}",
            f"pages the site no longer builds: {self.gone}",
        ]
        lines += [f"PROBLEM {p}" for p in self.problems]
        lines.append("all pins and anchors verified" if self.ok else f"{len(self.problems)} problem(s)")
        return "\n".join(lines)


def slug(text: str) -> str:
    """A heading's slug: no tags, lower case, accents and apostrophes dropped, other runs joined by `-`."""
    text = re.sub(r"<[^>]+>", "", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    text = re.sub(r"['’]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def heading_anchors(markdown: str) -> tuple[set[str], set[str]]:
    """The explicit heading ids of a page, and the slugs of its Markdown headings."""
    ids = {m["id"] for m in HTML_ID.finditer(markdown)} | {m["id"] for m in ATTR_ID.finditer(markdown)}
    slugs = {slug(m["text"]) for m in MD_HEADING.finditer(markdown)}
    return ids, slugs


def pins(graph: Graph) -> list[Pin]:
    """Every `anr:SourcePage` of the graph with its pin and the anchors cited in it."""
    cited = {str(o) for o in graph.objects(None, DCTERMS.source) if isinstance(o, URIRef)}
    out = []
    for page in sorted(set(graph.subjects(RDF_TYPE, SOURCE_PAGE)), key=str):
        permalink = str(graph.value(page, DCTERMS.hasVersion) or "")
        swh = str(graph.value(page, SWH_ID) or "")
        link, swh_match = PERMALINK.match(permalink), SWHID.match(swh)
        built = graph.value(page, STILL_BUILT)
        out.append(
            Pin(
                page=str(page),
                commit=link["commit"] if link else "",
                path=link["path"] if link else "",
                blob=swh_match["blob"] if swh_match else "",
                still_built=bool(built.toPython()) if isinstance(built, Literal) else None,
                anchors=tuple(sorted(c.split("#", 1)[1] for c in cited if c.startswith(str(page) + "#"))),
            )
        )
    return out


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, text=True, check=False)
    return done.stdout


def check(graph: Graph, repo: Path) -> Report:
    """Check every pin and cited anchor of `graph` against the git repository at `repo`."""
    found = pins(graph)
    report = Report(pages=len(found))
    gone = {p.page for p in found if p.still_built is False}
    report.gone = len(gone)
    pages = {p.page for p in found}
    for subject, obj in graph.subject_objects(DCTERMS.source):
        page = str(obj).split("#", 1)[0]
        if page in pages and str(subject) not in pages:  # a page's own record cites itself: not counted
            report.citations += 1
            report.citations_of_gone += page in gone
    queries = "".join(f"{p.commit}\n{p.commit}:{p.path}\n" for p in found)
    answers = iter(_git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=queries).splitlines())
    for pin in found:
        commit_line, blob_line = next(answers, ""), next(answers, "")
        if not pin.commit or not pin.blob:
            report.problems.append(f"{pin.page}: permalink or swh id malformed")
            continue
        if commit_line.split() != [pin.commit, "commit"]:
            report.problems.append(f"{pin.page}: commit {pin.commit} not in the repository")
            continue
        report.commits_ok += 1
        if blob_line.split()[:1] != [pin.blob]:
            report.problems.append(
                f"{pin.page}: {pin.path} at {pin.commit[:12]} is {blob_line.split()[:1]}, not blob {pin.blob}"
            )
            continue
        report.blobs_ok += 1
        _check_anchors(pin, _git(repo, "cat-file", "blob", pin.blob), report)
    return report


def _check_anchors(pin: Pin, markdown: str, report: Report) -> None:
    ids, slugs = heading_anchors(markdown)
    for anchor in pin.anchors:
        report.anchors += 1
        if anchor in ids:
            report.anchors_by_id += 1
        elif anchor in slugs:
            report.anchors_by_slug += 1
        else:
            report.problems.append(f"{pin.page}#{anchor}: no heading of {pin.path} has that id or slug")
