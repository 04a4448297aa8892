"""The templates: every wording key exists in both languages, nothing inline, escaping on."""

from __future__ import annotations

import re
from importlib import resources

from graph_service.publishing.iris import Site
from graph_service.rendering import LANGUAGES, messages, render

TEMPLATES = resources.files("graph_service").joinpath("templates")


def templates() -> dict[str, str]:
    return {f.name: f.read_text("utf-8") for f in TEMPLATES.iterdir() if f.name.endswith(".html")}


def test_every_wording_key_is_in_the_messages_in_every_language() -> None:
    table = messages()
    used = {k for text in templates().values() for k in re.findall(r"""t\('([\w.]+)'\s*[,)]""", text)}
    used |= {f"lang.{code}" for code in LANGUAGES}
    assert used and used <= set(table), used - set(table)
    for key, texts in table.items():
        assert set(texts) == set(LANGUAGES) and all(texts.values()), key


def test_no_template_has_inline_style_or_script() -> None:
    for name, text in templates().items():
        assert "<style" not in text and " style=" not in text, name
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), name
        assert not re.search(r"\son\w+=", text), name


def test_the_layout_takes_its_language_and_escapes() -> None:
    site = Site("https://example.org/", "http://x")
    page = render("not_found.html", lang="en", site=site, path="<b>", suggestions=["/id/a?b=<c>"])
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<b>" not in page and "&lt;b&gt;" in page and "Not found" in page
    assert 'href="http://x/static/site.css"' in page
    assert '<html lang="fr">' in render("not_found.html", site=site, path="/", suggestions=[])
