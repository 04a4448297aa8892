"""Bounded memory for what requests bring: a small cache with a fixed number of entries (oldest
evicted first), and a fixed-size filter telling a key seen before from a new one."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """Keeps at most `size` values; thread-safe. Used where the key comes from a request (Host)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        """The cached value for `key`, built (outside the lock) on first use."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


class SeenBefore:
    """Whether a key was offered recently: a fixed table of 64-bit fingerprints, one slot per key
    hash, a newer key taking the slot of an older one.

    A first sighting is never taken for a second (short of two keys with the same 64-bit hash), so
    a stream of one-off keys admits nothing; a key counts as new again once another took its slot.
    The table is allocated whole at start: it never grows.
    """

    def __init__(self, slots: int = 1 << 16) -> None:
        if slots < 1 or slots & (slots - 1):
            raise ValueError("slots must be a power of two")
        self._mask = slots - 1
        self._slots = array("Q", bytes(8 * slots))

    def check_and_add(self, key: Hashable) -> bool:
        """True if `key` is in its slot (offered before, and not pushed out since); it is now."""
        fingerprint = (hash(key) & 0xFFFF_FFFF_FFFF_FFFF) or 1  # 0 marks an empty slot
        slot = (fingerprint ^ (fingerprint >> 32)) & self._mask
        if self._slots[slot] == fingerprint:
            return True
        self._slots[slot] = fingerprint
        return False
