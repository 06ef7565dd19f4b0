"""Checks of the CSV resources against their Table Schemas.

Types, constraints, primary keys and foreign keys are checked in rows.py, with frictionless's
own cell readers. Before that, this module checks what frictionless cannot explain in an
editor's terms: the header, numbers written the Swedish Excel way, and explicit unknowns. The
row findings are then translated into problems with physical line numbers and a hint on how to
fix them.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import astuple

from frictionless import FrictionlessException

from ..catalogue import KINDS, Catalogue
from ..problems import Problem
from ..source.cache import Cache, digest
from ..source.load import Loaded, Table
from ..source.yamlload import LARGEST
from .rows import Finding, check_rows
from .spreadsheet import is_formula
from .spreadsheet import message as formula_message

UNKNOWN = "unknown"
NUMERIC = {"integer", "number", "year"}
# A results row that is suppressed for privacy leaves its value empty on purpose.
SUPPRESSED_VALUE = ("results", "value", "suppressed")
_EXCEL_NUMBER = re.compile(r"^-?\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?$|^-?\d+,\d+$|.*\s?kr$")

_TYPE_HINTS = {
    "integer": "a whole number without spaces, decimals or 'kr', e.g. 1400000",
    "number": "a number with a dot as decimal separator, e.g. 12.5",
    "year": "a year, YYYY, e.g. 2026",
    "date": "a date written YYYY-MM-DD, e.g. 2026-01-01",
    "boolean": "true or false",
}


def check_tables(loaded: Loaded, meanings: Catalogue) -> tuple[list[Problem], list[str]]:
    """Problems in the CSV resources, and the names of those whose header is right.
    ``meanings`` gives the Swedish labels of allowed values for the messages."""
    resources = {r["name"]: r for r in (loaded.descriptor or {}).get("resources") or []}
    problems: list[Problem] = []
    clean: list[str] = []
    silenced: set[tuple[str, int, str]] = set()
    for name, table in loaded.tables.items():
        fields = resources[name]["schema"]["fields"]
        header_problems = _check_header(table, [f["name"] for f in fields])
        problems += header_problems
        if header_problems:
            continue
        clean.append(name)
        problems += _cached_cells(loaded.cache, table, resources[name]["schema"], silenced)
    problems += [
        p
        for p in _rows(loaded, resources, clean, meanings)
        if (p.path, p.line, p.field) not in silenced
    ]
    return problems, clean


def _cached_cells(cache: Cache, table: Table, schema: dict, silenced: set) -> list[Problem]:
    key = digest("cells", table.key, json.dumps(schema, sort_keys=True))
    cached = cache.get(key) if table.key else None
    if cached is not None:
        silenced.update(tuple(where) for where in cached[1])
        return [Problem(*p) for p in cached[0]]
    quiet: set[tuple[str, int, str]] = set()
    problems = _check_cells(table, schema["fields"], quiet)
    cache.put(key, ([astuple(p) for p in problems], sorted(quiet)))
    silenced |= quiet
    return problems


def _check_header(table: Table, names: list[str]) -> list[Problem]:
    problems = []
    for column in table.header:
        if column not in names:
            close = difflib.get_close_matches(column, names, n=1)
            hint = (
                f"did you mean '{close[0]}'?" if close else f"the columns are: {', '.join(names)}"
            )
            problems.append(
                Problem(
                    table.path,
                    1,
                    column,
                    "unknown-field",
                    f"column '{column}' is not in the schema, so it would be lost; {hint}",
                )
            )
    for name in names:
        if name not in table.header:
            problems.append(
                Problem(
                    table.path,
                    1,
                    name,
                    "missing-field",
                    f"column '{name}' is missing; add it (it may be left empty where allowed)",
                )
            )
    if not problems and table.header != names:
        problems.append(
            Problem(
                table.path,
                1,
                "",
                "column-order",
                f"the columns must come in this order: {', '.join(names)}",
            )
        )
    return problems


def _check_cells(table: Table, fields: list[dict], silenced: set) -> list[Problem]:
    problems = []
    unknown_ok = {f["name"] for f in fields if f.get("unknownAllowed")}
    numeric = {f["name"]: _type(fields, f["name"]) for f in fields if f.get("type") in NUMERIC}
    strict = {f["name"]: f["type"] for f in fields if f.get("type") in _STRICT}
    has_note = "note" in table.header
    for row, line in zip(table.rows, table.lines, strict=True):
        used_unknown = False
        for name, cell in row.items():
            where = (table.path, line, name)
            problems += _cell_problems(
                table, row, where, cell, unknown_ok, (numeric, strict), silenced
            )
            used_unknown = used_unknown or cell.strip() == UNKNOWN
        if used_unknown and has_note and not row["note"].strip():
            problems.append(
                Problem(
                    table.path,
                    line,
                    "note",
                    "unknown-without-reason",
                    "the row marks a value as unknown; say why in the note "
                    "column (e.g. 'Källan anger inget datum.')",
                )
            )
    return problems


def _cell_problems(table, row, where, cell, unknown_ok, types, silenced) -> list[Problem]:
    """What frictionless cannot explain in an editor's terms about one cell; a cell whose
    problem is told here is ``silenced`` for the row checks. ``types`` holds the numeric
    columns and those whose values must be written strictly."""
    problems = []
    numeric, strict = types
    name = where[2]
    if cell != cell.strip():
        problems.append(
            Problem(
                *where,
                "whitespace",
                "the cell starts or ends with a space or line "
                "break; remove it, so that the value matches where it is used",
            )
        )
    if cell.strip() == UNKNOWN:
        if name not in unknown_ok:
            message = "this column cannot be unknown; fill in a value"
            problems.append(Problem(*where, "unknown-not-allowed", message))
            silenced.add(where)
    elif cell == "" and name in unknown_ok and not _suppressed(table, name, row):
        problems.append(
            Problem(
                *where,
                "missing-value",
                "the cell is empty; fill it in, or write unknown and "
                "give the reason in the note column",
            )
        )
    elif name in numeric and _EXCEL_NUMBER.match(cell.strip()):
        problems.append(
            Problem(
                *where,
                "csv-excel-number",
                f"{cell!r} is written the Swedish Excel way; write {_TYPE_HINTS[numeric[name]]}. "
                "In Excel, format the column as Text or save as 'CSV UTF-8'",
            )
        )
        silenced.add(where)
    elif name not in numeric and name not in strict and is_formula(cell):
        problems.append(Problem(*where, "spreadsheet-formula", formula_message(cell)))
    elif cell and name in strict and _unpublishable(strict[name], cell):
        problems.append(Problem(*where, "type-error", _unpublishable(strict[name], cell)))
        silenced.add(where)
    return problems


# How a value of each type must be written to be published: what frictionless also reads
# (1_000, ٣, NaN, 2024-9-3, the year 0) spreadsheets and other tools do not read the same way.
_STRICT = {
    "integer": re.compile(r"-?[0-9]+"),
    "year": re.compile(r"[0-9]{4}"),
    "number": re.compile(r"-?[0-9]+(?:\.[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


def _unpublishable(kind: str, cell: str) -> str:
    """Why a cell of the type ``kind`` cannot be published as it is written ("" if it can)."""
    if not _STRICT[kind].fullmatch(cell):
        return f"{cell!r} is not {_TYPE_HINTS[kind]}, written with the digits 0–9 only"
    if kind == "integer" and abs(int(cell)) > LARGEST:
        return f"{cell} is larger than any number the portal can publish; check the value"
    if kind in ("year", "date") and int(cell[:4]) < 1:
        return f"{cell!r} lies before the year 1; check the value"
    return ""


def _suppressed(table: Table, name: str, row: dict[str, str]) -> bool:
    resource, value, flag = SUPPRESSED_VALUE
    return table.name == resource and name == value and row.get(flag, "").lower() == "true"


def _type(fields: list[dict], name: str) -> str:
    return next(f.get("type", "string") for f in fields if f["name"] == name)


def _rows(loaded: Loaded, resources: dict, clean: list[str], meanings: Catalogue) -> list[Problem]:
    tables = {name: loaded.tables[name] for name in clean}
    try:
        schemas = {name: resources[name]["schema"] for name in clean}
        findings = check_rows(tables, schemas, loaded.cache)
    except FrictionlessException as exc:  # a schema frictionless cannot use
        return [
            Problem(
                loaded.show("datapackage.yaml"),
                0,
                "",
                "descriptor-invalid",
                f"frictionless cannot use the descriptor: {exc}",
            )
        ]
    problems = []
    kinds = {kind.schema: kind.key for kind in KINDS}
    for name, table in tables.items():
        fields = {f["name"]: f for f in resources[name]["schema"]["fields"]}
        # The catalogue's field for each column, where it has one.
        labels = {f: meanings.field(kinds.get(name, ""), f) for f in fields}
        problems += [_translate(table, fields, labels, f) for f in findings.get(name, [])]
    return problems


def _translate(table: Table, fields: dict, labels: dict, finding: Finding) -> Problem:
    line, field, kind, cell = finding.line, finding.field, finding.kind, finding.cell
    if kind == "type":
        ftype = fields[field].get("type", "string")
        hint = _TYPE_HINTS.get(ftype, ftype)
        if fields[field].get("unknownAllowed"):
            hint += ", or unknown with the reason in the note column"
        return Problem(table.path, line, field, "type-error", f"{cell!r} is not {hint}")
    if kind == "required":
        message = "the cell is empty, but this column is required; fill it in"
        return Problem(table.path, line, field, "missing-value", message)
    if kind == "unique":
        message = f"{cell!r} is already used in line {finding.other}; ids must be unique"
        return Problem(table.path, line, field, "primary-key", message)
    if kind == "primary-key":
        message = (
            f"the same key as line {finding.other}; each row must differ in its key columns"
            if finding.other
            else "the key columns are all empty; fill them in"
        )
        return Problem(table.path, line, "", kind, message)
    if kind == "foreign-key":
        message = f"{cell} is not an id in {finding.other}.csv; add that row or correct it"
        return Problem(table.path, line, field, kind, message)
    code, message = _constraint(fields[field], labels.get(field), kind, cell)
    return Problem(table.path, line, field, code, message)


def _constraint(spec: dict, meaning, kind: str, cell: str) -> tuple[str, str]:
    """(code, message) for a cell that breaks a constraint of its column."""
    value = spec.get("constraints", {}).get(kind)
    if kind == "enum":
        allowed = ", ".join(
            f"{v} ({meaning.label(v)})" if meaning and meaning.label(v) != str(v) else str(v)
            for v in value
        )
        return "invalid-value", f"{cell!r} is not allowed; use one of: {allowed}"
    if kind == "pattern":
        description = " ".join(str(spec.get("descriptionEn", "")).split())
        return "constraint-error", f"{cell!r} has the wrong form. {description}"
    if kind == "minimum":
        return "constraint-error", f"{cell!r} must be at least {value}"
    return "constraint-error", f"{cell!r} breaks {kind} {value}"
