"""The field catalogue: what every field of the data means, in one place.

It is read from the schemas in data/ (the JSON Schemas of the YAML records and the Table Schemas
in datapackage.yaml), so anyone who validates the data with standard tools sees the same titles
and labels as the portal's readers. For every field (a YAML path such as
``target_group.age_min`` or a CSV column) it gives the Swedish title, the Swedish and English
description, the type and the allowed values with their Swedish labels; for every kind of record
its key, its Swedish name and its section of the site.

Pages, the change history, the feed, the data dictionary, the downloads, the search filters and
the validator's messages all ask the catalogue. No other module keeps a list of labels, columns
or record kinds. Reading is forgiving: a schema that is broken yields fewer fields, never an
exception, because the validator reports what is wrong with it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

UNKNOWN = "unknown"  # how a CSV cell says that the sources do not state the value
UNKNOWN_LABEL = "Uppgift saknas"
DESCRIPTOR = "datapackage.yaml"
SCHEMA_DIR = "schemas"


@dataclass(frozen=True)
class Category:
    """An allowed value, its Swedish label and its part of a web address."""

    value: str
    label: str
    slug: str


@dataclass(frozen=True)
class Field:
    kind: str  # the record kind's key
    path: str  # dotted, without list positions: "target_group.age_min"; or a CSV column
    title: str  # Swedish
    description: str  # Swedish
    description_en: str
    type: str  # Table Schema type: string, integer, number, boolean, date, year, array, object
    format: str = ""  # "partial-date": a date at the precision the source gives
    categories: tuple[Category, ...] = ()
    unknown_allowed: bool = False
    references: str = ""  # the kind of record whose id the field holds, if it holds one

    def label(self, value: object) -> str:
        """The Swedish label of a coded value; other values as text."""
        if self.type == "boolean" and str(value).lower() in ("true", "false"):
            return "Ja" if str(value).lower() == "true" else "Nej"
        for category in self.categories:
            if category.value == value:
                return category.label
        return str(value)

    def category(self, value: object) -> Category | None:
        return next((c for c in self.categories if c.value == value), None)


@dataclass(frozen=True)
class Kind:
    """A kind of record: where it is kept, what it is called and where the site shows it."""

    key: str
    name: str  # Swedish, singular
    section: str  # the site's folder for its pages; "" when it has none of its own
    schema: str  # the JSON Schema file, or the name of the CSV resource
    folder: str = ""  # YAML records: data/<folder>/<id>.yaml, one record per file
    file: str = ""  # a single YAML file
    # CSV columns whose name, type and constraints the code relies on.
    fixed: tuple[tuple[str, str, tuple[tuple[str, object], ...]], ...] = ()

    @property
    def from_table(self) -> bool:
        return not (self.folder or self.file)


_ID = ("string", (("required", True),))
_TEXT = ("string", ())


def _fixed(**columns: tuple[str, tuple]) -> tuple:
    return tuple((name, kind, constraints) for name, (kind, constraints) in columns.items())


KINDS: tuple[Kind, ...] = (
    Kind("partnership", "Partnerskap", "partnerskap", "partnership.schema.json", "partnerships"),
    Kind("question", "Politisk fråga", "skrivelser", "question.schema.json", "questions"),
    Kind(
        "organisation",
        "Organisation",
        "organisationer",
        "organisations",
        fixed=_fixed(
            id=_ID, name=_ID, org_number=_TEXT, org_id=_TEXT, type=_TEXT, website=_TEXT, note=_TEXT
        ),
    ),
    Kind(
        "decision",
        "Handling",
        "beslut",
        "decisions",
        fixed=_fixed(
            id=_ID,
            date=("date", ()),
            body=_TEXT,
            case_number=_TEXT,
            type=_TEXT,
            title=_TEXT,
            partnership_id=_TEXT,
            question_id=_TEXT,
            outcome=_TEXT,
            document_url=_TEXT,
            summary=_TEXT,
            note=_TEXT,
        ),
    ),
    Kind(
        "cost",
        "Kostnad",
        "",
        "costs",
        fixed=_fixed(
            partnership_id=_ID,
            year=("year", (("required", True),)),
            funder_id=_ID,
            amount_sek=("integer", (("required", True), ("minimum", 0))),
            kind=_TEXT,
            category=_TEXT,
            decision_id=_ID,
            note=_TEXT,
        ),
    ),
    Kind(
        "result",
        "Resultat",
        "",
        "results",
        fixed=_fixed(
            partnership_id=_ID,
            period_start=("date", ()),
            period_end=("date", ()),
            indicator=_TEXT,
            value=("number", ()),
            target=("number", ()),
            unit=("string", (("required", True),)),
            suppressed=("boolean", (("required", True),)),
            source=_ID,
            note=_TEXT,
        ),
    ),
    Kind("guide", "Vägar till samverkan", "vagar", "routes.schema.json", file="routes.yaml"),
    Kind("package", "Datapaketet", "", "", file=DESCRIPTOR),
)
KIND = {kind.key: kind for kind in KINDS}
COLLECTIONS = {kind.folder: kind for kind in KINDS if kind.folder}

# Fields that no schema defines: the data package's version, and the columns of the downloads
# that are made from the records' structure: (title, description, English description, type,
# allowed values). The allowed values are (value, label) pairs, or the path of a partnership
# field whose parts are the values: "iop_assessment" has the parts criteria and legal, and
# "iop_assessment.*" the criteria and legal checks themselves.
DERIVED: dict[str, tuple[str, str, str, str, tuple[tuple[str, str], ...] | str]] = {
    "package.version": (
        "Version",
        "Datapaketets version. En ny huvudversion betyder att ett fält har tagits bort eller bytt "
        "namn, en ny delversion att något har tillkommit.",
        "The data package's version (semantic versioning).",
        "string",
        (),
    ),
    "position": (
        "Ordning",
        "1, 2, 3 … i den ordning som posten anger.",
        "1, 2, 3 … in the order of the record.",
        "integer",
        (),
    ),
    "side": (
        "Sida",
        "Om parten står bland de offentliga parterna eller bland de övriga parterna.",
        "public (public_parties) or partner (partners).",
        "string",
        (("public", "Offentlig part"), ("partner", "Övrig part")),
    ),
    "group": (
        "Grupp",
        "Om raden gäller ett av Forums kriterier eller ett av lagkraven.",
        "criteria (Forum's criteria) or legal (legal checks).",
        "string",
        "iop_assessment",
    ),
    "criterion": (
        "Kriterium",
        "Kriteriet eller lagkravet som bedömningen gäller.",
        "The criterion's key, as in the partnership schema.",
        "string",
        "iop_assessment.*",
    ),
    "partnership_id": (
        "Partnerskap",
        "Det partnerskap som raden gäller (id i tabellen partnerskap).",
        "The partnership (id in partnerships).",
        "string",
        (),
    ),
    "question_id": (
        "Skrivelse",
        "Den skrivelse som raden gäller (id i tabellen politiska frågor).",
        "The skrivelse (id in questions).",
        "string",
        (),
    ),
    "unknown_reasons": (
        "Skäl till okända värden",
        "För varje värde som källorna inte anger: fältet och skälet, åtskilda av semikolon.",
        "For each value given as unknown: 'field: reason', separated by '; '.",
        "string",
        (),
    ),
}

# Fields that hold the id of another record, by name, and the kind of record they point at.
# (A table's foreign keys say the same for its columns, and are read from the descriptor.)
REFERENCES = {
    "organisation_id": "organisation",
    "funder_id": "organisation",
    "decision_id": "decision",
    "partnership_id": "partnership",
    "question_id": "question",
    "predecessor": "partnership",
    "successor": "partnership",
    "partnerships": "partnership",
}

# The downloads' tables that are made from the YAML records: (title, description, English
# description). The tables of the CSV files have theirs in the descriptor.
TABLES = {
    "partnerships": (
        "Partnerskap",
        "En rad per partnerskap (ur partnerships/*.yaml). Parterna och bedömningen som IOP finns "
        "i tabellerna Parter i partnerskapen och Bedömningar av IOP.",
        "One row per partnership (from partnerships/*.yaml). Parties and the IOP assessment are "
        "in partnership_parties and iop_assessments.",
    ),
    "partnership_parties": (
        "Parter i partnerskapen",
        "Parterna i varje partnerskap, en rad per part, i postens ordning.",
        "The parties of each partnership, one row each, in the order of the record.",
    ),
    "iop_assessments": (
        "Bedömningar av IOP",
        "För varje IOP: Forums sju kriterier och de tre lagkraven, med bedömningen så som källan "
        "anger den.",
        "For each IOP: Forum's seven criteria and the three legal checks, with the assessment "
        "as the source states it.",
    ),
    "questions": (
        "Politiska frågor",
        "En rad per skrivelse (ur questions/*.yaml). Frågorna finns i tabellen Frågor i "
        "skrivelserna.",
        "One row per skrivelse (from questions/*.yaml). Its questions are in question_items.",
    ),
    "question_items": (
        "Frågor i skrivelserna",
        "Varje fråga i varje skrivelse, med svaret på den där ett sådant finns.",
        "Each question of each skrivelse, with the reply to it where one exists.",
    ),
}

TYPE_NAMES = {
    "string": "text",
    "integer": "heltal",
    "number": "tal",
    "date": "datum (ÅÅÅÅ-MM-DD)",
    "year": "år (ÅÅÅÅ)",
    "boolean": "sant eller falskt (true eller false)",
    "array": "lista",
    "object": "grupp av fält",
    "partial-date": "datum så exakt som källan anger det (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)",
}


def slugify(text: str) -> str:
    """A web address part from Swedish text: 'Pågår' -> 'pagar'."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


