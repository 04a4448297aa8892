"""Answers kept in memory: the graph never changes while served, so an answer stays true.

An answer is kept from the second time its request is seen (`SeenBefore`): most texts are sent
once (an analyst's edits, a crawler), and keeping those would only grow memory and push out the
answers that are asked again. The HTTP validators of `web/caching.py` follow
the same rule.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from graph_service.bounded import SeenBefore

V = TypeVar("V")


class AnswerCache(Generic[V]):
    """A least-recently-used cache bounded by the total size of the stored bodies; an answer is
    stored from the second time its key is put."""

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._seen = SeenBefore()

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
        """Store a value of `size` bytes if `key` was put before, evicting the least recently used
        ones if needed."""
        if size > self.max_entry_bytes or key in self._entries or not self._seen.check_and_add(key):
            return
        self._entries[key] = (value, size)
        self.size += size
        while self.size > self.max_bytes and self._entries:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.size -= evicted
