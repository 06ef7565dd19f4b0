"""The field catalogue is complete: every field in every schema has a Swedish title and a
description in Swedish and English, every allowed value a Swedish label; the catalogue reads
all of them; and what the downloads call a column is unambiguous."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import yaml
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import catalogue

SCHEMAS = sorted((DATA / "schemas").glob("*.json"))
DESCRIPTOR = yaml.safe_load((DATA / "datapackage.yaml").read_text(encoding="utf-8"))


def _properties(node: object, path: str = "") -> Iterator[tuple[str, dict]]:
    """(path, schema) of every property in a JSON Schema, $defs included."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs") and isinstance(value, dict):
                for name, child in value.items():
                    where = f"{path}.{name}" if path else name
                    if key == "properties":
                        yield where, child
                    yield from _properties(child, where)
            elif key not in ("enum", "categories", "required", "if", "then", "else", "not"):
                yield from _properties(value, path)
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item, path)


def _enum(node: dict, schema: dict) -> list | None:
    """The allowed values of a property: its enum, or that of its items or of the arm of its
    anyOf that is not {unknown: …}, following local references."""
    if "$ref" in node:
        node = {**schema["$defs"][node["$ref"].rsplit("/", 1)[1]], **node}
    if "enum" in node:
        return node["enum"]
    for arm in node.get("anyOf", []):
        if "unknown" not in arm.get("$ref", "") and (found := _enum(arm, schema)) is not None:
            return found
    return _enum(node["items"], schema) if isinstance(node.get("items"), dict) else None


def _swedish_text(text: object) -> bool:
    return isinstance(text, str) and text.strip() != "" and "_" not in text


@pytest.mark.parametrize("schema_file", SCHEMAS, ids=lambda p: p.name)
def test_every_property_has_a_swedish_title_and_both_descriptions(schema_file):
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    properties = list(_properties(schema))
    assert len(properties) >= 8
    for path, spec in properties:
        name = path.rsplit(".", 1)[-1]
        assert _swedish_text(spec.get("title")) and spec["title"] != name, path
        assert spec.get("description") and spec.get("descriptionEn"), path
        assert spec["description"] != spec["descriptionEn"], path


@pytest.mark.parametrize("schema_file", SCHEMAS, ids=lambda p: p.name)
def test_every_allowed_value_has_a_swedish_label(schema_file):
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    coded = [(path, spec, _enum(spec, schema)) for path, spec in _properties(schema)]
    coded = [(path, spec, values) for path, spec, values in coded if values is not None]
    assert coded or schema_file.name == "question.schema.json"
    for path, spec, values in coded:
        categories = spec.get("categories", [])
        assert [c["value"] for c in categories] == values, path
        assert all(_swedish_text(c["label"]) for c in categories), path
        assert all(c["label"] != c["value"] for c in categories), path


def test_every_column_of_the_descriptor_is_described_and_labelled():
    for resource in DESCRIPTOR["resources"]:
        for key in ("title", "description", "descriptionEn"):
            assert resource.get(key), (resource["name"], key)
        for field in resource["schema"]["fields"]:
            where = (resource["name"], field["name"])
            assert _swedish_text(field.get("title")) and field["title"] != field["name"], where
            assert field.get("description") and field.get("descriptionEn"), where
            values = field.get("constraints", {}).get("enum")
            labels = [c["value"] for c in field.get("categories", [])]
            assert labels == (values or []), where
            assert all(_swedish_text(c["label"]) for c in field.get("categories", [])), where
            assert all(c["label"] != c["value"] for c in field.get("categories", [])), where


def test_the_catalogue_reads_every_field():
    fields = catalogue.read(DATA)
    for kind in catalogue.KINDS:
        if kind.schema.endswith(".json"):
            schema = json.loads((DATA / "schemas" / kind.schema).read_text(encoding="utf-8"))
            top = set(schema["properties"])
        elif kind.schema:
            resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == kind.schema)
            top = {f["name"] for f in resource["schema"]["fields"]}
        else:
            continue
        found = {f.path for f in fields.of(kind.key)}
        assert top <= found, kind.key
        assert all(f.title and f.description and f.description_en for f in fields.of(kind.key))
    assert fields.label("partnership", "partners[1].role", "co_financier") == "Medfinansiär"
    assert fields.field("partnership", "iop_assessment.criteria.long_term").title == "Långsiktighet"
    assert fields.field("result", "suppressed").label("true") == "Ja"


def test_the_same_allowed_values_have_the_same_labels_everywhere():
    fields = catalogue.read(DATA)
    by_values: dict[tuple, set] = {}
    for field in fields.fields.values():
        if field.categories:
            values = tuple(c.value for c in field.categories)
            by_values.setdefault(values, set()).add(tuple(c.label for c in field.categories))
    assert all(len(labels) == 1 for labels in by_values.values()), by_values


def test_a_download_never_gives_two_columns_the_same_title(real_site):
    published = json.loads((real_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in published["resources"]:
        titles = [f["title"] for f in resource["schema"]["fields"]]
        assert len(titles) == len(set(titles)), resource["name"]
        assert all(_swedish_text(t) for t in titles), resource["name"]
        assert all(f["description"] and f["descriptionEn"] for f in resource["schema"]["fields"])


def test_derived_columns_and_tables_are_described():
    fields = catalogue.read(DATA)
    for name in catalogue.DERIVED:
        derived = fields.derived(name)
        assert derived.title and derived.description and derived.description_en, name
    for values in ("group", "criterion"):
        assert len(fields.derived(values).categories) >= 2
    for name, texts in fields.tables.items():
        assert all(texts), name


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = ("properties", "$defs", "$ref", "anyOf", "items", "type", "title", "categories", "enum",
         "resources", "schema", "fields", "name", "path", "primaryKey", "foreignKeys")  # fmt: skip


def _damaged(document: object, data: st.DataObject) -> object:
    """The document with some of its values replaced by arbitrary JSON."""
    if isinstance(document, dict):
        return {
            k: data.draw(_JSON) if k in _KEYS and data.draw(st.integers(0, 9)) == 0
            else _damaged(v, data)
            for k, v in document.items()
        }  # fmt: skip
    if isinstance(document, list):
        return [_damaged(v, data) for v in document]
    return document


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_reading_broken_schemas_never_raises(data):
    """A broken schema or descriptor yields fewer fields, never an exception: the validator
    builds the catalogue before it has checked them."""
    schemas = {f.name: _damaged(json.loads(f.read_text(encoding="utf-8")), data) for f in SCHEMAS}
    descriptor = _damaged(DESCRIPTOR, data)
    if data.draw(st.booleans()):
        descriptor = data.draw(_JSON)
    fields = catalogue.build(descriptor, schemas)
    for field in fields.fields.values():
        assert isinstance(field.title, str) and all(
            isinstance(c.label, str) for c in field.categories
        )
