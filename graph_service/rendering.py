"""HTML from Jinja2 templates (autoescaped); the wording of the pages comes from one messages table.

`render("resource.html", lang="fr", site=site, ...)` returns the page. Templates extend `base.html`
(blocks `title`, `head`, `content`) and call `t('key')` for their wording in the page's language
(`templates/messages.json`: one entry per key, a text per language; French is the fallback).
No HTTP here: the web layer chooses the language and wraps the text in a response.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from graph_service.formats.formatting import long_date, percent, source_parts

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


@cache
def messages() -> dict[str, dict[str, str]]:
    """The wording of the pages: key -> language -> text."""
    text = resources.files("graph_service").joinpath("templates/messages.json").read_text("utf-8")
    table: dict[str, dict[str, str]] = json.loads(text)
    return table


def message(key: str, lang: str, **values: object) -> str:
    """The text of `key` in `lang` (else French), with `{name}` fields filled from `values`."""
    entry = messages()[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


@pass_context
def _t(context: Context, key: str, **values: object) -> str:
    return message(key, str(context.get("lang", DEFAULT_LANGUAGE)), **values)


def _thousands(value: int, lang: str = DEFAULT_LANGUAGE) -> str:
    text = f"{value:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


@cache
def environment() -> Environment:
    """The one Jinja2 environment: package templates, autoescape on, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("graph_service", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = _t
    env.globals["languages"] = LANGUAGES
    env.filters["thousands"] = _thousands
    env.filters["long_date"] = long_date
    env.filters["percent"] = percent
    env.globals["source_parts"] = source_parts
    return env


def render(template: str, **context: Any) -> str:
    """The page `template` filled with `context` (`lang` defaults to French)."""
    context.setdefault("lang", DEFAULT_LANGUAGE)
    return environment().get_template(template).render(**context)
