"""Answers kept in memory: the graph never changes while served, so an answer stays true."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class AnswerCache(Generic[V]):
    """A least-recently-used cache bounded by the total size of the stored bodies."""

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        """The stored value, marked as recently used; None on a miss."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def put(self, key: Hashable, value: V, size: int) -> None:
        """Store a value of `size` bytes, evicting the least recently used ones if needed."""
        if size > self.max_entry_bytes or key in self._entries:
            return
        self._entries[key] = (value, size)
        self.size += size
        while self.size > self.max_bytes and self._entries:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.size -= evicted
