"""MkDocs hook: the built site must load nothing from another origin (`make docs` builds with it).

After the build, every HTML page is read: a script, stylesheet, image, frame or media element whose
address is absolute (`https://…`, `//…`) fails the build, and so does a CSS `url()` to another origin.
The theme draws Mermaid diagrams with the `mermaid` object it finds on the page, and fetches the
library from a CDN when there is none: a page with a diagram therefore needs the local copy that
`make docs` unpacks from npm (docs/assets/javascripts/mermaid.min.js, not committed).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

LOADS = re.compile(r"<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?"
                   r"\b(?:src|href|data)=[\"']?(?:https?:)?//", re.I)
CSS_URL = re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I)
MERMAID = "assets/javascripts/mermaid.min.js"


def on_post_build(config: Any, **kwargs: Any) -> None:
    """Fail the build on anything a reader's browser would fetch from another origin."""
    site = Path(config["site_dir"])
    offenders = [p for p in site.rglob("*.html") if LOADS.search(p.read_text(encoding="utf-8"))]
    offenders += [p for p in site.rglob("*.css") if CSS_URL.search(p.read_text(encoding="utf-8"))]
    diagrams = [p for p in site.rglob("*.html") if 'class="mermaid"' in p.read_text(encoding="utf-8")]
    if diagrams and not (site / MERMAID).is_file():
        raise PluginError(f"{diagrams[0].relative_to(site)} has a diagram but {MERMAID} is missing "
                          "(the theme would fetch Mermaid from a CDN): build with `make docs`")
    if offenders:
        names = ", ".join(str(p.relative_to(site)) for p in offenders[:5])
        raise PluginError(f"the site loads files from another origin: {names}")
