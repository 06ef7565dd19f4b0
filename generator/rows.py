"""The Table Schema checks of every CSV row, in one pass.

Each cell is read by frictionless's own cell reader for its field, so missing values, types and
constraints mean exactly what the Table Schema standard and frictionless say. What frictionless's
row stream adds on top (a row object per row, copies of the schema, a lookup table built by
reading the referenced resource again) is replaced by set lookups: every unique value, primary
key and foreign key is checked against a set built in the same pass. This keeps the checks the
same and makes them many times faster on large tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from frictionless import Schema

from .load import Table


@dataclass(frozen=True)
class Finding:
    """One row-level finding in frictionless's terms; tables.py turns it into a Problem."""

    line: int
    field: str
    kind: str  # "type", a constraint name, "unique", "primary-key" or "foreign-key"
    cell: str
    other: str = ""  # the first line with the same key, or the referenced resource


def check_rows(tables: dict[str, Table], schemas: dict[str, dict]) -> dict[str, list[Finding]]:
    """Findings per table in ``tables``; ``schemas`` maps each name to its Table Schema.
    Foreign keys to resources outside ``tables`` are not checked."""
    findings: dict[str, list[Finding]] = {name: [] for name in tables}
    typed: dict[str, list[dict[str, object]]] = {}
    for name, table in tables.items():
        typed[name] = _read(table, schemas[name], findings[name])
    for name, table in tables.items():
        findings[name] += _foreign_keys(name, table, schemas[name], typed)
    return findings


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
    name: str, table: Table, descriptor: dict, typed: dict[str, list[dict[str, object]]]
) -> list[Finding]:
    findings = []
    for fk in descriptor.get("foreignKeys", []):
        target = fk["reference"].get("resource") or name
        if target not in typed:
            continue
        fields, ref_fields = _names(fk["fields"]), _names(fk["reference"]["fields"])
        known = {tuple(row[f] for f in ref_fields) for row in typed[target]}
        known.discard(tuple(None for _ in ref_fields))
        for row, values, line in zip(table.rows, typed[name], table.lines, strict=True):
            cells = tuple(values[f] for f in fields)
            if all(cell is None for cell in cells) or cells in known:
                continue
            shown = ", ".join(repr(row[f]) for f in fields)
            findings.append(Finding(line, ".".join(fields), "foreign-key", shown, target))
    return findings


def _names(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)
