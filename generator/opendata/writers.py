"""The downloads for journalists and researchers, made from the flattened tables.

CSV (RFC 4180) and JSON per table, the published Frictionless descriptor with each file's size,
hash and row count, the workbook and the database (see workbook.py and database.py), the JSON
Schemas and a zip of everything. Titles, descriptions and value labels are the field
catalogue's, in Swedish, with the English descriptions beside them. The same data gives the same
bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import replace
from decimal import Decimal

import yaml

from ..catalogue import UNKNOWN
from .archive import stable_zip
from .cells import typed_table
from .database import to_sqlite
from .datasette import metadata_json
from .flatten import Column, Table, typed
from .workbook import to_xlsx

FOLDER = "data"
# Column types written as bare numbers in CSV.
_NUMERIC = frozenset({"integer", "year", "number"})
WORKBOOK = "insyn-i-samverkan.xlsx"
# The same workbook with no rows: the blank template an editor fills in for portal import.
TEMPLATE = "insyn-i-samverkan-mall.xlsx"
DATABASE = "insyn-i-samverkan.sqlite"
# Datasette's metadata for the database: datasette DATABASE -m DATASETTE_METADATA
DATASETTE_METADATA = "insyn-i-samverkan.metadata.json"
ARCHIVE = "insyn-i-samverkan.zip"
# What the descriptor keeps of data/datapackage.yaml, besides the resources.
_PACKAGE_KEYS = ("name", "title", "titleEn", "description", "descriptionEn", "version", "licenses")
_MORE_KEYS = ("contributors", "keywords", "sources")


def to_csv(table: Table) -> bytes:
    """RFC 4180, every text cell in quotes and numbers bare: the quotes let tools that guess
    the delimiter (csvkit, Python's csv.Sniffer) find the comma even where text quotes
    something "like this"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(c.name for c in table.columns)
    numeric = [c.type in _NUMERIC for c in table.columns]
    for row in table.rows:
        writer.writerow(
            Decimal(cell) if bare and cell not in ("", UNKNOWN) else cell
            for cell, bare in zip(row, numeric, strict=True)
        )
    return out.getvalue().encode("utf-8")


def to_json(table: Table) -> bytes:
    rows = [typed(table, row) for row in table.rows]
    return (json.dumps(rows, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def source_yaml(data: object) -> bytes:
    """A YAML file of the data folder, written from its checked content."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def field_descriptor(column: Column) -> dict[str, object]:
    """A column's Table Schema field: Swedish title and description, the English description,
    and the allowed values with their Swedish labels (Table Schema v2 categories)."""
    meaning = column.meaning
    spec: dict[str, object] = {"name": column.name, "type": column.type, "title": meaning.title}
    spec["description"] = meaning.description
    spec["descriptionEn"] = meaning.description_en
    if meaning.categories:
        spec["categories"] = [{"value": c.value, "label": c.label} for c in meaning.categories]
        spec["constraints"] = {"enum": [c.value for c in meaning.categories]}
    return spec


def descriptor_json(base: dict, all_tables: list[Table], files: dict[str, bytes]) -> bytes:
    """The published Frictionless descriptor: every CSV with its schema, size, hash and rows."""
    package = {k: base[k] for k in (*_PACKAGE_KEYS, *_MORE_KEYS) if k in base}
    package["resources"] = [_resource(table, files[f"{table.name}.csv"]) for table in all_tables]
    text = json.dumps(package, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _resource(table: Table, content: bytes) -> dict[str, object]:
    schema: dict[str, object] = {
        "fields": [field_descriptor(c) for c in table.columns],
        "missingValues": ["", UNKNOWN],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [f], "reference": {"resource": r, "fields": [t]}}
            for f, r, t in table.foreign_keys
        ]
    return {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "descriptionEn": table.description_en,
        "path": f"{table.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
        "rows": len(table.rows),
        "schema": schema,
    }


def downloads(
    all_tables: list[Table],
    base_descriptor: dict,
    schemas: dict[str, dict],
    created: dt.datetime,
    records: dict[str, list[dict]],
    sources: dict[str, object],
    texts: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """Every download, keyed by its path on the site. ``records`` holds the YAML records in
    full ({collection: [record, …]}), published as <collection>-full.json; ``sources`` the
    YAML files of the data folder as checked ({path: data}), published as YAML written anew
    from what was checked (never the bytes of the file, whose comments are not data); ``texts``
    the documents' text as plain text ({path: text})."""
    files: dict[str, bytes] = {rel: source_yaml(data) for rel, data in sources.items()}
    files |= {rel: text.encode("utf-8") for rel, text in (texts or {}).items()}
    for table in all_tables:
        files[f"{table.name}.csv"] = to_csv(table)
        files[f"{table.name}.json"] = to_json(table)
    for collection, items in records.items():
        text = json.dumps(items, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        files[f"{collection}-full.json"] = text.encode("utf-8")
    files["datapackage.json"] = descriptor_json(base_descriptor, all_tables, files)
    # The workbook and the database hold the same typed cells, typed once.
    typed = [typed_table(t) for t in all_tables]
    files[WORKBOOK] = to_xlsx(typed, created)
    files[TEMPLATE] = to_xlsx([typed_table(replace(t, rows=())) for t in all_tables], created)
    files[DATABASE] = to_sqlite(typed)
    files[DATASETTE_METADATA] = metadata_json(
        typed, base_descriptor, DATABASE.removesuffix(".sqlite")
    )
    for name, schema in schemas.items():
        text = json.dumps(schema, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        files[f"schemas/{name}"] = text.encode("utf-8")
    files[ARCHIVE] = stable_zip(files)
    return {f"{FOLDER}/{name}": content for name, content in files.items()}
