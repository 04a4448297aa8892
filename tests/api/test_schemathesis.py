"""Property-based tests of every /api operation, /sparql and /health from the OpenAPI document.

Every check of schemathesis runs (no 5xx, status codes, content types, headers and bodies as
documented, invalid data refused, unsupported methods answered 405) but one: positive data
acceptance, since schema-valid random ids and queries are refused with 404/422/400 by design.

Bounded and deterministic: a fixed number of examples per operation, derandomized, no example
database, no network (the app is called in-process through ASGI). Schemathesis runs the lifespan of
the app it is given on its own event loop, so it gets its own real-data app, not the shared one.
Its pytest plugin ends that lifespan after every test, so each of the ~30 operations loaded and
validated the real data again (most of this module's time); `one_lifespan` keeps it for the module.
Slow: `make test-fast` leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis
import pytest
import schemathesis
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

from graph_service.web.app import create_app
from tests.helpers import real_settings


@schemathesis.serializer("application/sparql-query")
def sparql_query_body(_context: object, value: object) -> bytes:
    """POST /sparql with the query as the body (SPARQL 1.1 Protocol, direct POST)."""
    return str(value).encode()


# The document as /openapi.json serves it, read without starting the app: from_asgi would run its
# lifespan (the data loaded and validated) to fetch it, 30 s of every collection, test-fast's included.
app = create_app(real_settings())
schema = schemathesis.openapi.from_dict(app.openapi()).include(path_regex="^/(api/|sparql$|health$)")
schema.app = app  # the operations are called in-process (ASGI); that runs the lifespan, when the test runs


@pytest.fixture(scope="module", autouse=True)
def one_lifespan() -> Iterator[None]:
    """The app's lifespan started once for the module's tests, ended after the last one (schemathesis's
    plugin ends the lifespans it started at every test's teardown: that call waits for the module's end)."""
    with pytest.MonkeyPatch.context() as patch:
        end = asgi.shutdown_lifespans
        patch.setattr(asgi, "shutdown_lifespans", lambda: None)
        try:
            yield
        finally:
            end()


@pytest.mark.slow
@schema.parametrize()
@hypothesis.settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_operation(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
    # Schema-valid but unknown ids (random strings) and random query texts are refused by design.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
