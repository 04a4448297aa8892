"""In remote mode no OS layer of the service's stands in front of the engine: /health says the guard
alone (the engine's own confinement is its unit's, deploy/systemd, checked by tests/web/test_deploy.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_lists_the_guard_alone_in_front_of_a_remote_engine(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["egress"] == {"guard": True, "network_namespace": False, "seccomp": False}
    assert health["network_sandbox"] is False and health["engine"].startswith("http://")
