"""What an engine's error becomes in a problem: syntax errors keep their line and column; a message
that speaks of the network (a URL, a host and port, a connection) is not echoed, so that a client
cannot probe what the engine reaches (local worker or remote engine alike)."""

from __future__ import annotations

import pytest

from graph_service.sparql.engine import engine_problem

LEAKS = [
    "The port 9 is not allowed for HTTP(S) because it is dedicated to an other use",
    "error sending request for url (http://10.0.0.7:8080/sparql): tcp connect error: Connection refused (os error 111)",
    "dns error: failed to lookup address information for internal.example:6379",
    "the remote endpoint answered 403 Forbidden: <html>admin console of 192.168.1.1</html>",
    "Failed to reach [::1]:5432",
]


@pytest.mark.parametrize("message", LEAKS)
def test_a_network_error_is_not_echoed(message: str) -> None:
    problem = engine_problem({"ok": False, "error": "evaluation", "message": message})
    assert problem.status == 500 and problem.code == "evaluation-failed"
    for part in ("10.0.0.7", "8080", "6379", "192.168", "internal.example", "refused", "5432", "port 9"):
        assert part not in problem.detail


@pytest.mark.parametrize("message", LEAKS)
def test_a_syntax_error_keeps_its_position_not_its_network_text(message: str) -> None:
    problem = engine_problem({"ok": False, "error": "syntax", "message": f"error at 2:7: {message}"})
    assert problem.status == 400 and problem.extra == {"line": 2, "column": 7}
    assert "line 2, column 7" in problem.detail
    for part in ("10.0.0.7", "8080", "6379", "192.168", "internal.example", "refused", "5432", "port 9"):
        assert part not in problem.detail


def test_an_ordinary_error_is_still_explained() -> None:
    syntax = engine_problem({"ok": False, "error": "syntax", "message": "error at 1:25: expected one of LATERAL, [_]"})
    assert "expected one of LATERAL" in syntax.detail
    evaluation = engine_problem({"ok": False, "error": "evaluation", "message": "division by zero"})
    assert "division by zero" in evaluation.detail
