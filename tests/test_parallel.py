"""Work beside the build, in a forked process (or, beside the preview's threads, a new one):
its answer, or what it raised, comes back, starting it starts no thread here, so that more
work can be forked safely meanwhile, and work no longer wanted is stopped."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from generator.parallel import Superseded, in_background, in_new_process, waited

STARTS = pytest.mark.parametrize("start", [in_background, in_new_process], ids=["forked", "new"])


def _double(value: int) -> int:
    return 2 * value


def _refuse(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(3)


@STARTS
def test_the_answer_comes_back_and_no_thread_is_started(start):
    threads = threading.active_count()
    first, second = start(_double, 20), start(_double, 21)
    assert threading.active_count() == threads
    assert (first(), second()) == (40, 42)


@STARTS
def test_what_the_work_raises_is_raised_by_the_wait(start):
    wait = start(_refuse, "a page template failed")
    with pytest.raises(ValueError, match=r"^a page template failed$"):
        wait()


@STARTS
def test_work_that_dies_is_an_error_not_a_hang(start):
    with pytest.raises(ChildProcessError, match="stopped"):
        start(_die)()


def _sleep() -> None:
    time.sleep(600)


@STARTS
def test_stopped_work_ends_at_once(start):
    work = start(_sleep)
    work.stop()
    assert multiprocessing.active_children() == []
    work.stop()  # stopping it again, or once it is done, does nothing
    done = start(_double, 1)
    assert done() == 2
    done.stop()


def test_work_is_waited_for_until_it_is_superseded():
    """The preview's downloads: waited for while no newer save came, then stopped at once."""
    assert waited(in_new_process(_double, 4), lambda: False) == 8
    work, asked = in_new_process(_sleep), []

    def superseded() -> bool:
        asked.append(time.monotonic())
        return len(asked) > 2

    with pytest.raises(Superseded):
        waited(work, superseded)
    assert multiprocessing.active_children() == []
    assert len(asked) == 3
