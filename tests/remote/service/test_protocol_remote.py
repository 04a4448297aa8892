"""The SPARQL protocol and refusal tests of the embedded mode, run in remote mode.

Every `test_*` of tests/service/test_protocol.py and test_refusals.py is collected here too (with
this folder's fixtures: the app over Oxigraph's server), except those that are about something
else than the engine, so a test added there runs in both modes.
"""

from __future__ import annotations

import pytest

from tests.service import test_protocol, test_refusals
from tests.service.test_refusals import listener  # noqa: F401 (a fixture of the imported tests)

NOT_ABOUT_THE_ENGINE = {"test_invalid_data_refuses_to_start"}  # refused before any engine is chosen

globals().update(
    {
        name: value
        for module in (test_protocol, test_refusals)
        for name, value in vars(module).items()
        if name.startswith("test_") and callable(value) and name not in NOT_ABOUT_THE_ENGINE
    }
)

pytestmark = [pytest.mark.remote, pytest.mark.slow]
