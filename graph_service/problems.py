"""Every refusal and failure a client can see, as an RFC 9457 problem: one 404, one 406, one 422.

Plain objects with an HTTP status, raised by the core (SPARQL engine, guard, read model) and the
routes alike; the web layer renders them as `application/problem+json` (`web/errors.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from graph_service.formats.representations import Representation, media_types


class ProblemError(Exception):
    """An error the client should see as `application/problem+json`."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        """The problem document."""
        return {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
            **self.extra,
        }


@dataclass(frozen=True)
class Suggestion:
    """A known resource close to what was asked for (every 404 lists them in this shape)."""

    id: str
    iri: str
    name: str


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with a request (every 422 lists them in this shape)."""

    location: str
    message: str


def bad_request(code: str, title: str, detail: str, **extra: Any) -> ProblemError:
    """A 400: the request itself must change."""
    return ProblemError(400, code, title, detail, extra=extra)


def not_found(detail: str, suggestions: Sequence[Suggestion] = (), **extra: Any) -> ProblemError:
    """The 404, naming the closest known resources."""
    if suggestions:
        detail = f"{detail}; did you mean {', '.join(s.id for s in suggestions)}?"
    refs = [asdict(s) for s in suggestions]
    return ProblemError(404, "not-found", "Not found", detail, extra={"suggestions": refs, **extra})


def not_acceptable(accept: str | None, offers: Sequence[Representation], *, asked: str | None = None) -> ProblemError:
    """The 406, listing the media types offered; `asked` names what was asked when it was not Accept."""
    offered = media_types(tuple(offers))
    return ProblemError(
        406,
        "not-acceptable",
        "Not acceptable",
        f"{asked or f'Accept: {accept!r}'} matches none of the formats offered here: {', '.join(offered)}. "
        "Ask for one of them (or */*).",
        extra={"formats": offered},
    )


def format_not_offered(value: str, offers: Sequence[Representation]) -> ProblemError:
    """The 406 for a `?format=` that names none of the offers, listing them by name."""
    names = list(dict.fromkeys(r.name for r in offers))
    return ProblemError(
        406,
        "not-acceptable",
        "Not acceptable",
        f"format={value!r} is not offered here; use one of: {', '.join(names)}.",
        extra={"formats": media_types(tuple(offers)), "format_names": names},
    )


def invalid(errors: Sequence[FieldError], **extra: Any) -> ProblemError:
    """The 422, with the list of what is wrong."""
    detail = "; ".join(f"{e.location}: {e.message}" if e.location else e.message for e in errors)
    return ProblemError(
        422,
        "invalid-parameter",
        "Invalid parameter",
        detail or "invalid request",
        extra={"errors": [asdict(e) for e in errors], **extra},
    )


def unprocessable(detail: str, location: str = "", **extra: Any) -> ProblemError:
    """A 422 for one parameter that does not have the expected form."""
    return invalid([FieldError(location, detail)], **extra)
