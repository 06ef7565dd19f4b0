"""Property: for records generated from the JSON Schemas, export to the workbook and import
back gives the same data/, byte for byte.

Each record of the synthetic base dataset keeps its shape and its references (ids, sections,
question numbers), so that the records still form one dataset; every other value is drawn from
what the value's own schema allows (its allowed values, its pattern, its range, or unknown with
a reason). Free text is any printable text without spaces at its ends (which the workbook trims,
as an editor expects). hypothesis-jsonschema would draw these, but its objects need a Hypothesis
internal that current Hypothesis no longer has, so the few schema keywords used are read here.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path

from conftest import DATA, build_dataset
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.catalogue import UNKNOWN
from generator.edit.apply import layout, workbook_of
from generator.edit.format import formatted
from generator.edit.records import data_files
from generator.edit.sheets import read_workbook
from generator.source.canonical import items_of, yaml_text
from generator.source.yamlload import load_yaml

_FIXED = {"id", "predecessor", "successor", "partnerships", "section", "number"}
_TEXT = (
    st.text(
        # No character the data may not hold (see generator/source/files.py).
        st.characters(
            codec="utf-8",
            exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"),
            exclude_characters="\ufffe\uffff",
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda s: s and s != UNKNOWN and "; " not in s)
)


def _resolve(schema: dict, defs: dict) -> dict:
    ref = schema.get("$ref", "")
    return {**defs[ref.rsplit("/", 1)[-1]], **schema} if ref else schema


def _record(value: object, schema: dict, defs: dict, key: str = "") -> st.SearchStrategy:
    """The record's shape with new values: references kept, the rest drawn from the schema."""
    schema = _resolve(schema, defs)
    if key in _FIXED or key.endswith("_id"):
        return st.just(value)
    if isinstance(value, dict) and "unknown" in value:  # a group or list the sources lack
        return st.fixed_dictionaries({"unknown": _TEXT})
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if not properties:  # an alternative of anyOf that holds the fields
            options = [_resolve(s, defs) for s in schema.get("anyOf", [])]
            properties = next((o["properties"] for o in options if "properties" in o
                               and "unknown" not in o["properties"]), {})  # fmt: skip
        return st.fixed_dictionaries(
            {k: _record(v, properties.get(k, {}), defs, k) for k, v in value.items()}
        )
    if isinstance(value, list):
        items = items_of(schema, defs)
        return st.tuples(*(_record(v, items, defs, key) for v in value)).map(list)
    return _scalar(schema, defs)


_UNKNOWN_REF = {"$ref": "#/$defs/unknown"}


def _scalar(schema: dict, defs: dict) -> st.SearchStrategy:
    """A value that the schema allows; where it may be unknown, sometimes {unknown: reason}."""
    schema = _resolve(schema, defs)
    for key in ("anyOf", "oneOf"):
        options = schema.get(key, [])
        if options:
            return st.one_of(*(_scalar({**o}, defs) for o in options))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if schema.get("type") == "integer":
        return st.integers(schema.get("minimum", 0), schema.get("maximum", 10**9))
    if schema.get("properties", {}).keys() == {"unknown"}:
        return st.fixed_dictionaries({"unknown": _TEXT})
    if "pattern" in schema:
        return st.from_regex(schema["pattern"].replace("\\d", "[0-9]"), fullmatch=True)
    return _TEXT


def _datasets() -> st.SearchStrategy:
    base = Path(tempfile.mkdtemp()) / "data"
    build_dataset(base)
    strategies = {}
    for folder, name in (("partnerships", "partnership"), ("questions", "question"),
                         ("documents", "document")):  # fmt: skip
        schema = json.loads((DATA / "schemas" / f"{name}.schema.json").read_text())
        for path in sorted((base / folder).glob("*.yaml")):
            doc, _ = load_yaml(path.read_text(encoding="utf-8"), path.name)
            rel = f"{folder}/{path.name}"
            strategies[rel] = _record(copy.deepcopy(doc.data), schema, schema["$defs"])
    return st.fixed_dictionaries(strategies), base


_STRATEGY, _BASE = _datasets()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(_STRATEGY)
def test_export_then_import_gives_the_same_data_folder(records):
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(shutil.copytree(_BASE, Path(scratch) / "data"))
        schemas = {p.name: json.loads(p.read_text()) for p in (data / "schemas").glob("*.json")}
        for rel, record in records.items():
            schema = schemas[f"{rel.split('/')[0].removesuffix('s')}.schema.json"]
            (data / rel).write_text(yaml_text(record, schema), encoding="utf-8")
        for rel, text in formatted(data).items():
            (data / rel).write_text(text, encoding="utf-8")
        try:
            book = workbook_of(data)
        except ValueError:  # a generated date that no calendar has (30 February)
            assume(False)
        (Path(scratch) / "book.xlsx").write_bytes(book)
        typed, catalogue, found = layout(data)
        sheets, problems = read_workbook(Path(scratch) / "book.xlsx", typed, "book.xlsx")
        assert problems == []

        written = data_files(sheets, catalogue, found)
        for rel, text in written.files.items():
            assert text == (data / rel).read_text(encoding="utf-8"), rel
        on_disk = {p.relative_to(data).as_posix() for p in data.glob("*/*.yaml")}
        on_disk |= {p.name for p in data.glob("*.csv")}
        assert set(written.files) == on_disk
