"""The git helpers the build uses: one command runner, a reader of many files' past versions
in one process, and the build's timestamp. Outside a git checkout there is no history, and the
pages say so rather than invent a date."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path


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
    request = "".join(f"{name}\n" for name in names).encode("utf-8")
    command = ["git", "-C", str(folder), "cat-file", "--batch"]
    try:
        child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        yield from [None] * len(names)
        return
    # The names are written from a second thread: git answers while it reads them, and
    # neither side may wait for the other with a full pipe.
    writer = threading.Thread(target=_send, args=(child.stdin, request), daemon=True)
    writer.start()
    try:
        for _ in names:
            # "<sha> <type> <size>" and the content, or "<name> missing" (or "ambiguous");
            # nothing at all when git could not start on the folder.
            header = child.stdout.readline().split(b" ")
            if len(header) == 3 and header[2].strip().isdigit() and header[1] != b"missing":
                content = child.stdout.read(int(header[2]))
                child.stdout.read(1)  # the newline after the content
                yield content.decode("utf-8", errors="replace") if header[1] == b"blob" else None
            else:
                yield None
    finally:
        child.stdout.close()
        writer.join()
        child.wait()


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
