"""``portal format``: rewrite the records and tables of a data folder in the canonical form.

Only the form changes, never a value: a file is rewritten only when it reads back as exactly
the values it held (the check is made on every file before it is written). Files that cannot
be read are left for ``portal validate`` to report.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..catalogue import COLLECTIONS, KIND, build, read_files
from ..source.canonical import csv_text, yaml_text
from ..source.yamlload import load_yaml


def formatted(data: Path) -> dict[str, str]:
    """{path in the data folder: its canonical text} for every record and table whose text
    is not canonical yet."""
    descriptor, schemas = read_files(data)
    catalogue = build(descriptor, schemas)
    out: dict[str, str] = {}
    for collection in COLLECTIONS:
        kind = next(k for k in KIND.values() if k.folder == collection)
        schema = schemas.get(kind.schema, {})
        for path in sorted((data / collection).glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            doc, problems = load_yaml(text, path.name)
            if doc is None or problems or not isinstance(doc.data, dict):
                continue
            canonical = yaml_text(doc.data, schema)
            again, _ = load_yaml(canonical, path.name)
            if canonical != text and again is not None and _same(again.data, doc.data, schema):
                out[f"{collection}/{path.name}"] = canonical
    for file in catalogue.files:
        path = data / file
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        if rows:
            canonical = csv_text(rows[0], rows[1:])
            if canonical != text and list(csv.reader(io.StringIO(canonical))) == rows:
                out[file] = canonical
    return out


def _same(after: object, before: object, schema: dict) -> bool:
    """The same values, but for the empty lists and groups the canonical form leaves out."""
    return yaml_text(after, schema) == yaml_text(before, schema)
