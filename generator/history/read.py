"""The change history of the data, read from git: per commit, which records were added,
changed or removed, and for changed records which fields changed from what to what.

Only the data counts: records (YAML files and CSV rows) and the data package's version. Changes
to the README, the schemas' wording or the code are left out. In a shallow clone the history is
incomplete and outside git there is none; ``History.status`` says which, so the pages can say so
instead of failing. A commit may carry a note for the public in a ``Notis:`` trailer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..catalogue import Catalogue
from ..source.cache import NO_CACHE, Cache, digest
from ..source.git import blobs, git
from .diff import FieldChange, RecordChange, diff_file, flat_yaml, table_kind
from .tables import Step, table_changes

NOTE_TRAILER = "Notis"


@dataclass(frozen=True)
class Commit:
    sha: str
    time: dt.datetime  # the commit time, with its time zone
    subject: str  # the developers' message: never shown to the public
    note: str  # the Notis: trailer, a note for the public in Swedish, or ""
    changes: tuple[RecordChange, ...]
    files: tuple[str, ...]  # the data files whose values the commit changed (relative to data/)

    @property
    def date(self) -> dt.date:
        return self.time.date()


@dataclass(frozen=True)
class History:
    status: str  # "full", "shallow" (incomplete) or "none" (no git history)
    commits: tuple[Commit, ...]  # newest first

    @cached_property
    def _by_record(self) -> dict[tuple[str, str], list[tuple[Commit, RecordChange]]]:
        index: dict[tuple[str, str], list] = defaultdict(list)
        for commit in self.commits:
            for change in commit.changes:
                index[(change.kind, change.key)].append((commit, change))
                if change.partnership_id and change.kind != "partnership":
                    index[("partnership", change.partnership_id)].append((commit, change))
        return dict(index)

    def for_record(self, kind: str, key: str) -> list[tuple[Commit, RecordChange]]:
        """The changes to one record, newest first; a partnership's include its costs and
        results."""
        return self._by_record.get((kind, key), [])

    def data_commits(self) -> list[Commit]:
        return [c for c in self.commits if c.changes]

    def last_changed(self) -> dict[str, dt.date]:
        """{path inside the data folder: date of the newest commit that changed it}."""
        changed: dict[str, dt.date] = {}
        for commit in self.commits:
            for file in commit.files:
                changed.setdefault(file, commit.date)
        return changed


def read_history(data_dir: Path, catalogue: Catalogue, cache: Cache = NO_CACHE) -> History:
    """The history of ``data_dir``. A commit never changes, so what it changed is kept in
    ``cache`` (keyed by the commit, the files it touched, and what of the catalogue the changes
    are read with): a rebuild reads only the versions of files of new commits."""
    if git(data_dir, "rev-parse", "--is-inside-work-tree") is None:
        return History("none", ())
    shallow = (git(data_dir, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    logged = _log(data_dir, shallow)
    context = _reading(catalogue)
    keys = {e.sha: digest("history", context, e.sha, str(e.parents), *e.files) for e in logged}
    kept = {e.sha: cache.get(keys[e.sha]) for e in logged}
    new = [e for e in logged if kept[e.sha] is None]
    steps = [
        Step(e.sha, rel, *pair)
        for e in new
        for rel, pair in zip(e.files, e.versions, strict=True)
        if table_kind(rel, catalogue)
    ]
    tables = table_changes(data_dir, steps, catalogue)  # from git's patches
    # Every version of every other touched file of the commits not kept, before and after each
    # commit, from one git process, by object id: a "<commit>:<path>" name would have git
    # search the commit's tree for the path every time, and a folder of 10,000 records is
    # searched from its start.
    ids = [
        i
        for e in new
        for rel, pair in zip(e.files, e.versions, strict=True)
        if (e.sha, rel) not in tables
        for i in pair
        if i
    ]
    texts = blobs(data_dir, ids)  # one version at a time, in the order asked
    commits = []
    flat = _Reread()
    for entry in logged:
        if kept[entry.sha] is None:
            found, changed = _read(entry, texts, tables, catalogue, flat)
            cache.put(keys[entry.sha], _plain((found, changed)))
            changes, changed = tuple(found), tuple(changed)
        else:
            changes, changed = _typed(kept[entry.sha])
        commits.append(Commit(entry.sha, entry.time, entry.subject, entry.note, changes, changed))
    return History("shallow" if shallow else "full", tuple(reversed(commits)))


def _log(data_dir: Path, shallow: bool) -> list[_Logged]:
    """The commits that touched the data folder, oldest first, with the files they touched."""
    trailer = f"%(trailers:key={NOTE_TRAILER},valueonly,separator=%x20)"
    log = git(
        data_dir,
        "-c",
        "core.quotePath=off",
        "log",
        "--reverse",
        "--relative",
        "--no-renames",  # a renamed record is one removed and one added
        "--raw",  # each changed file with its versions' object ids before and after
        "--no-abbrev",
        f"--format=%x00%H%x00%P%x00%cI%x00%s%x00{trailer}",
        "--",
        ".",
    )
    return [
        _logged(block, shallow)
        for block in (log or "").split("\n\x00")
        if block.strip("\x00").strip()
    ]


class _Reread:
    """YAML versions read once: a commit's version of a file before it is the version after
    the commit that last changed the file, read then. Each is kept until it is asked for
    again, so about one version per file touched is held (two for a file whose earlier
    commits came from the cache)."""

    def __init__(self) -> None:
        self.kept: dict[str, dict[str, str] | None] = {}

    def __call__(self, text: str | None) -> dict[str, str] | None:
        if text is None:
            return None
        if text in self.kept:
            return self.kept.pop(text)
        self.kept[text] = flat_yaml(text)
        return self.kept[text]


def _read(
    entry: _Logged, texts, tables: dict, catalogue: Catalogue, flat: _Reread
) -> tuple[list[RecordChange], list[str]]:
    """What one commit changed: its tables' changes from ``tables``, its other files' from
    their versions in ``texts``."""
    changes: list[RecordChange] = []
    changed = []  # a file rewritten with the same values (portal format) is not changed
    for rel, (old, new) in zip(entry.files, entry.versions, strict=True):
        found = tables.get((entry.sha, rel))
        if found is None:
            before = next(texts) if old else None
            after = next(texts) if new else None
            found = diff_file(rel, before, after, catalogue, flat)
        changes += found
        if found or catalogue.kind_of(rel) is None:
            changed.append(rel)
    return changes, changed


def _reading(catalogue: Catalogue) -> str:
    """What ``diff_file`` reads of the catalogue besides the code: which file holds which
    kind of record, and each kind's key columns."""
    return repr((sorted(catalogue.files.items()), sorted(catalogue.keys.items())))


