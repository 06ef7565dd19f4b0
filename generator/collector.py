"""Python's cycle collector, held back from work that makes many objects and no cycles.

A full pass of the collector looks at every object the process holds. In the build's process,
which holds the whole dataset, such a pass takes seconds at 10,000 partnerships, and work that
makes many objects (the search index's join, a save in the preview) sets off several. Objects
without cycles are freed all the same (by their reference counts) while the collector is off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held_back(held: bool = True) -> Iterator[None]:
    """The collector off while the block runs, when ``held``; on again after, if it was on."""
    was = gc.isenabled()
    if held:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
