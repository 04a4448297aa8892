"""The domain's own refusals: an unknown resource and a value of the wrong kind.

The domain raises these, never an HTTP error; the web layer maps them to problems (404 and 422,
`web/errors.py`), the CLI and the assistants to their own messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_service.problems import Suggestion


class UnknownResourceError(LookupError):
    """No resource of the asked kind has that id; `suggestions` are the closest that do."""

    def __init__(self, reason: str, suggestions: Sequence[Suggestion] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.suggestions = list(suggestions)


class InvalidValueError(ValueError):
    """A value that does not have the expected form or kind (a filter, a code, a date)."""

    def __init__(self, detail: str, suggestions: Sequence[Suggestion] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.suggestions = None if suggestions is None else list(suggestions)  # None: none were looked for
        self.extra = extra
