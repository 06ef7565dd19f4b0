"""Load stage: find every file in a data folder, check its hygiene and parse it once.

The result keeps, for every value, the physical line it came from, so that later stages can
report ``path:line``. Nothing here decides whether the content is right; that is validate's job.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import astuple, dataclass, field
from pathlib import Path

from frictionless import Package
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..checks.schema import check_records
from ..problems import Problem
from .cache import NO_CACHE, Cache, digest
from .files import MAX_CSV_BYTES, MAX_YAML_BYTES, read_text
from .yamlload import YamlDoc, load_yaml

DESCRIPTOR = "datapackage.yaml"
SCHEMA_DIR = "schemas"
# YAML record collections: folder name -> schema file in data/schemas/.
COLLECTIONS = {
    "partnerships": "partnership.schema.json",
    "questions": "question.schema.json",
}
# What the portal needs of the descriptor before it can read the tables; the full Data
# Package standard is then checked by frictionless.
_NAME = {"type": "string", "pattern": "^[a-z0-9_.-]+$"}
DESCRIPTOR_SHAPE = {
    "type": "object",
    "required": ["name", "version", "resources"],
    "properties": {
        "resources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "path", "schema"],
                "properties": {
                    "name": _NAME,
                    "path": {"type": "string", "pattern": "^[a-z0-9_-]+\\.csv$"},
                    "schema": {
                        "type": "object",
                        "required": ["fields"],
                        "properties": {
                            "fields": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["name", "type"],
                                    "properties": {"name": _NAME, "type": {"type": "string"}},
                                },
                            }
                        },
                    },
                },
            },
        }
    },
}
# Resources and fields with fixed names: (type, constraints the rules rely on).
_ID = ("string", {"required": True})
CORE_FIELDS: dict[str, dict[str, tuple[str, dict]]] = {
    "organisations": {
        "id": _ID,
        "name": _ID,
        "org_number": ("string", {}),
        "org_id": ("string", {}),
        "type": ("string", {}),
        "website": ("string", {}),
        "note": ("string", {}),
    },
    "decisions": {
        "id": _ID,
        "date": ("date", {}),
        "body": ("string", {}),
        "case_number": ("string", {}),
        "type": ("string", {}),
        "title": ("string", {}),
        "partnership_id": ("string", {}),
        "question_id": ("string", {}),
        "outcome": ("string", {}),
        "document_url": ("string", {}),
        "summary": ("string", {}),
        "note": ("string", {}),
    },
    "costs": {
        "partnership_id": _ID,
        "year": ("year", {"required": True}),
        "funder_id": _ID,
        "amount_sek": ("integer", {"required": True, "minimum": 0}),
        "kind": ("string", {}),
        "category": ("string", {}),
        "decision_id": _ID,
        "note": ("string", {}),
    },
    "results": {
        "partnership_id": _ID,
        "period_start": ("date", {}),
        "period_end": ("date", {}),
        "indicator": ("string", {}),
        "value": ("number", {}),
        "target": ("number", {}),
        "unit": ("string", {"required": True}),
        "suppressed": ("boolean", {"required": True}),
        "source": _ID,
        "note": ("string", {}),
    },
}
# The guide's routes: one YAML file with its own schema.
ROUTES = "routes.yaml"
ROUTES_SCHEMA = "routes.schema.json"
# Files an editor may keep in data/ that the validator does not parse.
DOC_FILES = {"README.md"}


@dataclass
class Record:
    """One YAML record: data/<collection>/<stem>.yaml."""

    collection: str
    stem: str
    path: str
    doc: YamlDoc
    key: str = ""  # a hash of the file's path and text, for the check cache

    @property
    def data(self) -> dict:
        return self.doc.data if isinstance(self.doc.data, dict) else {}


@dataclass
class Table:
    """One CSV resource, as text cells keyed by column name, with each row's first line."""

    name: str
    path: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    key: str = ""  # a hash of the file's path and text, for the check cache


@dataclass
class Loaded:
    root: Path
    shown: str
    descriptor: dict | None = None
    descriptor_doc: YamlDoc | None = None
    tables: dict[str, Table] = field(default_factory=dict)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    # Every record file found, parsed or not, so a broken file does not also break the
    # references to it.
    stems: dict[str, set[str]] = field(default_factory=dict)
    routes: Record | None = None
    schemas: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    cache: Cache = NO_CACHE

    def show(self, relative: str) -> str:
        return f"{self.shown.rstrip('/')}/{relative}"


