"""Work beside the build, in a forked process: its answer, or what it raised, comes back, and
starting it starts no thread here, so that more work can be forked safely meanwhile."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from generator.parallel import in_background


def _double(value: int) -> int:
    return 2 * value


def _refuse(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(3)


def test_the_answer_comes_back_and_no_thread_is_started():
    threads = threading.active_count()
    first, second = in_background(_double, 20), in_background(_double, 21)
    assert threading.active_count() == threads
    assert (first(), second()) == (40, 42)


def test_what_the_work_raises_is_raised_by_the_wait():
    wait = in_background(_refuse, "a page template failed")
    with pytest.raises(ValueError, match=r"^a page template failed$"):
        wait()


def test_work_that_dies_is_an_error_not_a_hang():
    with pytest.raises(ChildProcessError, match="stopped"):
        in_background(_die)()


def _sleep() -> None:
    time.sleep(600)


def test_stopped_work_ends_at_once():
    work = in_background(_sleep)
    work.stop()
    assert multiprocessing.active_children() == []
    work.stop()  # stopping it again, or once it is done, does nothing
    done = in_background(_double, 1)
    assert done() == 2
    done.stop()
