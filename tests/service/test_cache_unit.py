"""The answer cache: kept from the second request on, LRU order, the byte bound; the filter behind it."""

from __future__ import annotations

import pytest

from graph_service.bounded import SeenBefore
from graph_service.sparql.cache import AnswerCache


def _put_twice(cache: AnswerCache[str], key: str, value: str, size: int) -> None:
    cache.put(key, value, size)
    cache.put(key, value, size)


def test_an_answer_is_kept_from_its_second_request() -> None:
    cache: AnswerCache[str] = AnswerCache(max_bytes=100, max_entry_bytes=50)
    cache.put("once", "A", 10)
    assert cache.get("once") is None and cache.size == 0  # a text sent once costs nothing
    cache.put("once", "A", 10)
    assert cache.get("once") == "A" and cache.size == 10


def test_lru_eviction_by_size() -> None:
    cache: AnswerCache[str] = AnswerCache(max_bytes=10, max_entry_bytes=6)
    _put_twice(cache, "a", "A", 4)
    _put_twice(cache, "b", "B", 4)
    assert cache.get("a") == "A"  # a is now the most recent
    _put_twice(cache, "c", "C", 4)  # over 10 bytes: b, the least recent, goes
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"
    _put_twice(cache, "big", "X", 7)  # larger than one entry may be
    assert cache.get("big") is None and cache.size == 8


def test_seen_before_tells_second_from_first_and_keeps_its_size() -> None:
    seen = SeenBefore(bits=1 << 12)
    keys = [("SELECT * WHERE { ?s ?p ?o }", n) for n in range(400)]  # within capacity (512)
    assert sum(seen.check_and_add(k) for k in keys) < 40  # a first sighting is rarely taken for a second
    assert all(seen.check_and_add(k) for k in keys)  # a second one always is
    size = len(seen._bits)
    for n in range(10_000):  # far past capacity: it starts again rather than grow or saturate
        seen.check_and_add(("other", n))
    assert len(seen._bits) == size
    fresh = [("fresh", n) for n in range(200)]
    assert sum(seen.check_and_add(k) for k in fresh) < 40


@pytest.mark.parametrize("bits", [0, 63, 100])
def test_seen_before_wants_a_power_of_two(bits: int) -> None:
    with pytest.raises(ValueError):
        SeenBefore(bits=bits)
