"""The SQLite database: every table with its primary and foreign keys, full-text search, and
the field catalogue in Swedish for readers who use SQL or Datasette.

Each coded column refers to a table of its labels (``label_<table>_<column>``: value and
Swedish label), so a join, or Datasette on its own, shows "Pågår" beside "active". The table
``data_dictionary`` gives every table's and column's Swedish title and description, the English
description, and the type as a code and in Swedish.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from ..catalogue import TYPE_NAMES, UNKNOWN, UNKNOWN_LABEL
from .flatten import Column, Table, typed

_SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
# Text searched in the table 'search': (kind, query giving id, title and text).
_SEARCHED = (
    (
        "partnership",
        "SELECT id, title, coalesce(description, '') || ' ' || coalesce(goal, '') "
        "FROM partnerships",
    ),
    ("decision", "SELECT id, title, coalesce(summary, '') FROM decisions"),
    ("question", "SELECT id, title, coalesce(summary, '') FROM questions"),
    ("organisation", "SELECT id, name, coalesce(note, '') FROM organisations"),
)


def label_table(table: Table, column: Column) -> str:
    return f"label_{table.name}_{column.name}"


def to_sqlite(all_tables: list[Table]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.sqlite"
        db = sqlite3.connect(path)
        db.execute("PRAGMA foreign_keys = ON")
        _dictionary(db, all_tables)
        for table in _in_key_order(all_tables):
            _labels(db, table)
            _create(db, table)
        db.execute("CREATE VIRTUAL TABLE search USING fts5(kind, id, title, text)")
        for kind, sql in _SEARCHED:
            db.execute(f"INSERT INTO search SELECT '{kind}', * FROM ({sql})")
        db.commit()
        db.execute("VACUUM")
        db.close()
        return path.read_bytes()


def _create(db: sqlite3.Connection, table: Table) -> None:
    columns = [f'"{c.name}" {_SQL_TYPES.get(c.type, "TEXT")}' for c in table.columns]
    if table.primary_key:
        columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in table.primary_key) + ")")
    columns += [
        f'FOREIGN KEY ("{field}") REFERENCES "{resource}" ("{target}")'
        for field, resource, target in table.foreign_keys
    ]
    columns += [
        f'FOREIGN KEY ("{c.name}") REFERENCES "{label_table(table, c)}" ("value")'
        for c in table.columns
        if c.meaning.categories
    ]
    db.execute(f'CREATE TABLE "{table.name}" ({", ".join(columns)})')
    marks = ", ".join("?" for _ in table.columns)
    db.executemany(
        f'INSERT INTO "{table.name}" VALUES ({marks})',
        [list(typed(table, row).values()) for row in table.rows],
    )


def _labels(db: sqlite3.Connection, table: Table) -> None:
    """A two-column table of each coded column's values and Swedish labels."""
    for column in table.columns:
        if not column.meaning.categories:
            continue
        name = label_table(table, column)
        db.execute(f'CREATE TABLE "{name}" ("value" TEXT PRIMARY KEY, "label" TEXT NOT NULL)')
        rows = [(c.value, c.label) for c in column.meaning.categories]
        if column.meaning.unknown_allowed:
            rows.append((UNKNOWN, UNKNOWN_LABEL))
        db.executemany(f'INSERT INTO "{name}" VALUES (?, ?)', rows)


def _dictionary(db: sqlite3.Connection, all_tables: list[Table]) -> None:
    db.execute(
        'CREATE TABLE "data_dictionary" ("table_name" TEXT NOT NULL, "column_name" TEXT NOT '
        'NULL, "title" TEXT, "description" TEXT, "description_en" TEXT, "type" TEXT, '
        '"type_name" TEXT, PRIMARY KEY ("table_name", "column_name"))'
    )
    rows = []
    for table in all_tables:
        rows.append((table.name, "", table.title, table.description, table.description_en, "", ""))
        for c in table.columns:
            m = c.meaning
            kind = TYPE_NAMES.get(m.format or c.type, c.type)
            rows.append(
                (table.name, c.name, m.title, m.description, m.description_en, c.type, kind)
            )
    db.executemany('INSERT INTO "data_dictionary" VALUES (?, ?, ?, ?, ?, ?, ?)', rows)


def _in_key_order(all_tables: list[Table]) -> list[Table]:
    """Tables ordered so that every foreign key points at a table created before it."""
    done: list[Table] = []
    pending = list(all_tables)
    while pending:
        names = {d.name for d in done}
        ready = [t for t in pending if all(r in names or r == t.name for _, r, _ in t.foreign_keys)]
        if not ready:  # a loop of keys: create the rest as they come
            ready = pending
        done += ready
        pending = [t for t in pending if t not in ready]
    return done
