"""Ids given by a client, resolved against the index: the resource of a class, or a refusal naming the
closest ids of that class (`domain/errors.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph_service.domain.errors import InvalidValueError, UnknownResourceError
from graph_service.domain.index import Resource, ResourceIndex
from graph_service.problems import Suggestion


def suggestions(resources: Iterable[Resource], lang: str) -> list[Suggestion]:
    """Resources as the suggestions of a refusal."""
    return [Suggestion(r.id, r.iri, r.name(lang)) for r in resources]


def lookup(index: ResourceIndex, raw: str, cls: str | Sequence[str], what: str, lang: str) -> Resource:
    """The resource of that id and class, or UnknownResourceError naming the closest ids of that class."""
    classes = [cls] if isinstance(cls, str) else list(cls)
    res = index.resolve(raw)
    if res is not None and any(c in res.types for c in classes):
        return res
    pool = [r for c in classes for r in index.suggest(raw, c)]
    reason = f"no {what} with id {raw!r}"
    if res is not None:
        reason = f"{res.id!r} is not a {what}"
    raise UnknownResourceError(reason, suggestions(pool[:5], lang))


def filter_value(index: ResourceIndex, raw: str | None, cls: str | Sequence[str], what: str, lang: str) -> str | None:
    """An id given as a filter: its IRI (None when not given), or InvalidValueError saying what was expected."""
    if raw is None or raw == "":
        return None
    try:
        return lookup(index, raw, cls, what, lang).iri
    except UnknownResourceError as exc:
        detail = exc.reason
        if exc.suggestions:
            detail = f"{detail}; did you mean {', '.join(s.id for s in exc.suggestions)}?"
        raise InvalidValueError(f"expected the id of a {what}; {detail}", exc.suggestions) from None
