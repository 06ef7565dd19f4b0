"""The catalogue read from the schemas: the JSON Schemas of the YAML records and the Table
Schemas of the descriptor. Reading is forgiving: a broken schema yields fewer fields, never an
exception, because the validator reports what is wrong with it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .declared import COLLECTIONS, DERIVED, GUIDE_REFERENCES, KIND, KINDS, REFERENCES, TABLES
from .entries import DESCRIPTOR, SCHEMA_DIR, Category, Field, Kind, plain_path, slugify


@dataclass
class Catalogue:
    fields: dict[tuple[str, str], Field] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # CSV file -> kind key
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind key -> primary key
    # table name -> (title, description, English description), for every table of the downloads
    tables: dict[str, tuple[str, str, str]] = field(default_factory=lambda: dict(TABLES))
    # The data package itself: its title, description (in Swedish and English) and keywords.
    package: dict[str, object] = field(default_factory=dict)

    def field(self, kind: str, path: str) -> Field | None:
        return self.fields.get((kind, plain_path(path)))

    def title(self, kind: str, path: str) -> str:
        found = self.field(kind, path)
        return found.title if found else path

    def label(self, kind: str, path: str, value: object) -> str:
        found = self.field(kind, path)
        return found.label(value) if found else str(value)

    def of(self, kind: str) -> list[Field]:
        """The kind's fields in the order of its schema."""
        return [f for (k, _), f in self.fields.items() if k == kind]

    def children(self, kind: str, path: str) -> list[Field]:
        depth = path.count(".") + 1
        return [
            f for f in self.of(kind) if f.path.startswith(path + ".") and f.path.count(".") == depth
        ]

    def derived(self, name: str, kind: str = "") -> Field:
        """A field that no schema defines (see DERIVED)."""
        title, description, english, type_, values = DERIVED[name]
        if isinstance(values, str):
            parts = [values.removesuffix(".*")]
            if values.endswith(".*"):
                parts = [f.path for f in self.children("partnership", parts[0])]
            pairs = [
                (f.path.rsplit(".", 1)[1], f.title)
                for p in parts
                for f in self.children("partnership", p)
            ]
        else:
            pairs = list(values)
        categories = tuple(Category(v, label, slugify(label)) for v, label in pairs)
        return Field(
            kind, name.rsplit(".", 1)[-1], title, description, english, type_, categories=categories
        )

    def kind_of(self, rel: str) -> Kind | None:
        """The kind of record a file in the data folder holds, or None."""
        folder, _, name = rel.rpartition("/")
        if folder in COLLECTIONS and name.endswith(".yaml"):
            return COLLECTIONS[folder]
        if rel in self.files:
            return KIND[self.files[rel]]
        return next((k for k in KINDS if k.file and k.file == rel), None)


def build(descriptor: object, schemas: dict[str, object]) -> Catalogue:
    """The catalogue of a data folder's descriptor and JSON Schemas (as parsed)."""
    catalogue = Catalogue()
    for kind in KINDS:
        schema = schemas.get(kind.schema) if kind.schema.endswith(".json") else None
        if isinstance(schema, dict):
            for found in _json_fields(kind.key, schema):
                catalogue.fields.setdefault((kind.key, found.path), found)
            catalogue.keys[kind.key] = ("id",) if kind.folder else ()
    if isinstance(descriptor, dict):
        catalogue.package = _package(descriptor)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    by_name = {k.schema: k for k in KINDS if k.from_table}
    for resource in resources if isinstance(resources, list) else []:
        name = resource.get("name") if isinstance(resource, dict) else None
        kind = by_name.get(name) if isinstance(name, str) else None
        schema = resource.get("schema") if kind else None
        if not isinstance(schema, dict):
            continue
        if isinstance(resource.get("path"), str):
            catalogue.files[resource["path"]] = kind.key
        catalogue.tables[kind.schema] = tuple(
            _text(resource, key) for key in ("title", "description", "descriptionEn")
        )
        catalogue.keys[kind.key] = _names(schema.get("primaryKey"))
        targets = _foreign_keys(schema, by_name)
        for spec in _list(schema.get("fields")):
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                found = _table_field(kind.key, spec, targets)
                catalogue.fields.setdefault((kind.key, found.path), found)
    catalogue.fields[("package", "version")] = catalogue.derived("package.version", "package")
    return catalogue


def _package(descriptor: dict) -> dict[str, object]:
    keys = ("title", "titleEn", "description", "descriptionEn")
    texts: dict[str, object] = {key: _text(descriptor, key) for key in keys}
    texts["keywords"] = [k for k in _list(descriptor.get("keywords")) if isinstance(k, str)]
    return texts


def read(data: Path) -> Catalogue:
    """The catalogue of a data folder, read from its files (for tools and tests)."""
    return build(*read_files(data))


