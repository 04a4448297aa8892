"""A bound on the number of queries in flight; beyond it callers are told to retry (429)."""

from __future__ import annotations

import threading


class Admission:
    """Non-blocking counter of query slots (thread-safe, so tests can hold a slot)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_flight = 0
        self._lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        """Queries admitted and not yet finished."""
        return self._in_flight

    def try_acquire(self) -> bool:
        """Take a slot if one is free."""
        with self._lock:
            if self._in_flight >= self.limit:
                return False
            self._in_flight += 1
            return True

    def release(self) -> None:
        """Give a slot back."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
