"""The one-pass row checks find exactly what frictionless's own validation finds: the same rows,
fields and kinds of error, on the real data, the fixture and seeded random bad cells."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import build_dataset
from frictionless import Package

from generator.checks.rows import check_rows
from generator.source.load import Table, load

ROOT = Path(__file__).parent.parent
BAD_CELLS = ["", "unknown", "abc", "12,5", "1 400", "-3", "2026-13-01", "TRUE", "20261", "x y"]


def _frictionless(tables: dict[str, Table], schemas: dict[str, dict]) -> set[tuple]:
    """What frictionless's Package.validate reports, as (resource, line, field, kind)."""
    resources = []
    for name, table in tables.items():
        rows = [[row[c] for c in table.header] for row in table.rows]
        resources.append({"name": name, "data": [table.header, *rows], "schema": schemas[name]})
    report = Package({"name": "reference", "resources": resources}).validate()
    found = set()
    for task in report.tasks:
        table = tables[task.name]
        for error in task.errors:
            line = table.lines[error.row_number - 2]
            if error.type == "foreign-key":
                found.add((task.name, line, ".".join(error.field_names), "foreign-key"))
            elif error.type in ("primary-key", "unique-error"):
                found.add((task.name, line, "", "primary-key"))
            elif error.type == "type-error":
                found.add((task.name, line, error.field_name, "type"))
            else:
                kind = error.note.split('"')[1]
                found.add((task.name, line, error.field_name, kind))
    return found


def _ours(tables: dict[str, Table], schemas: dict[str, dict]) -> set[tuple]:
    return {
        (name, f.line, "", "primary-key") if f.kind == "unique" else (name, f.line, f.field, f.kind)
        for name, findings in check_rows(tables, schemas).items()
        for f in findings
    }


def _loaded(root: Path):
    loaded = load(root)
    schemas = {r["name"]: r["schema"] for r in loaded.descriptor["resources"]}
    return loaded.tables, schemas


@pytest.mark.parametrize("fixture", [False, True])
def test_same_findings_as_frictionless_on_good_data(fixture, tmp_path):
    tables, schemas = _loaded(build_dataset(tmp_path / "data") if fixture else ROOT / "data")
    assert _ours(tables, schemas) == _frictionless(tables, schemas) == set()


@pytest.mark.parametrize("seed", range(30))
def test_same_findings_as_frictionless_on_bad_cells(seed, tmp_path):
    rng = random.Random(seed)
    tables, schemas = _loaded(build_dataset(tmp_path / "data"))
    expected: set[tuple] = set()
    for edit in range(30):  # at least six edits, and on until one breaks something
        table = tables[rng.choice(sorted(tables))]
        row = rng.choice(table.rows)
        if rng.random() < 0.2:  # a copy of another row: key findings
            row.update(rng.choice(table.rows))
        else:
            row[rng.choice(table.header)] = rng.choice(BAD_CELLS)
        if edit >= 5 and (expected := _frictionless(tables, schemas)):
            break
    assert expected, "the edits should break something"
    assert _ours(tables, schemas) == expected
