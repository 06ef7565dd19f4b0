"""The one form data/ is written in, so that a rewrite changes only what changed.

A YAML record is written with its keys in the order of its JSON Schema, in block style with
list items indented under their key, long text folded at ``WIDTH`` characters and text on
several lines as a literal block; a CSV table with a line feed after every row and cells quoted
only where they must be. ``portal format`` rewrites the records and tables of data/ in this form
once; ``portal import`` writes it; a test keeps data/ in it. Whatever is written here reads back
as the same values with the portal's own YAML reader (source/yamlload.py).
"""

from __future__ import annotations

import csv
import io
import re

import yaml

WIDTH = 86  # folded text breaks at the first space past this column
_FOLD = 72  # text longer than this is folded over several lines


class _Dumper(yaml.SafeDumper):
    """The pure-Python safe dumper (the same bytes on every machine), with list items indented
    under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


# Text that the portal's reader would take as a number is quoted, like text that YAML would.
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789"),
)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value:
        style = "|"
    elif len(value) > _FOLD:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def yaml_text(data: object, schema: dict) -> str:
    """A record as canonical YAML: keys in the schema's order, then any others as they are."""
    ordered = _ordered(data, schema, schema.get("$defs", {}))
    return yaml.dump(
        ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH, indent=2
    )


def _ordered(value: object, schema: dict, defs: dict) -> object:
    if isinstance(value, dict):
        properties = _properties(schema, defs)
        required = set(_resolved(schema, defs).get("required") or ())
        keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
        # An empty list or group that the schema does not require says nothing: left out.
        keys = [k for k in keys if k in required or value[k] not in ([], {})]
        return {k: _ordered(value[k], properties.get(k, {}), defs) for k in keys}
    if isinstance(value, list):
        items = items_of(schema, defs)
        return [_ordered(item, items if isinstance(items, dict) else {}, defs) for item in value]
    return value


def _resolved(schema: object, defs: dict, depth: int = 0) -> dict:
    """The schema with its $ref followed."""
    if not isinstance(schema, dict):
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and depth < 20:
        return {**_resolved(defs.get(ref.rsplit("/", 1)[-1], {}), defs, depth + 1), **schema}
    return schema


def items_of(schema: object, defs: dict) -> object:
    """The schema of a list's items, also where the list is one alternative of several."""
    schema = _resolved(schema, defs)
    options = [
        schema,
        *(_resolved(o, defs) for k in ("anyOf", "oneOf") for o in schema.get(k) or []),
    ]
    return next((o["items"] for o in options if isinstance(o.get("items"), dict)), {})


def _properties(schema: object, defs: dict) -> dict[str, dict]:
    """The properties a mapping may have, in the schema's order, with those of each
    alternative (oneOf, anyOf) after them."""
    schema = _resolved(schema, defs)
    found: dict[str, dict] = dict(schema.get("properties") or {})
    for key in ("oneOf", "anyOf", "allOf"):
        for alternative in schema.get(key) or []:
            for name, sub in _properties(alternative, defs).items():
                found.setdefault(name, sub)
    return found


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """A table as canonical CSV: a line feed after every row, cells quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
