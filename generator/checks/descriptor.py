"""Checks of the files that describe the data: the data package descriptor and the JSON Schemas.

The descriptor must have the shape the portal reads, keep the resources and columns whose names
and types the code relies on (the catalogue lists them), and pass frictionless's check of the
Data Package standard. Each JSON Schema must be a valid draft 2020-12 schema. Until these hold,
the tables are not checked against them.
"""

from __future__ import annotations

from frictionless import Package

from ..catalogue import DESCRIPTOR, KINDS, SCHEMA_DIR
from ..problems import Problem
from ..source.load import Loaded, Record
from .schema import check_records, schema_error

_NAME = {"type": "string", "pattern": "^[a-z0-9_.-]+$"}
# What the portal needs of the descriptor before it can read the tables; the full Data
# Package standard is then checked by frictionless.
# Who publishes the data and how to reach them (see the comment in datapackage.yaml): exactly
# one publisher; each contact channel optional, and a functional one when given.
CONTRIBUTORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["title", "roles"],
        "properties": {
            "title": {"type": "string", "minLength": 2},
            "roles": {
                "type": "array",
                "minItems": 1,
                "items": {"enum": ["publisher", "contact", "registry"]},
            },
            "organization": {"type": "string", "minLength": 2},
            "organizationNumber": {"type": "string", "pattern": "^[0-9]{6}-[0-9]{4}$"},
            "email": {"type": "string", "pattern": '^[^@\\s<>"]+@[^@\\s<>"]+\\.[a-z]{2,}$'},
            "phone": {"type": "string", "pattern": "^\\+?[0-9][0-9 -]{4,18}[0-9]$"},
            "path": {"type": "string", "pattern": '^https://[^\\s<>"]+$'},
        },
    },
    "contains": {"properties": {"roles": {"contains": {"const": "publisher"}}}},
    "minContains": 1,
    "maxContains": 1,
}
DESCRIPTOR_SHAPE = {
    "type": "object",
    "required": ["name", "version", "resources", "contributors"],
    "properties": {
        "contributors": CONTRIBUTORS,
        "homepage": {"type": "string", "pattern": '^https?://[^\\s<>"]+$'},
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
        },
    },
}


def check_descriptor(loaded: Loaded) -> list[Problem]:
    """Problems with the descriptor and the JSON Schemas. A descriptor with problems is set
    aside (``loaded.descriptor`` becomes None), so nothing is checked against it."""
    problems = _check_schemas(loaded)
    if loaded.descriptor is None or loaded.descriptor_doc is None:
        return problems
    record = Record("", "datapackage", loaded.show(DESCRIPTOR), loaded.descriptor_doc)
    found = check_records([record], DESCRIPTOR_SHAPE)
    if not found:
        found = _core_problems(record)
    if not found:
        report = Package.validate_descriptor(loaded.descriptor)
        found = [
            Problem(record.path, 0, "", "descriptor-invalid", f"{e.message} (frictionless)")
            for e in report.errors
        ]
    if found:
        loaded.descriptor = None
    return problems + found


def _check_schemas(loaded: Loaded) -> list[Problem]:
    problems = []
    for name, schema in sorted(loaded.schemas.items()):
        error = schema_error(schema)
        if error:
            problems.append(
                Problem(
                    loaded.show(f"{SCHEMA_DIR}/{name}"),
                    0,
                    "",
                    "descriptor-invalid",
                    f"the JSON Schema is not valid: {error}",
                )
            )
    return problems


def _core_problems(record: Record) -> list[Problem]:
    """The resources and columns the portal and its users rely on must keep their names,
    types and the constraints the rules build on."""
    problems = []
    resources = {r["name"]: (i, r) for i, r in enumerate(record.data["resources"])}
    for kind in (k for k in KINDS if k.fixed):
        if kind.schema not in resources:
            problems.append(
                Problem(
                    record.path,
                    record.doc.line(("resources",)),
                    "resources",
                    "descriptor-invalid",
                    f"the resource '{kind.schema}' is missing",
                )
            )
            continue
        i, resource = resources[kind.schema]
        present = {f["name"]: (j, f) for j, f in enumerate(resource["schema"]["fields"])}
        where = ("resources", i, "schema", "fields")
        for name, ftype, fixed in kind.fixed:
            problems += _core_field(record, where, kind.schema, name, ftype, dict(fixed), present)
    return problems


def _core_field(record, where, resource, name, ftype, constraints, present) -> list[Problem]:
    if name not in present:
        return [
            Problem(
                record.path,
                record.doc.line(where),
                f"{resource}.{name}",
                "descriptor-invalid",
                f"the field '{name}' of '{resource}' is missing; its name is fixed, since users "
                "and checks rely on it",
            )
        ]
    j, spec = present[name]
    given = spec.get("constraints")
    have = {k: (given if isinstance(given, dict) else {}).get(k) for k in constraints}
    if spec["type"] == ftype and have == constraints:
        return []
    return [
        Problem(
            record.path,
            record.doc.line((*where, j)),
            f"{resource}.{name}",
            "descriptor-invalid",
            f"'{name}' must have type {ftype}"
            + (f" and constraints {constraints}" if constraints else ""),
        )
    ]
