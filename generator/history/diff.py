"""Record-level diffs between two versions of one data file.

The diff works on records, not lines: a YAML record by its file, a CSV row by its table's
primary key, the guide as one document, and of the data package only its version. Which file
holds which kind of record, and each table's key, come from the field catalogue.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import yaml

from ..catalogue import Catalogue, Kind

_UNREADABLE: dict[str, str] = {}  # a YAML version that cannot be parsed


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # dotted path with list positions: "partners[0].role"; a CSV column
    before: str  # "" when the field was absent
    after: str


@dataclass(frozen=True, slots=True)
class RecordChange:
    kind: str  # a kind key of the catalogue: partnership, question, organisation, …
    key: str  # the record's id, or its key columns joined with " / "
    action: str  # added, changed or removed
    fields: tuple[FieldChange, ...]
    partnership_id: str  # the partnership the record belongs to, where there is one
    name: str = ""  # the record's title or name in the version shown (after, or before)
    # A CSV row's key cells (the columns that name the row), as in the version shown.
    row: tuple[tuple[str, str], ...] = ()


def diff_file(
    rel: str, before: str | None, after: str | None, catalogue: Catalogue, flat=None
) -> list[RecordChange]:
    """The record changes between two versions of one data file (None: the file is absent).
    Files that hold no records give none. ``flat`` reads a YAML version (``flat_yaml`` unless
    the caller keeps versions it has read)."""
    flat = flat or flat_yaml
    kind = catalogue.kind_of(rel)
    if kind is None or before == after:
        return []
    if kind.folder or kind.file:
        key = rel.rsplit("/", 1)[-1].removesuffix(".yaml") if kind.folder else ""
        old, new = flat(before), flat(after)
        if old is _UNREADABLE or new is _UNREADABLE:
            return []  # a version that cannot be read: nothing can be said of the change
        if kind.key == "package":
            old, new = _only(old, "version"), _only(new, "version")
        pid = key if kind.key == "partnership" else ""
        return _compare(kind.key, _keyed(key, old), _keyed(key, new), lambda row: pid, ())
    columns = catalogue.keys.get(kind.key, ())
    old, new = _touched_rows(before, after, columns) or (
        _keyed_rows(before, columns),
        _keyed_rows(after, columns),
    )
    if old is None or new is None:
        return []  # a layout whose rows cannot be matched by key: nothing can be said
    return row_changes(kind.key, old, new, columns)


def table_kind(rel: str, catalogue: Catalogue) -> Kind | None:
    """The kind of record a file holds when the file is a table (a CSV of rows), else None."""
    kind = catalogue.kind_of(rel)
    return None if kind is None or kind.folder or kind.file else kind


def row_changes(kind: str, old: dict, new: dict, key_columns) -> list[RecordChange]:
    """The changes between a table's rows before and after, each keyed as ``_keyed_rows``
    keys them."""
    return _compare(kind, old, new, lambda row: row.get("partnership_id", ""), key_columns)


def _keyed(key: str, flat: dict | None) -> dict[str, dict[str, str]]:
    return {key: flat} if flat is not None else {}


def _only(flat: dict | None, name: str) -> dict | None:
    return None if flat is None else {k: v for k, v in flat.items() if k == name}


def _compare(kind: str, old: dict, new: dict, pid_of, key_columns) -> list[RecordChange]:
    """The changes between two versions' records, keyed alike; a row keeps its key cells
    (``key_columns``), all a page says of a row besides its changed fields."""
    changes = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        shown = after if after is not None else before
        if before is None or after is None:
            action, fields = ("added" if before is None else "removed"), ()
        else:
            action = "changed"
            fields = tuple(
                FieldChange(name, before.get(name, ""), after.get(name, ""))
                for name in sorted(set(before) | set(after))
                if before.get(name, "") != after.get(name, "")
            )
        name = shown.get("title") or shown.get("name") or ""
        row = tuple((c, shown.get(c, "")) for c in key_columns)
        changes.append(RecordChange(kind, key, action, fields, pid_of(shown), name, row))
    return changes


# PyYAML's safe loader in C (libyaml): the same values as yaml.safe_load, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def flat_yaml(text: str | None) -> dict[str, str] | None:
    """Every value of a YAML document by its dotted path; None when the file is absent."""
    if text is None:
        return None
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return _UNREADABLE
    if not isinstance(data, dict):
        return _UNREADABLE
    flat: dict[str, str] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, bool):
            flat[path] = "true" if value else "false"
        else:
            flat[path] = "" if value is None else str(value)

    walk(data, "")
    return flat


def _touched_rows(before: str | None, after: str | None, key_columns: tuple[str, ...]):
    """The rows on the lines that differ between two versions of a table, by key: a commit
    that corrects a few rows of a large table costs as much as those rows, not the whole
    table. With unique keys, as validation requires, these are the changes that reading
    every row finds. None when only reading every row can tell: an absent file, a new
    header, a row over several lines (a quoted line break), or a line that is not one row."""
    if before is None or after is None or not key_columns:
        return None
    old_lines, new_lines = line_rows(before), line_rows(after)
    if old_lines is None or new_lines is None or old_lines[0] != new_lines[0]:
        return None
    return rows_of_lines(old_lines[0], old_lines[1:], new_lines[1:], key_columns)


def line_rows(text: str) -> list[str] | None:
    """A table version's lines (the header first) when each line is one row, or None: an
    empty file, a carriage return that ends no line, or a line break inside quotes."""
    lines = _lines(text)
    if lines is None or any(not one_row(line) for line in lines):
        return None
    return lines


def one_row(line: str) -> bool:
    """Whether a line can be a row on its own: no quoted cell goes on past it."""
    return line.count('"') % 2 == 0


def rows_of_lines(header: str, removed: list[str], added: list[str], key_columns: tuple[str, ...]):
    """The rows of a table's lines that went and came, by key, under ``header``: old and new
    rows as ``_keyed_rows`` gives them. A line both removed and added (a moved row) is
    neither. None when the lines cannot be read as rows on their own: a key on two lines (only
    the whole table says which line wins), or a line of another width."""
    if not key_columns:
        return None
    went, came = set(removed), set(added)
    gone, new_lines = sorted(went - came - {""}), sorted(came - went - {""})
    old, new = (
        _keyed_rows("\n".join([header, *gone]), key_columns),
        _keyed_rows("\n".join([header, *new_lines]), key_columns),
    )
    if old is None or new is None or (len(old), len(new)) != (len(gone), len(new_lines)):
        return None
    width = len(next(csv.reader([header])))
    if any(len(row) != width for row in csv.reader([*gone, *new_lines])):
        return None
    return old, new


def _lines(text: str) -> list[str] | None:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    return None if "\r" in text or not text else text.split("\n")


def _keyed_rows(text: str | None, key_columns: tuple[str, ...]) -> dict | None:
    """The rows by their key; {} for an absent file, None when they cannot be keyed."""
    if text is None:
        return {}
    if not key_columns:
        return None
    rows = {}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        if not all(c in row for c in key_columns):
            return None  # an older layout that this history cannot key
        rows[" / ".join(row[c] or "" for c in key_columns)] = {
            k: v or "" for k, v in row.items() if k is not None
        }
    return rows
