"""Work that can run beside the main process: forked, so the child shares the parent's memory
(copy on write) instead of receiving a pickled copy of the data.

Fork only where the calling process runs no other threads (a forked child gets one thread,
and a lock another thread held stays locked); the live preview, which runs a web server,
therefore does its work at once. Starting work here starts no thread in this process, so a
second piece of work may be forked while the first runs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable


def at_once(function, *args) -> Callable[[], object]:
    result = function(*args)
    return lambda: result


def in_background(function, *args) -> Callable[[], object]:
    """Start function(*args) in a forked process, which shares this one's memory instead of
    receiving a pickled copy; returns a function that waits for the result (or raises what
    the work raised). Where processes cannot be forked, the work is done at once."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return at_once(function, *args)
    context = multiprocessing.get_context("fork")
    answer, send = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(send, function, args), daemon=True)
    process.start()
    send.close()

    def wait():
        try:
            done, result = answer.recv()
        except EOFError:
            done, result = False, ChildProcessError("the work beside the build stopped")
        finally:
            answer.close()
            process.join()
        if not done:
            raise result
        return result

    return wait


def _run(send, function, args) -> None:
    try:
        outcome = (True, function(*args))
    except BaseException as exc:  # handed to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # an answer that cannot be pickled
        send.send((False, RuntimeError(f"the work beside the build failed: {exc}")))
    send.close()
