"""A cache of per-file check results, so that a rebuild does not check unchanged files again.

Every entry is keyed by a hash of everything its result depends on: the file's path and bytes
and, for schema checks, the schema's bytes. The whole cache is also tied to the code and the
libraries that made it, so a new version of either starts it afresh. Only plain data is stored,
with marshal, which runs no code when it reads; a cache that cannot be read is ignored. A build
keeps only the entries it used, so the cache does not grow with old versions of files. The
preview, which runs again after every save, keeps the cache in memory between its runs
(``carried``), with what the CSV tables parsed into and each file's text by its status
(``remember``): never written to the file, and kept by the preview's cache only.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
from importlib.metadata import version
from pathlib import Path

from ..kept import Kept

_LIBRARIES = ("PyYAML", "jsonschema", "frictionless")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of this package's code and of the libraries whose results it keeps."""
    package = Path(__file__).parent.parent
    files = [f.read_bytes() for f in sorted(package.rglob("*.py"))]
    return digest(*files, *(version(name) for name in _LIBRARIES))


class Cache:
    """Entries read from ``path`` (if any) and the entries used or made in this run."""

    def __init__(self, path: Path | None, remembers: bool = False) -> None:
        self.path = path
        self.code = code_version() if path else ""
        self.old: dict = {}
        self.used: dict = {}
        # Values kept in memory only, for the next run in this process (the preview's next
        # save): what a table's bytes parse into, and each file's text by its status; never
        # written, and kept only by a preview's cache (``remembers``).
        self.kept = Kept() if path and remembers else None
        if path and path.is_file():
            try:
                code, entries = marshal.loads(path.read_bytes())
            except (EOFError, ValueError, TypeError):
                code, entries = None, {}
            if code == self.code and isinstance(entries, dict):
                self.old = entries

    def get(self, key: str):
        value = self.old.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value) -> None:
        if self.path:
            self.used[key] = value

    def carried(self) -> Cache:
        """The cache for the next run in this process: the entries this run used or made,
        without the file read again. Their values are shared with this run's data, which no
        stage changes (a test checks that a build leaves the data it read as it was)."""
        carried = Cache(None)
        carried.path, carried.code, carried.old = self.path, self.code, self.used
        if self.kept is not None:
            self.kept.done()  # what this run remembered is what the next recalls
        carried.kept = self.kept
        return carried

    def recall(self, key: str):
        """What ``remember`` kept under ``key`` in the last run in this process, or None; it
        is kept for the next run only if remembered again."""
        return None if self.kept is None else self.kept.peek(key)

    def remember(self, key: str, value) -> None:
        if self.kept is not None:
            self.kept.keep(key, value)

    def save(self) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".new")
        temporary.write_bytes(marshal.dumps((self.code, self.used)))
        os.replace(temporary, self.path)


NO_CACHE = Cache(None)
