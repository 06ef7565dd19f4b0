"""Work that can run beside the main process: forked, so the child shares the parent's memory
(copy on write) instead of receiving a pickled copy of the data.

Fork only where the calling process runs no other threads (a forked child gets one thread,
and a lock another thread held stays locked); the live preview, which runs a web server,
therefore starts a new process instead, which is given a pickled copy of the arguments.
Starting work here starts no thread in this process, so a second piece of work may be forked
while the first runs. Work that is no longer wanted (the build failed meanwhile, or a newer
save came) is stopped, so that nothing goes on writing once the build has stopped.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Work:
    """Work under way: call it to wait for the result (or for what the work raised);
    ``stop`` ends it unfinished, if it is still running."""

    wait: Callable[[], object]
    stop: Callable[[], None] = lambda: None
    ready: Callable[[float], bool] = lambda timeout: True  # done within ``timeout`` seconds?

    def __call__(self) -> object:
        return self.wait()


class Superseded(Exception):
    """Work stopped before its end: something newer came that it no longer fits."""


def waited(work: Work, superseded: Callable[[], bool]) -> object:
    """What ``work`` gives; raises Superseded, with the work stopped, once ``superseded()``."""
    while not work.ready(0.2):
        if superseded():
            work.stop()
            raise Superseded
    return work()


def at_once(function, *args) -> Work:
    result = function(*args)
    return Work(lambda: result)


def when_waited(function, *args) -> Work:
    """The work done when it is waited for, in this process; not at all if it is stopped."""
    return Work(lambda: function(*args))


def in_background(function, *args) -> Work:
    """Start function(*args) in a forked process, which shares this one's memory instead of
    receiving a pickled copy. Where processes cannot be forked, the work is done at once."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return at_once(function, *args)
    return _started(multiprocessing.get_context("fork"), function, args)


def in_new_process(function, *args) -> Work:
    """Start function(*args) in a new process, which is given a pickled copy of the arguments:
    safe where this process runs other threads."""
    return _started(multiprocessing.get_context("spawn"), function, args)


def _started(context, function, args: tuple) -> Work:
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

    def stop():
        if process.is_alive():
            process.terminate()
        process.join()
        answer.close()

    return Work(wait, stop, answer.poll)


def _run(send, function, args) -> None:
    # A forked child has the parent's handlers; asked to stop, it ends at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        outcome = (True, function(*args))
    except BaseException as exc:  # handed to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # an answer that cannot be pickled
        send.send((False, RuntimeError(f"the work beside the build failed: {exc}")))
    send.close()
