"""The answer cache: LRU order and the byte bound."""

from __future__ import annotations

from graph_service.sparql.cache import AnswerCache


def test_lru_eviction_by_size() -> None:
    cache: AnswerCache[str] = AnswerCache(max_bytes=10, max_entry_bytes=6)
    cache.put("a", "A", 4)
    cache.put("b", "B", 4)
    assert cache.get("a") == "A"  # a is now the most recent
    cache.put("c", "C", 4)  # over 10 bytes: b, the least recent, goes
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"
    cache.put("big", "X", 7)  # larger than one entry may be
    assert cache.get("big") is None and cache.size == 8
