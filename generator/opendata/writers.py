"""Export stage: the flattened tables as downloads for journalists and researchers.

The writers make CSV (RFC 4180), JSON, one Excel workbook, one SQLite database, the published
Frictionless descriptor with each file's size, hash and row count, and a zip of everything. All
output is deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from .flatten import UNKNOWN, Table

FOLDER = "data"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# --- writers -----------------------------------------------------------------------------------


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(f.name for f in table.fields)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8")


def typed(table: Table, row: tuple[str, ...]) -> dict[str, object]:
    """A row with Table Schema types: numbers as numbers, booleans as booleans, empty as
    None. Dates stay ISO text; 'unknown' stays as it is."""
    record: dict[str, object] = {}
    for field, cell in zip(table.fields, row, strict=True):
        if cell == "":
            record[field.name] = None
        elif cell == UNKNOWN:
            record[field.name] = cell
        elif field.type in ("integer", "year"):
            record[field.name] = int(cell)
        elif field.type == "number":
            number = float(cell)
            record[field.name] = int(number) if number.is_integer() else number
        elif field.type == "boolean":
            record[field.name] = cell == "true"
        else:
            record[field.name] = cell
    return record


def to_json(table: Table) -> bytes:
    rows = [typed(table, row) for row in table.rows]
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_xlsx(all_tables: list[Table], created: dt.datetime) -> bytes:
    """One sheet per table with typed cells, and a sheet that explains every column."""
    book = Workbook()
    book.properties.created = book.properties.modified = created
    book.properties.creator = "Insyn i samverkan"
    about = book.active
    about.title = "Kolumner"
    about.append(["Tabell", "Kolumn", "Typ", "Beskrivning"])
    for table in all_tables:
        for field in table.fields:
            about.append([table.name, field.name, field.type, field.description])
        sheet = book.create_sheet(table.name[:31])
        sheet.append([f.name for f in table.fields])
        for row in table.rows:
            values = []
            for field, value in typed(table, row).items():
                kind = next(f.type for f in table.fields if f.name == field)
                if kind == "date" and isinstance(value, str) and value != UNKNOWN:
                    value = dt.date.fromisoformat(value)
                values.append(value)
            sheet.append(values)
        for index, field in enumerate(table.fields, start=1):
            if field.type == "date":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
            if field.name == "amount_sek":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "#,##0"
        sheet.freeze_panes = "A2"
    # ExcelWriter rather than book.save(), which would stamp the current time as 'modified'.
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _stable_zip(buffer.getvalue())


_SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def to_sqlite(all_tables: list[Table]) -> bytes:
    """All tables with primary and foreign keys, and full-text search over titles and
    descriptions in the table 'search'."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.sqlite"
        db = sqlite3.connect(path)
        db.execute("PRAGMA foreign_keys = ON")
        for table in _in_key_order(all_tables):
            columns = [f'"{f.name}" {_SQL_TYPES.get(f.type, "TEXT")}' for f in table.fields]
            if table.primary_key:
                columns.append(
                    "PRIMARY KEY (" + ", ".join(f'"{k}"' for k in table.primary_key) + ")"
                )
            columns += [
                f'FOREIGN KEY ("{field}") REFERENCES "{resource}" ("{target}")'
                for field, resource, target in table.foreign_keys
            ]
            db.execute(f'CREATE TABLE "{table.name}" ({", ".join(columns)})')
            marks = ", ".join("?" for _ in table.fields)
            db.executemany(
                f'INSERT INTO "{table.name}" VALUES ({marks})',
                [list(typed(table, row).values()) for row in table.rows],
            )
        db.execute("CREATE VIRTUAL TABLE search USING fts5(kind, id, title, text)")
        for kind, sql in (
            ("partnership", "SELECT id, title, description || ' ' || goal FROM partnerships"),
            ("decision", "SELECT id, title, summary FROM decisions"),
            ("question", "SELECT id, title, summary FROM questions"),
            ("organisation", "SELECT id, name, note FROM organisations"),
        ):
            db.execute(f"INSERT INTO search SELECT '{kind}', * FROM ({sql})")
        db.commit()
        db.execute("VACUUM")
        db.close()
        return path.read_bytes()


def _in_key_order(all_tables: list[Table]) -> list[Table]:
    """Tables ordered so that every foreign key points at a table created before it."""
    done: list[Table] = []
    pending = list(all_tables)
    while pending:
        ready = [
            t
            for t in pending
            if all(r in {d.name for d in done} or r == t.name for _, r, _ in t.foreign_keys)
        ]
        done += ready
        pending = [t for t in pending if t not in ready]
    return done


def descriptor_json(base: dict, all_tables: list[Table], files: dict[str, bytes]) -> bytes:
    """The published Frictionless descriptor: every CSV with its schema, size, hash and rows."""
    package = {
        k: base[k]
        for k in (
            "name",
            "title",
            "description",
            "version",
            "licenses",
            "contributors",
            "keywords",
            "sources",
        )
        if k in base
    }
    package["resources"] = []
    for table in all_tables:
        content = files[f"{table.name}.csv"]
        schema: dict[str, object] = {
            "fields": [
                {"name": f.name, "type": f.type, "description": f.description} for f in table.fields
            ],
            "missingValues": ["", UNKNOWN],
        }
        if table.primary_key:
            schema["primaryKey"] = list(table.primary_key)
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [f], "reference": {"resource": r, "fields": [t]}}
                for f, r, t in table.foreign_keys
            ]
        package["resources"].append(
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
                "rows": len(table.rows),
                "schema": schema,
            }
        )
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def downloads(
    all_tables: list[Table],
    base_descriptor: dict,
    schemas: dict[str, bytes],
    created: dt.datetime,
    records: dict[str, list[dict]],
) -> dict[str, bytes]:
    """Every download, keyed by its path on the site. ``records`` holds the YAML records in
    full ({collection: [record, …]}), published as <collection>-full.json."""
    files: dict[str, bytes] = {}
    for table in all_tables:
        files[f"{table.name}.csv"] = to_csv(table)
        files[f"{table.name}.json"] = to_json(table)
    for collection, items in records.items():
        text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        files[f"{collection}-full.json"] = text.encode("utf-8")
    files["datapackage.json"] = descriptor_json(base_descriptor, all_tables, files)
    files["insyn-i-samverkan.xlsx"] = to_xlsx(all_tables, created)
    files["insyn-i-samverkan.sqlite"] = to_sqlite(all_tables)
    for name, content in schemas.items():
        files[f"schemas/{name}"] = content
    files["insyn-i-samverkan.zip"] = _zip(files)
    return {f"{FOLDER}/{name}": content for name, content in files.items()}


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(
                zipfile.ZipInfo(name, ZIP_TIME), files[name], compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def _stable_zip(content: bytes) -> bytes:
    """The same zip with every entry's time fixed, so it is byte-stable."""
    source = zipfile.ZipFile(io.BytesIO(content))
    return _zip({info.filename: source.read(info) for info in source.infolist()})
