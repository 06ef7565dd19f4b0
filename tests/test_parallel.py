"""Work beside the build, in a forked process: its answer, or what it raised, comes back, and
starting it starts no thread here, so that more work can be forked safely meanwhile."""

from __future__ import annotations

import os
import threading

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