def _plain(read: tuple[list[RecordChange], list[str]]) -> tuple:
    """A commit's changes as plain tuples, for the cache (which stores only plain data)."""
    changes, changed = read
    # By hand: dataclasses.astuple deep-copies every string, and a first commit of a large
    # dataset has a change for every record.
    plain = tuple(
        (c.kind, c.key, c.action, tuple((f.field, f.before, f.after) for f in c.fields),
         c.partnership_id, c.name, c.row)
        for c in changes
    )  # fmt: skip
    return plain, tuple(changed)


def _typed(plain: tuple) -> tuple[tuple[RecordChange, ...], tuple[str, ...]]:
    changes, changed = plain
    return (
        tuple(
            RecordChange(
                kind,
                key,
                action,
                tuple(FieldChange(*f) for f in fields),
                pid,
                name,
                tuple(tuple(cell) for cell in row),
            )
            for kind, key, action, fields, pid, name, row in changes
        ),
        tuple(changed),
    )


@dataclass(frozen=True)
class _Logged:
    """A commit as git log tells it, before its files are read."""

    sha: str
    parents: bool
    time: dt.datetime
    subject: str
    note: str
    files: tuple[str, ...]
    versions: tuple[tuple[str | None, str | None], ...]  # each file's object ids, or None


def _logged(block: str, shallow: bool) -> _Logged:
    head, _, raw = block.lstrip("\x00").partition("\n")
    sha, parents, time, subject, note = [*head.split("\x00", 4), ""][:5]
    when = dt.datetime.fromisoformat(time)
    # ":<mode> <mode> <id before> <id after> <status>\t<path>"; an id of zeros: no such file.
    touched = {}
    for line in raw.splitlines():
        status, tab, path = line.partition("\t")
        if line.startswith(":") and tab:
            before, after = status.split(" ")[2:4]
            touched[path] = (_object(before), _object(after))
    if shallow and not parents.strip():
        # The oldest commit of a shallow clone: what it changed cannot be seen, since the
        # commit before it is not there. It tells nothing rather than call everything new.
        touched = {}
    files = tuple(sorted(touched))
    versions = tuple(touched[f] for f in files)
    return _Logged(sha, bool(parents.strip()), when, subject, note.strip(), files, versions)


def _object(oid: str) -> str | None:
    """An object id of git's raw diff, or None for its id of zeros (no such file)."""
    return oid if oid.strip("0") else None
