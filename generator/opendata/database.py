"""The SQLite database, made with sqlite-utils and ready for Datasette: every table with its
primary and foreign keys, full-text search, views of the common joins, and the field catalogue
in Swedish for readers who use SQL.

Cells are typed (see cells.py): an unknown value is NULL, and the row's column
``unknown_reasons`` says why. Each coded column refers to a table of its labels
(``label_<table>_<column>``: value and Swedish label), so a join, or Datasette on its own,
shows "Pågår" beside "active". The table ``data_dictionary`` gives every table's, view's and
column's Swedish title and description, the English description, and the type as a code and in
Swedish. Each searchable table has a full-text index of its own (``<table>_fts``, kept up to date
by triggers), which Datasette finds and offers as a search box; the table ``search`` searches
partnerships, documents, questions and organisations at once. The same tables give the same
bytes: no timestamps, and VACUUM at the end.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlite_utils import Database

from ..catalogue import TYPE_NAMES
from .cells import Typed
from .flatten import Column
from .joins import View, label_table, views

_SQL_TYPES: dict[str, type] = {"integer": int, "year": int, "number": float, "boolean": int}
# The columns of each table that its full-text index searches, as Datasette finds it.
SEARCHED = {
    "partnerships": ("title", "description", "goal", "target_group", "follow_up", "note"),
    "decisions": ("title", "summary", "proposal", "note"),
    "questions": ("title", "summary", "answer_summary", "note"),
    "organisations": ("name", "note"),
    "document_sections": ("heading", "text"),
}
# The table 'search' over several tables: (kind of record, table, title column, text columns).
SEARCH_ALL = (
    ("partnership", "partnerships", "title", ("description", "goal")),
    ("decision", "decisions", "title", ("summary",)),
    ("question", "questions", "title", ("summary",)),
    ("organisation", "organisations", "name", ("note",)),
)


def fts_table(name: str) -> str:
    return f"{name}_fts"


def to_sqlite(typed: list[Typed]) -> bytes:
    joined = views(typed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.sqlite"
        db = Database(path)
        db.execute("PRAGMA foreign_keys = ON")
        # A scratch file, read whole once it is done and removed: SQLite need not wait for the
        # disk nor keep its rollback journal in a file of its own (at 10,000 partnerships this
        # halves the time). Neither is stored in the file, so its bytes are the same.
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA journal_mode = MEMORY")
        _dictionary(db, typed, joined)
        for table in _in_key_order(typed):
            _labels(db, table)
            _create(db, table)
        _search(db, typed)
        _indexes(db, typed)
        for view in joined:
            db.create_view(view.name, view.sql)
        db.conn.commit()
        db.vacuum()
        db.close()
        return path.read_bytes()


def sql_type(column: Column) -> type:
    """Dates are ISO 8601 text, which sorts and compares as dates."""
    return _SQL_TYPES.get(column.type, str)


def primary_key(table: Typed) -> tuple[str, ...]:
    """The table's primary key, unless one of its columns may be unknown (a NULL in a key
    names no row: Datasette then addresses rows by rowid)."""
    key = table.table.primary_key
    unknown = {c.name for c in table.columns if c.meaning.unknown_allowed}
    return () if unknown & set(key) else key


def _create(db: Database, table: Typed) -> None:
    key = primary_key(table)
    foreign = [*table.table.foreign_keys]
    foreign += [(c.name, label_table(table.name, c), "value")
                for c in table.columns if c.meaning.categories]  # fmt: skip
    db[table.name].create(
        {c.name: sql_type(c) for c in table.columns},
        pk=(key[0] if len(key) == 1 else key) or None,
        foreign_keys=foreign,
    )
    names = [c.name for c in table.columns]
    db[table.name].insert_all(
        ({n: _stored(v) for n, v in zip(names, row, strict=True)} for row in table.rows),
        batch_size=1000,
    )


def _stored(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _labels(db: Database, table: Typed) -> None:
    """A two-column table of each coded column's values and Swedish labels."""
    for column in table.columns:
        if column.meaning.categories:
            labels = db[label_table(table.name, column)]
            labels.create({"value": sql_type(column), "label": str}, pk="value",
                          not_null={"label"})  # fmt: skip
            kind = sql_type(column)
            labels.insert_all(
                {"value": kind(c.value), "label": c.label} for c in column.meaning.categories
            )


def _search(db: Database, tables: list[Typed]) -> None:
    """A full-text index per searchable table, and the table 'search' over several."""
    present = {t.name: {c.name for c in t.columns} for t in tables}
    for name, columns in SEARCHED.items():
        if name in present:
            searched = [c for c in columns if c in present[name]]
            db[name].enable_fts(searched, create_triggers=True)
    db.execute("CREATE VIRTUAL TABLE search USING fts5(kind, id, title, text)")
    for kind, name, title, texts in SEARCH_ALL:
        text = " || ' ' || ".join(f"coalesce({c}, '')" for c in texts)
        db.execute(f"INSERT INTO search SELECT '{kind}', id, {title}, {text} FROM {name}")


def _indexes(db: Database, tables: list[Typed]) -> None:
    """An index on every key that leads to another table and on every date, unless the
    column leads the primary key (whose index SQLite has already)."""
    for table in tables:
        keys = {column for column, _, _ in table.table.foreign_keys}
        key = primary_key(table)
        for column in table.columns:
            leads = bool(key) and key[0] == column.name
            if (column.name in keys or column.type == "date") and not leads:
                db[table.name].create_index([column.name])


def _dictionary(db: Database, tables: list[Typed], joined: list[View]) -> None:
    rows = []
    for table in [*tables, *joined]:
        about = table.table if isinstance(table, Typed) else table
        rows.append(
            {
                "table_name": table.name,
                "column_name": "",
                "title": about.title,
                "description": about.description,
                "description_en": about.description_en,
                "type": "",
                "type_name": "",
            }
        )
        for c in table.columns:
            m = c.meaning
            rows.append(
                {
                    "table_name": table.name,
                    "column_name": c.name,
                    "title": m.title,
                    "description": m.description,
                    "description_en": m.description_en,
                    "type": c.type,
                    "type_name": TYPE_NAMES.get(m.format or c.type, c.type),
                }
            )
    dictionary = db["data_dictionary"]
    dictionary.create(
        {name: str for name in rows[0]} if rows else {"table_name": str, "column_name": str},
        pk=("table_name", "column_name"),
        not_null={"table_name", "column_name"},
    )
    dictionary.insert_all(rows)


def _in_key_order(tables: list[Typed]) -> list[Typed]:
    """Tables ordered so that every foreign key points at a table created before it."""
    done: list[Typed] = []
    pending = list(tables)
    while pending:
        names = {d.name for d in done}
        ready = [
            t for t in pending if all(r in names or r == t.name for _, r, _ in t.table.foreign_keys)
        ]
        if not ready:  # a loop of keys: create the rest as they come
            ready = pending
        done += ready
        pending = [t for t in pending if t not in ready]
    return done
