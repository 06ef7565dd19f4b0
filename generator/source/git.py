"""The git helpers the build uses: one command runner, and the build's timestamp. Outside a
git checkout there is no history, and the pages say so rather than invent a date."""

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


def commit_time(data_dir: Path) -> int:
    """Seconds since 1970 of the newest commit, or 0 outside git: a build timestamp that is
    the same for every build of the same commit."""
    output = (git(data_dir, "log", "-1", "--format=%ct") or "").strip()
    return int(output) if output.isdigit() else 0
