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

``entries`` holds what the catalogue says of a field, ``declared`` what no schema states
(the kinds of record among it), and ``schemas`` reads the rest from the schemas.
"""

from .declared import (
    BASES,
    COLLECTIONS,
    DERIVED,
    KIND,
    KINDS,
    PROPOSALS,
    REFERENCES,
    TABLES,
    TYPE_NAMES,
)
from .entries import (
    DESCRIPTOR,
    MAX_ID,
    SCHEMA_DIR,
    UNKNOWN,
    UNKNOWN_LABEL,
    Category,
    Field,
    Kind,
    plain_path,
    slugify,
)
from .schemas import Catalogue, build, read, read_files

__all__ = [
    "BASES",
    "COLLECTIONS",
    "DERIVED",
    "DESCRIPTOR",
    "KIND",
    "KINDS",
    "MAX_ID",
    "PROPOSALS",
    "REFERENCES",
    "SCHEMA_DIR",
    "TABLES",
    "TYPE_NAMES",
    "UNKNOWN",
    "UNKNOWN_LABEL",
    "Catalogue",
    "Category",
    "Field",
    "Kind",
    "build",
    "plain_path",
    "read",
    "read_files",
    "slugify",
]
