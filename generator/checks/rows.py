"""The Table Schema checks of every CSV row, in one pass.

Each cell is read by frictionless's own cell reader for its field, so missing values, types and
constraints mean exactly what the Table Schema standard and frictionless say. What frictionless's
row stream adds on top (a row object per row, copies of the schema, a lookup table built by
reading the referenced resource again) is replaced by set lookups: every unique value, primary
key and foreign key is checked against a set built in the same pass. This keeps the checks the
same and makes them many times faster on large tables.
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass

from frictionless import Schema

from ..source.cache import NO_CACHE, Cache, digest
from ..source.load import Table


@dataclass(frozen=True)
class Finding:
    """One row-level finding in frictionless's terms; tables.py turns it into a Problem."""

    line: int
    field: str
    kind: str  # "type", a constraint name, "unique", "primary-key" or "foreign-key"
    cell: str
    other: str = ""  # the first line with the same key, or the referenced resource


def check_rows(
    tables: dict[str, Table], schemas: dict[str, dict], cache: Cache = NO_CACHE
) -> dict[str, list[Finding]]:
    """Findings per table in ``tables``; ``schemas`` maps each name to its Table Schema.
    Foreign keys to resources outside ``tables`` are not checked. A table whose text and
    schema are in ``cache`` is not read again: its findings and the typed values of its key
    columns come from there."""
    needed = _key_columns(tables, schemas)
    findings: dict[str, list[Finding]] = {}
    columns: dict[str, dict[str, list]] = {}
    keys: dict[str, str] = {}
    for name, table in tables.items():
        # The key columns kept depend on which tables are there to refer to each other.
        schema = json.dumps(schemas[name], sort_keys=True)
        key = digest("rows", table.key, schema, *sorted(needed[name])) if table.key else ""
        keys[name] = key
        cached = cache.get(key) if key else None
        if cached is None:
            findings[name] = []
            typed = _read(table, schemas[name], findings[name])
            columns[name] = {f: [row[f] for row in typed] for f in needed[name]}
            if key and all(_plain(v) for values in columns[name].values() for v in values):
                cache.put(key, ([astuple(f) for f in findings[name]], columns[name]))
        else:
            findings[name] = [Finding(*f) for f in cached[0]]
            columns[name] = cached[1]
    # The foreign keys' findings are kept by the text of every table (those referred to among
    # them), where every table has a key.
    every = ""
    if all(keys.values()):
        every = digest("foreign keys", *(f"{n}\0{keys[n]}" for n in sorted(keys)))
    for name, table in tables.items():
        findings[name] += _kept_foreign_keys(cache, every, name, table, schemas[name], columns)
    return findings


def _kept_foreign_keys(cache: Cache, every: str, name: str, *args) -> list[Finding]:
    """The foreign keys' findings of the table ``name``, kept under ``every`` (none if "")."""
    if not every:
        return _foreign_keys(name, *args)
    key = digest(every, name)
    cached = cache.get(key)
    if cached is not None:
        return [Finding(*f) for f in cached]
    found = _foreign_keys(name, *args)
    cache.put(key, [astuple(f) for f in found])
    return found


def _key_columns(tables: dict[str, Table], schemas: dict[str, dict]) -> dict[str, set[str]]:
    """The columns of each table that a foreign key reads, from either end."""
    needed: dict[str, set[str]] = {name: set() for name in tables}
    for name in tables:
        for fk in schemas[name].get("foreignKeys", []):
            target = fk["reference"].get("resource") or name
            needed[name].update(_names(fk["fields"]))
            if target in needed:
                needed[target].update(_names(fk["reference"]["fields"]))
    return needed


def _plain(value: object) -> bool:
    """Whether the cache can keep the value (dates, for one, it cannot)."""
    return value is None or type(value) in (str, int, float, bool)


def _read(table: Table, descriptor: dict, findings: list[Finding]) -> list[dict[str, object]]:
    schema = Schema.from_descriptor(descriptor)
    readers = [(field.name, field.create_cell_reader()) for field in schema.fields]
    unique = [f.name for f in schema.fields if f.constraints.get("unique")]
    seen_unique: dict[str, dict[object, int]] = {name: {} for name in unique}
    key = list(schema.primary_key)
    seen_keys: dict[tuple, int] = {}
    values: list[dict[str, object]] = []
    for row, line in zip(table.rows, table.lines, strict=True):
        typed: dict[str, object] = {}
        for name, reader in readers:
            cell = row[name]
            value, notes = reader(cell)
            typed[name] = value
            if notes:
                kind = "type" if "type" in notes else next(iter(notes))
                findings.append(Finding(line, name, kind, cell))
        for name in unique:
            value = typed[name]
            if value is not None:
                first = seen_unique[name].setdefault(value, line)
                if first != line:
                    findings.append(Finding(line, name, "unique", row[name], str(first)))
        if key:
            cells = tuple(typed[name] for name in key)
            if all(cell is None for cell in cells):
                findings.append(Finding(line, "", "primary-key", "", ""))
            else:
                first = seen_keys.setdefault(cells, line)
                if first != line:
                    findings.append(Finding(line, "", "primary-key", "", str(first)))
        values.append(typed)
    return values


def _foreign_keys(
    name: str, table: Table, descriptor: dict, columns: dict[str, dict[str, list]]
) -> list[Finding]:
    findings = []
    for fk in descriptor.get("foreignKeys", []):
        target = fk["reference"].get("resource") or name
        if target not in columns:
            continue
        fields, ref_fields = _names(fk["fields"]), _names(fk["reference"]["fields"])
        known = set(zip(*(columns[target][f] for f in ref_fields), strict=True))
        known.discard(tuple(None for _ in ref_fields))
        values = zip(*(columns[name][f] for f in fields), strict=True)
        for row, cells, line in zip(table.rows, values, table.lines, strict=True):
            if all(cell is None for cell in cells) or cells in known:
                continue
            shown = ", ".join(repr(row[f]) for f in fields)
            findings.append(Finding(line, ".".join(fields), "foreign-key", shown, target))
    return findings


def _names(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)
