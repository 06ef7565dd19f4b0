"""The change history as the public reads it: each record change as Swedish sentences.

A change names its record by title (a page address where the record has one), the field by its
Swedish title with the part of the record it sits in, and the old and new values by their
Swedish labels, dates and numbers written the Swedish way, references by the title of the
record they point at: "Bedömning (Långsiktighet, Forums kriterier) ändrades från Uppfyllt till
Inte prövat i källan." The same entries serve the page Ändringar, each record's Historik and the
Atom feed. Commit messages are never shown; a commit's ``Notis:`` trailer is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalogue import KIND, UNKNOWN, UNKNOWN_LABEL, Catalogue, Field
from ..history.diff import FieldChange, RecordChange
from ..history.read import Commit
from ..model.dataset import Dataset
from ..model.records import PartialDate
from . import fmt
from .links import has_pages, page_path

LIMIT = 160  # characters of a long text shown in a sentence
_NAMED = ("title", "name", "text")  # what a record is called, by kind of record
_ACTIONS = {"added": "Nytt", "changed": "Ändrat", "removed": "Borttaget"}


@dataclass(frozen=True)
class Entry:
    """One record change, ready to show."""

    commit: Commit
    change: RecordChange
    kind: str  # the kind's Swedish name: "Partnerskap"
    title: str  # the record's title, or for a row of costs or results its partnership's
    belongs: bool  # the record is a row of its partnership's (a cost, a result)
    page: str  # the page of the record (or its partnership) in the docs folder, or ""
    detail: str  # which row of a table: "2027, Stockholms stad, Budget, Lokaler"
    sentences: tuple[str, ...]

    @property
    def subject(self) -> str:
        """The record as text: 'Kostnad för Min Framtid (2026, Stockholms stad, Budget)'."""
        what = f"{self.kind}{' för' if self.belongs else ''}"
        what += f" – {self.title}" if self.title and not self.belongs else f" {self.title}"
        return what.rstrip() + (f" ({self.detail})" if self.detail else "")

    @property
    def headline(self) -> str:
        """One line for a feed entry's title: 'Ändrat: Partnerskap – Min Framtid'."""
        return f"{_ACTIONS[self.change.action]}: {self.subject}"


def entries(commit: Commit, data: Dataset) -> list[Entry]:
    return [entry(commit, change, data) for change in commit.changes]


def entry(commit: Commit, change: RecordChange, data: Dataset, shown: int = 6) -> Entry:
    """The change told in Swedish; past ``shown`` changed fields, the rest are counted."""
    kind = KIND[change.kind]
    belongs = not has_pages(change.kind) and bool(change.partnership_id)
    title, page = _record(change, data, belongs)
    detail = _detail(change, data) if belongs else ""
    if change.action == "added":
        sentences: tuple[str, ...] = ("Lades till.",)
    elif change.action == "removed":
        sentences = ("Togs bort.",)
    else:
        sentences = _sentences(change, data, shown)
    return Entry(
        commit, change, kind.name, title, belongs, page, detail, sentences or ("Ändrades.",)
    )


def _record(change: RecordChange, data: Dataset, belongs: bool) -> tuple[str, str]:
    """The title to show and the page to link, where the record still has one."""
    if change.kind == "guide":
        return "", page_path("guide", "index")
    if change.kind == "package":
        return "", ""
    if belongs:
        partnership = data.partnerships.get(change.partnership_id)
        if partnership is not None:
            return partnership.title, page_path("partnership", partnership.id)
        return "ett partnerskap som har tagits bort", ""
    current = data.records(change.kind).get(change.key)
    if current is not None and has_pages(change.kind):
        name = getattr(current, "title", None) or getattr(current, "name", change.key)
        return name, page_path(change.kind, change.key)
    return change.name or "en post som har tagits bort", ""


def _detail(change: RecordChange, data: Dataset) -> str:
    """A table row by its key columns, without the partnership (the entry names that)."""
    cells = dict(change.row)
    parts = []
    for column in data.catalogue.keys.get(change.kind, ()):
        if column == "partnership_id" or not cells.get(column):
            continue
        parts.append(_value(data.catalogue.field(change.kind, column), cells[column], data))
    return ", ".join(parts)


