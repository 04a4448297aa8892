"""A report reads the same whatever order the engine (or its jobs) found the problems in."""

from __future__ import annotations

from pathlib import Path

from graph_service.dataset.validation import ValidationReport, Violation


def test_two_problems_on_one_property_render_in_one_order() -> None:
    a = Violation(Path("a.ttl"), "obl:x", "anr:appliesToFamily", "cat:y", "must point to a family", "Violation", None)
    b = Violation(Path("a.ttl"), "obl:x", "anr:appliesToFamily", None, "a consumer duty has none", "Violation", None)
    one, other = ValidationReport(False, (a, b)), ValidationReport(False, (b, a))
    assert one.render() == other.render()
    assert one.render().index("a consumer duty") < one.render().index("must point")
