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
from functools import lru_cache

import yaml

from ..catalogue import COLLECTIONS, DESCRIPTOR, UNKNOWN
from ..source.load import ROUTES
from .archive import stable_zip
from .cells import typed, typed_table
from .database import to_sqlite
from .datasette import metadata_json
from .flatten import Column, Table
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


def to_csv(table: Table, lines: list[str] | None = None) -> bytes:
    """RFC 4180, every text cell in quotes and numbers bare: the quotes let tools that guess
    the delimiter (csvkit, Python's csv.Sniffer) find the comma even where text quotes
    something "like this". ``lines``: the rows' lines, if ``csv_lines`` has made them."""
    header = _Line()([c.name for c in table.columns])
    return (header + "".join(csv_lines(table) if lines is None else lines)).encode("utf-8")


def csv_lines(table: Table) -> list[str]:
    """Each row of ``table`` as its line in ``to_csv``."""
    numeric = [c.type in _NUMERIC for c in table.columns]
    line = _Line()
    return [
        line(
            Decimal(cell) if bare and cell not in ("", UNKNOWN) else cell
            for cell, bare in zip(row, numeric, strict=True)
        )
        for row in table.rows
    ]


class _Line(io.StringIO):
    """One CSV row written at a time, and taken as text."""

    def __init__(self) -> None:
        super().__init__()
        self.writer = csv.writer(self, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)

    def __call__(self, cells) -> str:
        self.seek(0)
        self.truncate()
        self.writer.writerow(cells)
        return self.getvalue()


def to_json(table: Table, objects: list[str] | None = None) -> bytes:
    """The rows as a JSON list of objects with Table Schema types, indented by two spaces
    (as ``json.dumps(rows, indent=2)``). ``objects``: the rows' objects, if ``json_objects``
    has made them."""
    objects = json_objects(table) if objects is None else objects
    return ("[\n" + ",\n".join(objects) + "\n]\n" if objects else "[]\n").encode("utf-8")


# A row's cells are numbers, text, booleans or null: the C encoder, with the newline and
# indent of ``indent=2`` as its separator, writes it as the indenting encoder would.
_ROW = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",\n    ", ": "))


def json_objects(table: Table) -> list[str]:
    """Each row of ``table`` as its object in ``to_json``, indented."""
    return ["  {\n    " + _ROW.encode(typed(table, row))[1:-1] + "\n  }" for row in table.rows]


# libyaml's emitter where PyYAML was built with it (the locked wheels are): eight times faster.
# Its YAML can differ from the Python emitter's in form (an empty key, say), never in what it
# reads back as (tests/test_export.py); on the real data the bytes are the same.
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def source_yaml(data: object) -> bytes:
    """A YAML file of the data folder, written from its checked content."""
    text = yaml.dump(data, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return text.encode("utf-8")


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
    return (indented(package) + "\n").encode("utf-8")


def _resource(table: Table, content: bytes) -> dict[str, object]:
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
        "schema": _schema(table.columns, table.primary_key, table.foreign_keys),
    }


@lru_cache(maxsize=256)  # every selection's descriptor holds the same three schemas
def _schema(columns: tuple[Column, ...], primary_key: tuple, foreign_keys: tuple) -> Written:
    schema: dict[str, object] = {
        "fields": [field_descriptor(c) for c in columns],
        "missingValues": ["", UNKNOWN],
    }
    if primary_key:
        schema["primaryKey"] = list(primary_key)
    if foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [f], "reference": {"resource": r, "fields": [t]}} for f, r, t in foreign_keys
        ]
    return Written(indented(schema, level=3))  # a resource's key, in the list of resources


class Written(str):
    """JSON text already indented for its place, which ``indented`` writes as it is."""


_SCALAR = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def indented(value: object, level: int = 0) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)`` writes
    it (at ``level`` of nesting), with its text, numbers and nulls written by the C encoder and
    each ``Written`` part as it is."""
    if isinstance(value, Written):
        return value
    close = "\n" + "  " * level
    between = "," + close + "  "
    if isinstance(value, dict):
        items = (f"{_key(k)}: {indented(v, level + 1)}" for k, v in value.items())
        return "{" + close + "  " + between.join(items) + close + "}" if value else "{}"
    if isinstance(value, list | tuple):
        items = (indented(v, level + 1) for v in value)
        return "[" + close + "  " + between.join(items) + close + "]" if value else "[]"
    return _SCALAR.encode(value)


def _key(key: object) -> str:
    """A key as JSON writes it: text, and a number, boolean or null as its JSON text (a YAML
    file may have such keys)."""
    if isinstance(key, str):
        return _SCALAR.encode(key)
    if key is None or isinstance(key, bool | int | float):
        return _SCALAR.encode(_SCALAR.encode(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def download_args(loaded, dataset, all_tables, created) -> tuple:
    """What ``downloads`` makes the files from: all plain data, to pass to a second process."""
    records = {
        name: [loaded.records[name][stem].data for stem in sorted(loaded.records[name])]
        for name in COLLECTIONS
    }
    sources = {DESCRIPTOR: loaded.descriptor, ROUTES: loaded.routes.data}
    sources |= {
        f"{c}/{stem}.yaml": r.data for c in COLLECTIONS for stem, r in loaded.records[c].items()
    }
    texts = {f"handlingar/{d.id}.txt": d.text() for d in dataset.documents.values()}
    schemas = dict(sorted(loaded.schemas.items()))
    return (all_tables, loaded.descriptor, schemas, created, records, sources, texts)


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
