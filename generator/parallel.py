"""Work that can run beside the main process: forked, so the child shares the parent's memory
(copy on write) instead of receiving a pickled copy of the data.

Fork only where the calling process runs no other threads (a forked child gets one thread,
and a lock another thread held stays locked); the live preview, which runs a web server,
therefore does its work at once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def at_once(function, *args) -> Callable[[], object]:
    result = function(*args)
    return lambda: result


_job: tuple | None = None


def _run_job():
    function, args = _job  # type: ignore[misc]
    return function(*args)


def in_background(function, *args) -> Callable[[], object]:
    """Start function(*args) in a forked process, which shares this one's memory instead of
    receiving a pickled copy; returns a function that waits for the result. Where processes
    cannot be forked, the work is done at once."""
    global _job
    if "fork" not in multiprocessing.get_all_start_methods():
        return at_once(function, *args)
    _job = (function, args)
    executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    try:
        future = executor.submit(_run_job)  # forks now, while _job is set
    finally:
        _job = None

    def wait():
        try:
            return future.result()
        finally:
            executor.shutdown()

    return wait
