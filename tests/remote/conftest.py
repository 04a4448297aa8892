"""Remote mode: the service over Oxigraph's server (`--engine URL`) instead of its own workers
(or over Virtuoso: `KG_TEST_ENGINE=virtuoso pytest -m remote`, docs/operators.md, "A remote engine").

`service/` runs the SPARQL protocol and refusal tests on the small fixture data, `site/` the JSON API
and publishing tests on the project's data, each over an Oxigraph server holding the
`graph-service export` output of the same files: the test functions are imported from the embedded
mode's modules, so both modes pass the same code. All are marked `remote` (and `slow`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import base_settings, real_settings
from tests.remote.engine import Engine, engine_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of this folder runs over a remote engine's server."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.remote)


@pytest.fixture(scope="session")
def fixture_engine() -> Iterator[Engine]:
    """The engine serving the service tests' fixture data."""
    engine = engine_server(base_settings())
    yield engine
    engine.remove()


@pytest.fixture(scope="session")
def real_engine() -> Iterator[Engine]:
    """The engine serving the project's data."""
    engine = engine_server(real_settings())
    yield engine
    engine.remove()
