"""The query worker pool: the scheduler (`scheduler.py`) over worker processes (`worker_process.py`).

What the rest of the service imports; the pieces live in those two modules.
"""

from __future__ import annotations

from graph_service.sparql.sandbox import network_sandbox
from graph_service.sparql.scheduler import PoolBusyError, PoolStats, WorkerPool, WorkerTimeoutError
from graph_service.sparql.worker_process import STREAM_ABOVE, Reply, SpooledBody, WorkerLostError

__all__ = [
    "STREAM_ABOVE",
    "PoolBusyError",
    "PoolStats",
    "Reply",
    "SpooledBody",
    "WorkerLostError",
    "WorkerPool",
    "WorkerTimeoutError",
    "network_sandbox",
]
