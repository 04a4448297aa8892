"""A gate in front of the query workers' start, for tests that kill workers while they load.

Put `StartGate.prefix` before the worker command (where the sandbox prefix goes): while the gate is
shut, a worker the pool starts waits before it runs, so it is still loading whenever a test kills
it, however slow the machine (no race with a worker that finishes loading first). Opened, the
waiting worker goes on (same process) and loads the store as usual.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

_WAIT_THEN_RUN = (
    "import os, sys, time\n"
    "while os.path.exists(sys.argv[1]):\n"
    "    time.sleep(0.01)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)


class StartGate:
    """Shut while a file exists; open (the default) when it does not."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "workers-wait"

    @property
    def prefix(self) -> list[str]:
        """The command prefix that waits at the gate, then runs the rest of the command."""
        return [sys.executable, "-c", _WAIT_THEN_RUN, str(self.path)]

    def before(self, sandbox: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
        """`worker_sandbox` with the gate in front of the prefix it gives."""
        return lambda mode: [*self.prefix, *sandbox(mode)]

    def shut(self) -> None:
        """Workers started from now on wait."""
        self.path.touch()

    def open(self) -> None:
        """The waiting worker and the next ones run."""
        self.path.unlink(missing_ok=True)