def load(
    root: Path,
    shown: str | None = None,
    max_csv_bytes: int = MAX_CSV_BYTES,
    cache: Cache = NO_CACHE,
) -> Loaded:
    loaded = Loaded(root=root, shown=shown if shown is not None else str(root), cache=cache)
    expected: set[str] = set()

    expected.add(DESCRIPTOR)
    _load_descriptor(loaded)
    for schema_file in [*COLLECTIONS.values(), ROUTES_SCHEMA]:
        rel = f"{SCHEMA_DIR}/{schema_file}"
        expected.add(rel)
        try:
            schema = json.loads((root / rel).read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            loaded.schemas[schema_file] = schema
        except SchemaError as exc:
            loaded.problems.append(
                Problem(
                    loaded.show(rel),
                    0,
                    "",
                    "descriptor-invalid",
                    f"the JSON Schema is not valid: {exc.message}",
                )
            )
        except (OSError, ValueError) as exc:
            loaded.problems.append(
                Problem(
                    loaded.show(rel),
                    0,
                    "",
                    "descriptor-invalid",
                    f"the JSON Schema cannot be read: {exc}",
                )
            )

    if loaded.descriptor is None:
        # Without a usable descriptor the tables cannot be read; its problems say why, and
        # the CSV files are not reported as unexpected on top of that.
        expected |= {file.name for file in root.glob("*.csv")}
    for resource in (loaded.descriptor or {}).get("resources") or []:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        rel = resource["path"]
        expected.add(rel)
        fields = [f.get("name") for f in (resource.get("schema") or {}).get("fields") or []]
        table = _load_table(loaded, str(resource.get("name")), rel, fields, max_csv_bytes)
        if table is not None:
            loaded.tables[table.name] = table

    for collection in COLLECTIONS:
        loaded.records[collection] = {}
        files = sorted((root / collection).glob("*.yaml"))
        loaded.stems[collection] = {file.stem for file in files}
        for file in files:
            rel = f"{collection}/{file.name}"
            expected.add(rel)
            record = _load_record(loaded, collection, rel)
            if record is not None:
                loaded.records[collection][file.stem] = record

    expected.add(ROUTES)
    loaded.routes = _load_record(loaded, "", ROUTES)

    _report_unexpected(loaded, expected)
    return loaded


def _load_record(loaded: Loaded, collection: str, rel: str) -> Record | None:
    """One YAML record, or None (with problems) when it cannot be read as a mapping."""
    file = loaded.root / rel
    if not file.is_file():
        loaded.problems.append(
            Problem(loaded.show(rel), 0, "", "file-missing", "this file is missing")
        )
        return None
    text, problems = read_text(file, loaded.show(rel), MAX_YAML_BYTES)
    loaded.problems += problems
    if text is None:
        return None
    key = digest("yaml", loaded.show(rel), text)
    doc, problems = _parse_yaml(loaded.cache, key, text, loaded.show(rel))
    loaded.problems += problems
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        loaded.problems.append(
            Problem(
                loaded.show(rel),
                1,
                "",
                "yaml-not-mapping",
                "a record must be a mapping of field names to values "
                "(lines such as 'id: my-partnership')",
            )
        )
        return None
    return Record(collection, file.stem, loaded.show(rel), doc, key)


def _parse_yaml(cache: Cache, key: str, text: str, shown: str):
    cached = cache.get(key)
    if cached is not None:
        data, lines, found = cached
        doc = None if lines is None else YamlDoc(data, lines)
        return doc, [Problem(*p) for p in found]
    doc, problems = load_yaml(text, shown)
    found = [astuple(p) for p in problems]
    cache.put(key, (None, None, found) if doc is None else (doc.data, doc.lines, found))
    return doc, problems


def _load_descriptor(loaded: Loaded) -> None:
    file = loaded.root / DESCRIPTOR
    if not file.is_file():
        loaded.problems.append(
            Problem(
                loaded.show(DESCRIPTOR),
                0,
                "",
                "file-missing",
                "the data package descriptor is missing; every data folder needs one",
            )
        )
        return
    text, problems = read_text(file, loaded.show(DESCRIPTOR), MAX_YAML_BYTES)
    loaded.problems += problems
    if text is None:
        return
    doc, problems = load_yaml(text, loaded.show(DESCRIPTOR))
    loaded.problems += problems
    if doc is None:
        return
    record = Record("", "datapackage", loaded.show(DESCRIPTOR), doc)
    problems = check_records([record], DESCRIPTOR_SHAPE) if isinstance(doc.data, dict) else []
    if not isinstance(doc.data, dict):
        problems = [
            Problem(
                record.path,
                1,
                "",
                "yaml-not-mapping",
                "the descriptor must be a mapping (lines such as 'name: insyn-i-samverkan')",
            )
        ]
    if not problems:
        problems = _core_problems(record)
    if not problems:
        report = Package.validate_descriptor(doc.data)
        problems = [
            Problem(record.path, 0, "", "descriptor-invalid", f"{e.message} (frictionless)")
            for e in report.errors
        ]
    loaded.problems += problems
    if not problems:
        loaded.descriptor, loaded.descriptor_doc = doc.data, doc


def _core_problems(record: Record) -> list[Problem]:
    """The resources and fields the portal and its users rely on must keep their names,
    types and the constraints the rules build on."""
    problems = []
    resources = {r["name"]: (i, r) for i, r in enumerate(record.data["resources"])}
    for name, fields in CORE_FIELDS.items():
        if name not in resources:
            problems.append(
                Problem(
                    record.path,
                    record.doc.line(("resources",)),
                    "resources",
                    "descriptor-invalid",
                    f"the resource '{name}' is missing",
                )
            )
            continue
        i, resource = resources[name]
        present = {f["name"]: (j, f) for j, f in enumerate(resource["schema"]["fields"])}
        for field_name, (ftype, constraints) in fields.items():
            where = ("resources", i, "schema", "fields")
            if field_name not in present:
                problems.append(
                    Problem(
                        record.path,
                        record.doc.line(where),
                        f"{name}.{field_name}",
                        "descriptor-invalid",
                        f"the field '{field_name}' of '{name}' is "
                        "missing; its name is fixed, since users and checks rely on it",
                    )
                )
                continue
            j, spec = present[field_name]
            have = {k: spec.get("constraints", {}).get(k) for k in constraints}
            if spec["type"] != ftype or have != constraints:
                problems.append(
                    Problem(
                        record.path,
                        record.doc.line((*where, j)),
                        f"{name}.{field_name}",
                        "descriptor-invalid",
                        f"'{field_name}' must have type {ftype}"
                        + (f" and constraints {constraints}" if constraints else ""),
                    )
                )
    return problems


def _load_table(loaded: Loaded, name: str, rel: str, fields: list, limit: int) -> Table | None:
    shown = loaded.show(rel)
    file = loaded.root / rel
    if not file.is_file():
        loaded.problems.append(
            Problem(
                shown,
                0,
                "",
                "file-missing",
                f"resource '{name}' names this file, but it does not exist",
            )
        )
        return None
    text, problems = read_text(file, shown, limit)
    loaded.problems += problems
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        loaded.problems.append(
            Problem(
                shown,
                1,
                "",
                "csv-semicolon",
                "the columns are separated by semicolons, as "
                "Swedish Excel saves 'CSV (semikolonavgränsad)'. In Excel choose Spara som > "
                "'CSV UTF-8 (kommaavgränsad)', or set the list separator to a comma",
            )
        )
        return None
    reader = csv.reader(io.StringIO(text), strict=True)
    last_line = text.rstrip("\n").count("\n") + 1  # blank lines after it are ignored
    previous = 0
    try:
        header = next(reader, [])
        table = Table(name, shown, header, key=digest("csv", shown, text))
        previous = reader.line_num
        for cells in reader:
            line = previous + 1
            previous = reader.line_num
            if not cells or not any(c.strip() for c in cells):
                if line <= last_line:
                    loaded.problems.append(
                        Problem(shown, line, "", "blank-row", "the row is empty; delete it")
                    )
                continue
            if len(cells) != len(header):
                loaded.problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        "row-shape",
                        f"the row has {len(cells)} cells but "
                        f"the header has {len(header)} columns; check for a missing or extra "
                        "comma, and put text that contains commas in double quotes",
                    )
                )
                continue
            table.rows.append(dict(zip(header, cells, strict=True)))
            table.lines.append(line)
    except csv.Error as exc:
        loaded.problems.append(
            Problem(
                shown,
                previous + 1,
                "",
                "csv-syntax",
                f"CSV syntax error: {exc}; check "
                'that every double quote inside a cell is doubled ("")',
            )
        )
        return None
    return table


_NAME_HINTS = {".yml": "rename it to end in .yaml", ".xlsx": "save it as CSV UTF-8"}


def _report_unexpected(loaded: Loaded, expected: set[str]) -> None:
    for file in sorted(loaded.root.rglob("*")):
        if not file.is_file():
            continue
        rel = file.relative_to(loaded.root).as_posix()
        if rel in expected or rel in DOC_FILES or _hidden(rel):
            continue
        if rel.startswith(f"{SCHEMA_DIR}/") and rel.endswith(".json"):
            continue
        hint = _NAME_HINTS.get(file.suffix.lower(), "")
        if not hint and re.fullmatch(r"[^/]+\.csv", rel):
            hint = "add it as a resource in datapackage.yaml"
        elif not hint:
            hint = (
                "records go in partnerships/ or questions/ as .yaml files; move or delete this file"
            )
        loaded.problems.append(
            Problem(
                loaded.show(rel),
                0,
                "",
                "unexpected-file",
                f"the portal does not read this file, so its content would be lost: {hint}",
            )
        )


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))