@dataclass
class Catalogue:
    fields: dict[tuple[str, str], Field] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # CSV file -> kind key
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind key -> primary key
    # table name -> (title, description, English description), for every table of the downloads
    tables: dict[str, tuple[str, str, str]] = field(default_factory=lambda: dict(TABLES))

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


def plain_path(path: str) -> str:
    """'partners[0].role' -> 'partners.role'."""
    return re.sub(r"\[\d+\]", "", path)


def build(descriptor: object, schemas: dict[str, object]) -> Catalogue:
    """The catalogue of a data folder's descriptor and JSON Schemas (as parsed)."""
    catalogue = Catalogue()
    for kind in KINDS:
        schema = schemas.get(kind.schema) if kind.schema.endswith(".json") else None
        if isinstance(schema, dict):
            for found in _json_fields(kind.key, schema):
                catalogue.fields.setdefault((kind.key, found.path), found)
            catalogue.keys[kind.key] = ("id",) if kind.folder else ()
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    by_name = {k.schema: k for k in KINDS if k.from_table}
    for resource in resources if isinstance(resources, list) else []:
        kind = by_name.get(resource.get("name")) if isinstance(resource, dict) else None
        schema = resource.get("schema") if kind else None
        if not isinstance(schema, dict):
            continue
        if isinstance(resource.get("path"), str):
            catalogue.files[resource["path"]] = kind.key
        catalogue.tables[kind.schema] = tuple(
            _text(resource, key) for key in ("title", "description", "descriptionEn")
        )
        key = schema.get("primaryKey")
        catalogue.keys[kind.key] = tuple(key) if isinstance(key, list) else ()
        targets = _foreign_keys(schema, by_name)
        for spec in schema.get("fields") or []:
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                found = _table_field(kind.key, spec, targets)
                catalogue.fields.setdefault((kind.key, found.path), found)
    catalogue.fields[("package", "version")] = catalogue.derived("package.version", "package")
    return catalogue


def read(data: Path) -> Catalogue:
    """The catalogue of a data folder, read from its files (for tools and tests)."""
    descriptor = yaml.safe_load((data / DESCRIPTOR).read_text(encoding="utf-8"))
    schemas = {
        file.name: json.loads(file.read_text(encoding="utf-8"))
        for file in sorted((data / SCHEMA_DIR).glob("*.json"))
    }
    return build(descriptor, schemas)


# --- reading the schemas -------------------------------------------------------------------


def _categories(spec: dict) -> tuple[Category, ...]:
    found = []
    for item in spec.get("categories") or []:
        if isinstance(item, dict) and "value" in item:
            label = str(item.get("label", item["value"]))
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
    for fk in schema.get("foreignKeys") or []:
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
                REFERENCES.get(path.rsplit(".", 1)[-1], ""),
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


def _deref(schema: dict, node: object, depth: int = 0) -> dict:
    """The node with its local $ref resolved; the node's own keys win over the target's."""
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/") or depth > 10:
        return node
    name = ref.removeprefix("#/$defs/")
    target = (schema.get("$defs") or {}).get(name)
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
    if isinstance(kind, str):
        return kind
    return "string" if "enum" in value else "object"
