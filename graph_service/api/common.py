"""Helpers shared by the /api routes: id resolution with suggestions, content negotiation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Path, Request

from graph_service.api.index import Resource
from graph_service.api.lang import Lang, negotiate_lang
from graph_service.api.problems import not_found, unprocessable
from graph_service.api.state import ApiState, get_state
from graph_service.sparql.negotiation import choose
from graph_service.sparql.problems import ProblemError

State = Annotated[ApiState, Depends(get_state)]
LangDep = Annotated[Lang, Depends(negotiate_lang)]
ID_DOC = "Short id (the IRI's last segment), prefixed name or full IRI"


def id_path(example: str) -> object:
    """A `{id}` path parameter with an example."""
    return Path(description=ID_DOC, examples=[example], max_length=2000)


def lookup(state: ApiState, raw: str, cls: str | Sequence[str], what: str, lang: str) -> Resource:
    """The resource of that id and class, or a 404 naming the closest ids of that class."""
    classes = [cls] if isinstance(cls, str) else list(cls)
    res = state.index.resolve(raw)
    if res is not None and any(c in res.types for c in classes):
        return res
    pool = [r for c in classes for r in state.index.suggest(raw, c)]
    reason = f"no {what} with id {raw!r}"
    if res is not None:
        reason = f"{res.id!r} is not a {what}"
    raise not_found(reason, suggestions=pool[:5], lang=lang)


def filter_value(
    state: ApiState, raw: str | None, cls: str | Sequence[str], what: str, lang: str
) -> str | None:
    """An id given as a filter: its IRI, or a 422 saying what was expected."""
    if raw is None or raw == "":
        return None
    try:
        return lookup(state, raw, cls, what, lang).iri
    except ProblemError as exc:
        hints = exc.extra.get("suggestions", [])
        raise unprocessable(f"expected the id of a {what}; {exc.detail}", suggestions=hints) from None


def media_type(request: Request, offers: Sequence[str]) -> str:
    """The offered media type the Accept header prefers; 406 if none is acceptable."""
    chosen = choose(request.headers.get("accept"), list(offers))
    if chosen is None:
        raise ProblemError(406, "not-acceptable", "Not acceptable",
                      f"this resource is available as {', '.join(offers)}")
    return chosen
