"""What the catalogue says of a field, an allowed value and a kind of record."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UNKNOWN = "unknown"  # how a CSV cell says that the sources do not state the value
UNKNOWN_LABEL = "Uppgift saknas"
DESCRIPTOR = "datapackage.yaml"
MAX_ID = 80  # an id becomes a web address and a file name, so it is kept short
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
    # Ids no record may take, because the site has a page of that name in the section.
    reserved: tuple[str, ...] = ("index",)

    @property
    def from_table(self) -> bool:
        return not (self.folder or self.file)


def slugify(text: str) -> str:
    """A web address part from Swedish text: 'Pågår' -> 'pagar'."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def plain_path(path: str) -> str:
    """'partners[0].role' -> 'partners.role'."""
    return re.sub(r"\[\d+\]", "", path) if "[" in path else path
