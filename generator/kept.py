"""What the last build made, kept for the preview's next save: a value made again only when
what it is made from has changed, so that an unchanged record, or row, is the same object as
in the last save, which the preview's comparison passes by (and a file's text is not read
again, nor an unchanged table parsed again; see source/cache.py)."""

from __future__ import annotations

from collections.abc import Callable


class Kept:
    """Values made by the last build, by what they were made from; a build keeps for the
    next only the ones it used (``done``)."""

    def __init__(self) -> None:
        self.last: dict = {}
        self.now: dict = {}
        self.basis: object = None

    def based_on(self, basis: object) -> None:
        """Every value is made with ``basis`` too (the field catalogue, say): where it is not
        the last build's, nothing kept is used."""
        if basis != self.basis:
            self.last = {}
        self.basis = basis

    def peek(self, key):
        """The value the last build kept for ``key``, or None; kept again only by ``keep``."""
        return self.last.get(key)

    def keep(self, key, value) -> None:
        """Keep ``value`` for the next build."""
        self.now[key] = value

    def get(self, key: tuple, make: Callable, *args):
        """The value kept for ``key`` (a hash of everything it is made from), else
        ``make(*args)``."""
        value = self.last[key] if key in self.last else make(*args)
        self.keep(key, value)
        return value

    def of(self, name: str, source: object, make: Callable):
        """``make(source)``, kept while ``source`` is the same object (a record kept by the
        model), under ``name`` for each way it is made."""
        key = (name, id(source))
        entry = self.last.get(key)
        if entry is None or entry[0] is not source:
            entry = (source, make(source))  # the source is held: its id is not reused
        self.now[key] = entry
        return entry[1]

    def done(self) -> None:
        """The next build keeps only what this one used."""
        self.last, self.now = self.now, {}