def read_files(data: Path) -> tuple[object, dict[str, object]]:
    """A data folder's descriptor and its JSON Schemas by file name, as parsed."""
    descriptor = yaml.safe_load((data / DESCRIPTOR).read_text(encoding="utf-8"))
    schemas = {
        file.name: json.loads(file.read_text(encoding="utf-8"))
        for file in sorted((data / SCHEMA_DIR).glob("*.json"))
    }
    return descriptor, schemas


# --- reading the schemas -------------------------------------------------------------------


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _names(value: object) -> tuple[str, ...]:
    """A Table Schema list of field names, which may also be a single name."""
    names = [value] if isinstance(value, str) else _list(value)
    return tuple(n for n in names if isinstance(n, str))


def _categories(spec: dict) -> tuple[Category, ...]:
    found = []
    for item in _list(spec.get("categories")):
        if isinstance(item, dict) and isinstance(item.get("value"), str | int | bool):
            label = item.get("label")
            label = label if isinstance(label, str) and label.strip() else str(item["value"])
            found.append(
                Category(str(item["value"]), label, str(item.get("slug") or slugify(label)))
            )
    return tuple(found)


def _text(spec: dict, key: str) -> str:
    value = spec.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _foreign_keys(schema: dict, kinds: dict[str, Kind]) -> dict[str, str]:
    """{column: kind key} of a Table Schema's single-column foreign keys."""
    targets = {}
    for fk in _list(schema.get("foreignKeys")):
        try:
            (column,) = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            targets[column] = kinds[fk["reference"]["resource"]].key
        except (KeyError, TypeError, ValueError):
            continue
    return targets


def _table_field(kind: str, spec: dict, targets: dict[str, str]) -> Field:
    name = spec["name"]
    return Field(
        kind,
        name,
        _text(spec, "title") or name,
        _text(spec, "description"),
        _text(spec, "descriptionEn"),
        str(spec.get("type", "string")),
        categories=_categories(spec),
        unknown_allowed=spec.get("unknownAllowed") is True,
        references=targets.get(name) or REFERENCES.get(name, ""),
    )


def _json_fields(kind: str, schema: dict) -> list[Field]:
    fields: list[Field] = []

    def visit(node: object, path: str, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        own = _deref(schema, node)
        value, unknown = _stated(schema, own)
        repeated = value.get("type") == "array"
        item = _deref(schema, value.get("items")) if repeated else value
        fields.append(
            Field(
                kind,
                path,
                _text(own, "title") or path.rsplit(".", 1)[-1],
                _text(own, "description"),
                _text(own, "descriptionEn"),
                _type(value),
                "partial-date" if item.get("$def") == "partial_date" else "",
                _categories(own) or _categories(value) or _categories(item),
                unknown,
                _reference(kind, path.rsplit(".", 1)[-1]),
            )
        )
        children = item.get("properties")
        if isinstance(children, dict) and item.get("$def") not in seen:
            inner = seen | {item.get("$def", "")}
            for name, child in children.items():
                visit(child, f"{path}.{name}", inner)

    properties = schema.get("properties")
    for name, child in (properties if isinstance(properties, dict) else {}).items():
        visit(child, name, frozenset())
    return fields


def _reference(kind: str, name: str) -> str:
    """The kind of record whose id a YAML field with this name holds, if any."""
    if kind == "guide" and name in GUIDE_REFERENCES:
        return GUIDE_REFERENCES[name]
    return REFERENCES.get(name, "")


def _deref(schema: dict, node: object, depth: int = 0) -> dict:
    """The node with its local $ref resolved; the node's own keys win over the target's."""
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/") or depth > 10:
        return node
    name = ref.removeprefix("#/$defs/")
    definitions = schema.get("$defs")
    target = definitions.get(name) if isinstance(definitions, dict) else None
    rest = {k: v for k, v in node.items() if k != "$ref"}
    return {**_deref(schema, target, depth + 1), "$def": name, **rest}


def _stated(schema: dict, node: dict) -> tuple[dict, bool]:
    """The schema of a stated value, and whether {unknown: <reason>} is allowed instead."""
    arms = node.get("anyOf")
    if not isinstance(arms, list):
        return node, False
    unknown = [
        a for a in arms if isinstance(a, dict) and str(a.get("$ref", "")).endswith("/unknown")
    ]
    stated = [_deref(schema, a) for a in arms if isinstance(a, dict) and a not in unknown]
    return (stated[0] if stated else {}), bool(unknown)


def _type(value: dict) -> str:
    if value.get("$def") == "full_date":
        return "date"
    kind = value.get("type")
    if isinstance(kind, list):  # ["string", "null"]: the type of a stated value
        kind = next((k for k in kind if isinstance(k, str) and k != "null"), None)
    if isinstance(kind, str):
        return kind
    return "string" if "enum" in value else "object"
