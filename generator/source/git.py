"""The git helpers the build uses: one command runner, a reader of many files' past versions
in one process, and the build's timestamp. Outside a git checkout there is no history, and the
pages say so rather than invent a date."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def git(folder: Path, *args: str) -> str | None:
    """The output of a git command run in ``folder``, or None when git or the history is
    missing (not a checkout, no such commit or file)."""
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.decode("utf-8", errors="replace")


def blobs(folder: Path, names: list[str]) -> Iterator[str | None]:
    """The text of each object in ``names`` (such as "<commit>:<path>"), read by one git
    process (``git cat-file --batch``); None for an object that does not exist or is no file.
    The texts come one at a time as git writes them: a long history of a large table is never
    held in memory all at once."""
    if not names:
        return
    with _fed(folder, ["cat-file", "--batch"], names) as stdout:
        for _ in names:
            yield _answer(stdout) if stdout else None


def output_lines(folder: Path, args: list[str], lines: list[str]) -> Iterator[bytes]:
    """The output of a git command run in ``folder`` with ``lines`` as its input, line by line
    as git writes it (each with its newline); nothing when git cannot start."""
    with _fed(folder, args, lines) as stdout:
        yield from stdout or ()


@contextmanager
def _fed(folder: Path, args: list[str], lines: list[str]) -> Iterator[IO[bytes] | None]:
    """A git command's output while ``lines`` are written to its input; None when git cannot
    start. The input is written from a second thread: git answers while it reads, and neither
    side may wait for the other with a full pipe."""
    request = "".join(f"{line}\n" for line in lines).encode("utf-8")
    child = _started(folder, args)
    if child is None:
        yield None
        return
    writer = threading.Thread(target=_send, args=(child.stdin, request), daemon=True)
    writer.start()
    try:
        yield child.stdout
    finally:
        child.stdout.close()
        writer.join()
        child.wait()


def _started(folder: Path, args: list[str]) -> subprocess.Popen | None:
    """A git command started in ``folder`` with pipes to its input and output, or None when
    git cannot start."""
    command = ["git", "-C", str(folder), *args]
    try:
        return subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return None


def _answer(stdout) -> str | None:
    """One object's text as ``git cat-file --batch`` writes it: "<sha> <type> <size>" and the
    content, or "<name> missing" (or "ambiguous"); nothing at all when git could not start on
    the folder. None for all but a file's content."""
    header = stdout.readline().split(b" ")
    if len(header) == 3 and header[2].strip().isdigit() and header[1] != b"missing":
        content = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after the content
        return content.decode("utf-8", errors="replace") if header[1] == b"blob" else None
    return None


class Objects:
    """Objects' texts asked for one at a time, each answered before the next is asked, by one
    ``git cat-file --batch`` process (which writes out each object as soon as it is asked):
    for reads that depend on what the last one said. ``blobs`` is faster for a list known
    beforehand. Use as a context manager; the process starts at the first question."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.child: subprocess.Popen | None = None

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc) -> None:
        if self.child is not None:
            self.child.stdin.close()
            self.child.stdout.close()
            self.child.wait()

    def text(self, name: str) -> str | None:
        """The text of the object ``name`` (an object id, "<commit>:<path>"), or None."""
        if self.child is None:
            self.child = _started(self.folder, ["cat-file", "--batch"])
            if self.child is None:
                return None
        try:
            self.child.stdin.write(f"{name}\n".encode())
            self.child.stdin.flush()
        except OSError:  # git stopped (it could not start on the folder)
            return None
        return _answer(self.child.stdout)


def _send(pipe, request: bytes) -> None:
    try:
        pipe.write(request)
        pipe.close()
    except OSError:  # git stopped reading (it could not start, or the reader stopped)
        pass


def commit_time(data_dir: Path) -> int:
    """Seconds since 1970 of the newest commit, or 0 outside git: a build timestamp that is
    the same for every build of the same commit."""
    output = (git(data_dir, "log", "-1", "--format=%ct") or "").strip()
    return int(output) if output.isdigit() else 0
