"""Every HTML page reachable from `/` (breadth first, bounded) answers, links to nothing broken on this
service nor to the base IRI (dead until its w3id.org redirect exists), and loads no script, stylesheet
or image from another origin."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings

HTML = {"Accept": "text/html"}
LIMIT = 300
ORIGIN = "http://testserver"
LOADED = re.compile(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]+)"')
LINK = re.compile(r'<a\b[^>]*?\bhref="([^"#]*)')


@pytest.mark.slow
def test_pages_reachable_from_home_have_no_broken_link_and_no_other_origin(client: TestClient) -> None:
    seen: set[str] = set()
    queue = ["/"]
    broken, foreign, unserved = [], [], []
    base = Settings().base_iri
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        answer = client.get(path, headers=HTML)
        if answer.status_code != 200:
            broken.append((path, answer.status_code))
            continue
        if not answer.headers["content-type"].startswith("text/html"):
            continue
        foreign += [
            (path, src) for src in LOADED.findall(answer.text) if urlsplit(src).netloc not in ("", "testserver")
        ]
        for href in LINK.findall(answer.text):
            if href.startswith(base):
                unserved.append((path, href))
            target = urlsplit(urljoin(ORIGIN + path, href.replace("&amp;", "&")))
            if target.netloc == "testserver":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert len(seen) == LIMIT, f"only {len(seen)} pages reachable"
    assert broken == []
    assert foreign == []
    assert unserved == []
