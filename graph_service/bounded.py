"""Bounded memory for what requests bring: a small cache with a fixed number of entries (oldest
evicted first), and a fixed-size filter telling a key seen before from a new one."""

from __future__ import annotations

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
    """Whether a key was offered before: a Bloom filter (two probes) in a bit array allocated once.

    It starts again, all clear, after `bits // 8` keys (the array is then about a quarter full, so
    about one first request in 20 is taken for a second one: its answer is only kept early).
    """

    def __init__(self, bits: int = 1 << 20) -> None:
        if bits < 64 or bits & (bits - 1):
            raise ValueError("bits must be a power of two, at least 64")
        self._mask = bits - 1
        self._bits = bytearray(b"\xff" * (bits // 8))  # written once, so resident from the start
        self._bits[:] = bytes(bits // 8)
        self._capacity = bits // 8
        self._added = 0

    def check_and_add(self, key: Hashable) -> bool:
        """True if `key` was offered before (or collides with a key that was); it is now."""
        digest = hash(key) & 0xFFFF_FFFF_FFFF_FFFF
        first, second = digest & self._mask, (digest >> 32) & self._mask
        bits = self._bits
        seen = bits[first >> 3] >> (first & 7) & 1 and bits[second >> 3] >> (second & 7) & 1
        if not seen:
            if self._added >= self._capacity:
                bits[:] = bytes(len(bits))
                self._added = 0
            bits[first >> 3] |= 1 << (first & 7)
            bits[second >> 3] |= 1 << (second & 7)
            self._added += 1
        return bool(seen)
