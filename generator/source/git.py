"""The git helpers the build uses: one command runner, a reader of many files' past versions
in one process, and the build's timestamp. Outside a git checkout there is no history, and the
pages say so rather than invent a date."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(folder: Path, *args: str) -> str | None:
    """The output of a git command run in ``folder``, or None when git or the history is
    missing (not a checkout, no such commit or file)."""
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.decode("utf-8", errors="replace")


def blobs(folder: Path, names: list[str]) -> list[str | None]:
    """The text of each object in ``names`` (such as "<commit>:<path>"), read by one git
    process (``git cat-file --batch``); None for an object that does not exist or is no file."""
    if not names:
        return []
    request = "".join(f"{name}\n" for name in names).encode("utf-8")
    command = ["git", "-C", str(folder), "cat-file", "--batch"]
    try:
        output = subprocess.run(command, input=request, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return [None] * len(names)
    texts: list[str | None] = []
    at = 0
    for _ in names:
        end = output.index(b"\n", at)
        header = output[at:end].split(b" ")
        at = end + 1
        # "<sha> <type> <size>" and the content, or "<name> missing" (or "ambiguous").
        if len(header) == 3 and header[2].isdigit() and header[1] != b"missing":
            size = int(header[2])
            content = output[at : at + size]
            at += size + 1
            texts.append(
                content.decode("utf-8", errors="replace") if header[1] == b"blob" else None
            )
        else:
            texts.append(None)
    return texts


def commit_time(data_dir: Path) -> int:
    """Seconds since 1970 of the newest commit, or 0 outside git: a build timestamp that is
    the same for every build of the same commit."""
    output = (git(data_dir, "log", "-1", "--format=%ct") or "").strip()
    return int(output) if output.isdigit() else 0
