"""Change history of the data, read from git: per commit, which records were added, changed or
removed, and for changed records which fields changed from what to what.

The diff works on records, not lines: a YAML record by its file, a CSV row by its primary key.
In a shallow clone the history is incomplete and outside git there is none; ``History.status``
says which, so the pages can say so instead of failing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..source.git import git

# Primary keys of the CSV tables, and the kind of record each holds.
TABLE_KEYS = {
    "organisations.csv": ("organisation", ("id",)),
    "decisions.csv": ("decision", ("id",)),
    "costs.csv": ("cost", ("partnership_id", "year", "funder_id", "kind", "category")),
    "results.csv": ("result", ("partnership_id", "period_start", "period_end", "indicator")),
}
RECORD_FOLDERS = {"partnerships": "partnership", "questions": "question"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RecordChange:
    kind: str  # partnership, question, organisation, decision, cost, result, or file
    key: str  # the record's id, or its key columns joined with " / "
    action: str  # added, changed or removed
    fields: tuple[FieldChange, ...]
    partnership_id: str  # the partnership the record belongs to, where there is one


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date
    subject: str
    changes: tuple[RecordChange, ...]
    files: tuple[str, ...]  # the data files the commit touched, relative to the data folder


@dataclass(frozen=True)
class History:
    status: str  # "full", "shallow" (incomplete) or "none" (no git history)
    commits: tuple[Commit, ...]  # newest first

    def last_changed(self) -> dict[str, dt.date]:
        """{path inside the data folder: date of the newest commit that changed it}."""
        changed: dict[str, dt.date] = {}
        for commit in self.commits:
            for file in commit.files:
                changed.setdefault(file, commit.date)
        return changed

    def for_partnership(self, pid: str) -> list[tuple[Commit, RecordChange]]:
        return [
            (commit, change)
            for commit in self.commits
            for change in commit.changes
            if change.partnership_id == pid
        ]


def read_history(data_dir: Path) -> History:
    if git(data_dir, "rev-parse", "--is-inside-work-tree") is None:
        return History("none", ())
    shallow = (git(data_dir, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    prefix = (git(data_dir, "rev-parse", "--show-prefix") or "").strip()
    log = (
        git(
            data_dir,
            "log",
            "--reverse",
            "--relative",
            "--name-only",
            "--format=%x00%H%x00%cs%x00%s",
            "--",
            ".",
        )
        or ""
    )
    commits: list[Commit] = []
    for block in log.split("\n\x00")[0:]:
        block = block.lstrip("\x00")
        if not block.strip():
            continue
        head, _, files = block.partition("\n")
        sha, day, subject = head.split("\x00", 2)
        changes: list[RecordChange] = []
        touched = tuple(sorted(f for f in files.splitlines() if f.strip()))
        for rel in touched:
            before = git(data_dir, "show", f"{sha}^:{prefix}{rel}")
            after = git(data_dir, "show", f"{sha}:{prefix}{rel}")
            changes += diff_file(rel, before, after)
        commits.append(Commit(sha, dt.date.fromisoformat(day), subject, tuple(changes), touched))
    return History("shallow" if shallow else "full", tuple(reversed(commits)))


def diff_file(rel: str, before: str | None, after: str | None) -> list[RecordChange]:
    """The record changes between two versions of one data file (None: the file is absent)."""
    folder, _, name = rel.rpartition("/")
    if folder in RECORD_FOLDERS and name.endswith(".yaml"):
        key = name.removesuffix(".yaml")
        kind = RECORD_FOLDERS[folder]
        old, new = _flat_yaml(before), _flat_yaml(after)
        pid = key if kind == "partnership" else ""
        return _compare(
            kind,
            {key: old} if old is not None else {},
            {key: new} if new is not None else {},
            pid_of=lambda k, r: pid,
        )
    if rel in TABLE_KEYS:
        kind, key_columns = TABLE_KEYS[rel]
        return _compare(
            kind,
            _keyed_rows(before, key_columns),
            _keyed_rows(after, key_columns),
            pid_of=lambda k, r: r.get("partnership_id", ""),
        )
    if before == after:
        return []
    action = "added" if before is None else "removed" if after is None else "changed"
    return [RecordChange("file", rel, action, (), "")]


def _compare(kind, old: dict, new: dict, pid_of) -> list[RecordChange]:
    changes = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        record = after if after is not None else before
        if before is None:
            action, fields = "added", ()
        elif after is None:
            action, fields = "removed", ()
        else:
            action = "changed"
            fields = tuple(
                FieldChange(name, before.get(name, ""), after.get(name, ""))
                for name in sorted(set(before) | set(after))
                if before.get(name, "") != after.get(name, "")
            )
        changes.append(RecordChange(kind, key, action, fields, pid_of(key, record)))
    return changes


def _flat_yaml(text: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {"(file)": text}
    flat: dict[str, str] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        else:
            flat[path] = "" if value is None else str(value)

    walk(data, "")
    return flat


def _keyed_rows(text: str | None, key_columns: tuple[str, ...]) -> dict[str, dict[str, str]]:
    if text is None:
        return {}
    rows = {}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        if not all(c in row for c in key_columns):
            return {}  # an older layout this history cannot key
        rows[" / ".join(row[c] or "" for c in key_columns)] = {
            k: v or "" for k, v in row.items() if k is not None
        }
    return rows


def atom_feed(
    history: History, titles: dict[tuple[str, str], tuple[str, str]], limit: int = 100
) -> bytes:
    """An Atom feed of the newest record changes. ``titles`` maps (kind, key) to the record's
    title and its page path relative to the site root, where the record has a page."""
    from xml.etree import ElementTree as ET

    # Plain names and a literal xmlns attribute: ElementTree's namespace registry is global,
    # and other writers (the Excel workbook) use it too.
    feed = ET.Element("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": "sv"})

    def add(parent, tag: str, text: str = "", **attrs) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        element.text = text or None
        return element

    add(feed, "id", "tag:insyn-i-samverkan,2026:andringar")
    add(feed, "title", "Insyn i samverkan: ändringar i uppgifterna")
    newest = history.commits[0].date if history.commits else dt.date(1970, 1, 1)
    add(feed, "updated", f"{newest.isoformat()}T00:00:00Z")
    add(add(feed, "author"), "name", "Stockholms stad, Arbetsmarknadsnämnden")
    add(feed, "link", rel="alternate", href="andringar/")
    entries = [(c, ch) for c in history.commits for ch in c.changes if ch.kind != "file"]
    for commit, change in entries[:limit]:
        title, page = titles.get((change.kind, change.key), (change.key, "andringar/"))
        if change.kind in ("cost", "result") and change.partnership_id:
            title, page = titles.get(("partnership", change.partnership_id), (title, page))
        entry = add(feed, "entry")
        add(entry, "id", f"tag:insyn-i-samverkan,2026:{commit.sha}/{change.kind}/{change.key}")
        add(entry, "title", f"{KIND_LABELS[change.kind]}, {ACTION_LABELS[change.action]}: {title}")
        add(entry, "updated", f"{commit.date.isoformat()}T00:00:00Z")
        add(entry, "link", rel="alternate", href=page)
        summary = "; ".join(f"{f.field}: {f.before} → {f.after}" for f in change.fields)
        add(entry, "summary", summary or commit.subject)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


KIND_LABELS = {
    "partnership": "Partnerskap",
    "question": "Politisk fråga",
    "organisation": "Organisation",
    "decision": "Handling",
    "cost": "Kostnad",
    "result": "Resultat",
    "file": "Fil",
}
ACTION_LABELS = {"added": "tillägg", "changed": "ändring", "removed": "borttagning"}
