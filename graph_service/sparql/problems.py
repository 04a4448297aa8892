"""Refusals and failures of the query service, each with an HTTP status (RFC 9457 problem)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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


def bad_request(code: str, title: str, detail: str, **extra: Any) -> ProblemError:
    """A 400: the request itself must change."""
    return ProblemError(400, code, title, detail, extra=extra)