def _sentences(change: RecordChange, data: Dataset, limit: int) -> tuple[str, ...]:
    """A sentence per changed field; past ``limit`` of them, the rest summed up."""
    merged = _merged(change.fields)
    if len(merged) <= limit:
        return tuple(_sentence(change.kind, *parts, data) for parts in merged)
    shown = [_sentence(change.kind, *parts, data) for parts in merged[: limit - 1]]
    rest = merged[limit - 1 :]
    parts = sorted(
        {data.catalogue.title(change.kind, re.split(r"[.\[]", p)[0]) for p, _, _ in rest}
    )
    where = ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1]
    return (*shown, f"Dessutom ändrades {len(rest)} andra uppgifter i {where}.")


def _merged(fields: tuple[FieldChange, ...]) -> list[tuple[str, str, str]]:
    """(path, before, after), with a YAML value's ``{unknown: reason}`` folded into the value
    itself, so that a value that became unknown is one change, not two."""
    by_path: dict[str, list[str]] = {}
    for change in fields:
        path, unknown = change.field, change.field.endswith(".unknown")
        base = path.removesuffix(".unknown") if unknown else path
        before, after = by_path.setdefault(base, ["", ""])
        if unknown:
            before = before or (_marked(change.before) if change.before else "")
            after = after or (_marked(change.after) if change.after else "")
        else:
            before, after = change.before or before, change.after or after
        by_path[base] = [before, after]
    return [(path, before, after) for path, (before, after) in by_path.items() if before != after]


_REASON = "\x00"  # marks a value that the sources do not state, with its reason after it


def _marked(reason: str) -> str:
    return f"{_REASON}{reason}"


def _sentence(kind: str, path: str, before: str, after: str, data: Dataset) -> str:
    field = data.catalogue.field(kind, path)
    subject = _subject(data.catalogue, kind, path)
    old, new = _value(field, before, data), _value(field, after, data)
    if not before and after.startswith(_REASON):
        return f"{subject} ändrades till {new}."
    if not before:
        return f"{subject} lades till: {new}."
    if not after:
        return f"{subject} togs bort (var {old})."
    return f"{subject} ändrades från {old} till {new}."


def _subject(catalogue: Catalogue, kind: str, path: str) -> str:
    """The field's Swedish title, with the parts of the record it sits in: 'Bedömning
    (Långsiktighet, Forums kriterier)', 'Roll (Övriga parter, nr 2)'."""
    parts = re.findall(r"([^.\[\]]+)((?:\[\d+\])?)", path)
    titles = []
    prefix = ""
    for name, index in parts:
        prefix = f"{prefix}.{name}" if prefix else name
        found = catalogue.field(kind, prefix)
        title = found.title if found else "ett fält som inte längre finns"
        titles.append(f"{title}, nr {int(index[1:-1]) + 1}" if index else title)
        prefix += index
    leaf, context = titles[-1], titles[-2::-1][:2]
    leaf = leaf[:1].upper() + leaf[1:]
    return f"{leaf} ({', '.join(context)})" if context else leaf


def _value(field: Field | None, value: str, data: Dataset) -> str:
    if value.startswith(_REASON):
        return f"{UNKNOWN_LABEL.lower()} ({value[1:]})"
    if field is None:
        return _quoted(value)
    if value == UNKNOWN and field.unknown_allowed:
        return UNKNOWN_LABEL.lower()
    if field.references:
        record = data.records(field.references).get(value)
        name = next((getattr(record, a) for a in _NAMED if getattr(record, a, None)), None)
        if field.references.startswith("guide."):  # the guide's own ids mean nothing to readers
            return f"”{name}”" if name else "en del av vägledningen som inte längre finns"
        return name or _quoted(value)
    if field.categories or field.type == "boolean":
        return field.label(value)
    if field.path.rsplit(".", 1)[-1] in _SECTIONS:
        return _section(value, data)
    if field.type in ("date", "year") or field.format == "partial-date":
        try:
            return fmt.date_text(PartialDate.parse(value))
        except ValueError:
            return _quoted(value)
    if field.type in ("integer", "number"):
        try:
            return fmt.number(float(value))
        except ValueError:
            return _quoted(value)
    return _quoted(value)


_SECTIONS = ("section", "proposal_section")  # fields that name a section of a document


def _section(value: str, data: Dataset) -> str:
    """A section by its heading, where the documents' text gives it one heading; an id that
    names no section (or sections with different headings) is shown as it is."""
    headings = {s.heading for d in data.documents.values() for s in d.sections if s.id == value}
    return _quoted(headings.pop()) if len(headings) == 1 else _quoted(value)


def _quoted(value: str) -> str:
    value = " ".join(value.split())
    if len(value) > LIMIT:
        value = value[: LIMIT - 2].rstrip() + " …"
    return f"”{value}”"
