"""What the commits changed in the tables, read from git's patches: the lines a commit removed
and added, not every line of both versions.

A table's change is the rows on the lines that differ (``diff.rows_of_lines``), which is what
comparing every row gives as long as each line is one row and the header stays. So git's
patch is enough when the version before is known to be such a table (from reading it, or from
the patch that made it) and the commit kept the header and added no line that goes on past its
end. Then the version after is such a table too, with the same header, and the next commit's
patch is enough again: a history costs what its commits changed, not the tables' size times the
number of commits. Anything else (a table added or removed, a new header, a quoted line break,
a patch git gives as binary, or a version before that this run did not see) is read whole, as
``diff.diff_file`` reads two versions.

All the patches come from one ``git diff-tree`` process, in commit order, and the versions read
whole from one ``git cat-file`` process.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import Catalogue
from ..source.git import Objects, output_lines
from .diff import (
    RecordChange,
    diff_file,
    line_rows,
    one_row,
    row_changes,
    rows_of_lines,
    table_kind,
)

_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_COMMIT = re.compile(rb"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


@dataclass(frozen=True)
class Step:
    """A commit's change to one table: its object ids before and after (None: no such file)."""

    sha: str
    rel: str
    old: str | None
    new: str | None


@dataclass
class Patch:
    # The lines as ``diff.line_rows`` splits a version: without the carriage return of a CRLF.
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    header: bool = False  # whether the first line (the header) is among the changed
    binary: bool = False  # git gave no lines


def table_changes(
    data_dir: Path, steps: list[Step], catalogue: Catalogue
) -> dict[tuple[str, str], list[RecordChange]]:
    """{(commit, table): its record changes} for ``steps``, oldest commit first."""
    wanted = [s.sha for s in steps if s.old and s.new]
    patches = _patches(data_dir, list(dict.fromkeys(wanted)), sorted({s.rel for s in steps}))
    current: dict[str, tuple[str, str]] = {}  # table: (its last version, that one's header)
    found: dict[tuple[str, str], list[RecordChange]] = {}
    with Objects(data_dir) as objects, closing(patches):
        for step in steps:
            patch = patches.next(step.sha).get(step.rel) if step.sha in patches.wanted else None
            version, header = current.pop(step.rel, (None, None))
            kind = table_kind(step.rel, catalogue)  # steps are of tables only
            columns = catalogue.keys.get(kind.key, ())
            rows = None
            if step.old and step.old == version and patch and _lines_will_do(patch):
                rows = rows_of_lines(header, patch.removed, patch.added, columns)
            if rows is not None:
                found[(step.sha, step.rel)] = row_changes(kind.key, *rows, columns)
                current[step.rel] = (step.new, header)
                continue
            before = objects.text(step.old) if step.old else None
            after = objects.text(step.new) if step.new else None
            found[(step.sha, step.rel)] = diff_file(step.rel, before, after, catalogue)
            lines = line_rows(after) if after else None
            if lines:
                current[step.rel] = (step.new, lines[0])
    return found


def _lines_will_do(patch: Patch) -> bool:
    """Whether the patch keeps the header and adds only lines that are one row each (so a
    version before that is a table of one row a line stays one)."""
    return (
        not patch.header
        and not patch.binary
        and all(one_row(line) and "\r" not in line for line in patch.added)
    )


class _Patches:
    """The patches of commits in the order they were asked for, read as they are needed."""

    def __init__(self, wanted: list[str], blocks: Generator[tuple[str, dict[str, Patch]]]):
        self.wanted = set(wanted)
        self.blocks = blocks
        self.last: tuple[str, dict[str, Patch]] = ("", {})

    def next(self, sha: str) -> dict[str, Patch]:
        """The patches of ``sha``; the commits before it in the stream are passed by."""
        while self.last[0] != sha:
            self.last = next(self.blocks, (sha, {}))
        return self.last[1]

    def close(self) -> None:
        self.blocks.close()  # git's process ends


def _patches(folder: Path, shas: list[str], paths: list[str]) -> _Patches:
    return _Patches(shas, _read_patches(folder, shas, paths))


def _read_patches(
    folder: Path, shas: list[str], paths: list[str]
) -> Generator[tuple[str, dict[str, Patch]]]:
    """(commit, {table: patch}) for each of ``shas``, from one ``git diff-tree``: each commit
    against its parent, no lines of context, the paths as they are (not patterns), and
    whatever the user's git settings say of colour, prefixes, external diff programs and text
    conversion."""
    if not shas:
        return
    command = [
        "-c", "core.quotePath=off", "--literal-pathspecs", "diff-tree", "--stdin", "--always",
        "-p", "--unified=0", "--inter-hunk-context=0", "--no-color", "--no-ext-diff",
        "--no-textconv", "--no-renames", "--relative", "--src-prefix=a/", "--dst-prefix=b/",
        "--", *paths,
    ]  # fmt: skip
    yield from _blocks(output_lines(folder, command, shas))


def _blocks(stream) -> Iterator[tuple[str, dict[str, Patch]]]:
    sha, patches, patch = "", {}, None
    lines = iter(stream)
    for raw in lines:
        line = raw.rstrip(b"\n")
        if _COMMIT.match(line):
            if sha:
                yield sha, patches
            sha, patches, patch = line.decode(), {}, None
        elif line.startswith(b"diff --git a/"):
            # "diff --git a/<path> b/<path>": the table paths are known and hold no " b/".
            rel = line[len(b"diff --git a/") :].decode("utf-8", "replace").split(" b/")[0]
            patch = patches.setdefault(rel, Patch())
        elif patch is not None and line.startswith(b"Binary files "):
            patch.binary = True
        elif patch is not None and (hunk := _HUNK.match(line)):
            old_start, old_count, new_start, new_count = (
                int(n) if n is not None else 1 for n in hunk.groups()
            )
            patch.header |= (old_start <= 1 and old_count > 0) or (new_start <= 1 and new_count > 0)
            _hunk(lines, patch, old_count, new_count)
    if sha:
        yield sha, patches


def _hunk(lines: Iterator[bytes], patch: Patch, old: int, new: int) -> None:
    """The hunk's lines into ``patch``: ``old`` lines of the version before ("-", or " " for
    a line of context, which is in both) and ``new`` of the version after ("+", or " ")."""
    while old > 0 or new > 0:
        body = next(lines, None)
        if body is None:
            return
        if body.startswith(b"\\"):  # "\ No newline at end of file"
            continue
        text = body.rstrip(b"\n").decode("utf-8", "replace").removesuffix("\r")
        sign, text = text[:1], text[1:]
        if sign == "-":
            patch.removed.append(text)
            old -= 1
        elif sign == "+":
            patch.added.append(text)
            new -= 1
        else:
            old, new = old - 1, new - 1
