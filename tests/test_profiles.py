"""The test profiles (KG_TEST_PROFILE): the fast one draws fewer examples, never none; the full one all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import helpers
from tests.helpers import examples

NAMED = 400


@settings(max_examples=NAMED, database=None, derandomize=True)
@given(st.integers())
def test_an_integer_reads_back_from_its_decimal_text(number: int) -> None:
    assert int(str(number)) == number


def test_hypothesis_tests_draw_the_profiles_share() -> None:
    chosen = test_an_integer_reads_back_from_its_decimal_text._hypothesis_internal_use_settings  # type: ignore[attr-defined]
    assert chosen.max_examples == examples(NAMED)


@pytest.mark.parametrize(
    ("profile", "full", "drawn"),
    [
        ("full", 2_000, 2_000),
        ("full", 7, 7),
        ("fast", 2_000, 200),
        ("fast", 60, 10),
        ("fast", 7, 7),
        ("fast", 20_000, 2_000),
    ],
)
def test_examples_per_profile(monkeypatch: pytest.MonkeyPatch, profile: str, full: int, drawn: int) -> None:
    monkeypatch.setattr(helpers, "TEST_PROFILE", profile)
    assert examples(full) == drawn
