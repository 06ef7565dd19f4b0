"""The real dataset in data/ is valid, by our rules and by standard tools on their own."""

from __future__ import annotations

import json

import jsonschema
from conftest import DATA
from frictionless import Package

from generator.checks.validate import validate
from generator.model.publisher import publisher
from generator.model.records import Publisher
from generator.source.load import load


def test_real_data_is_valid():
    assert [p.format() for p in validate(DATA, "data")] == []


def test_frictionless_alone_accepts_the_descriptor():
    report = Package(str(DATA / "datapackage.yaml")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_json_schemas_alone_accept_the_records():
    loaded = load(DATA)
    for collection, schema_file in (("partnerships", "partnership"), ("questions", "question")):
        schema = json.loads((DATA / "schemas" / f"{schema_file}.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        for record in loaded.records[collection].values():
            jsonschema.validate(record.data, schema)


def test_descriptor_metadata():
    descriptor = load(DATA).descriptor
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"
    # The seeds give no functional contact address: none is invented.
    assert publisher(descriptor) == Publisher(
        name="Stockholms stad, arbetsmarknadsnämnden",
        organisation="Stockholms stad",
        org_number="212000-0142",
        contact_name="Arbetsmarknadsförvaltningen",
        registry_name="Arbetsmarknadsförvaltningens registrator",
    )
    assert "homepage" not in descriptor
    major, minor, patch = descriptor["version"].split(".")
    assert all(part.isdigit() for part in (major, minor, patch))


def test_every_field_is_documented():
    loaded = load(DATA)
    for resource in loaded.descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (resource["name"], field["name"])
    for schema in loaded.schemas.values():
        for name, prop in schema["properties"].items():
            assert prop.get("description") or prop.get("$ref"), name


def test_the_real_dataset_holds_every_source_record():
    loaded = load(DATA)
    assert set(loaded.records["partnerships"]) == {
        "radda-barnen-iop-unga",
        "min-framtid",
        "jobbvagen",
        "svenska-med-baby",
        "inkludering-genom-foreningslivet",
    }
    assert len(loaded.records["questions"]) == 3
    iop = loaded.records["partnerships"]["radda-barnen-iop-unga"].data
    assert (iop["form"], iop["start_date"], iop["end_date"]) == ("iop", "2026-01-01", "2027-12-31")
    costs = loaded.tables["costs"].rows
    assert {(r["year"], r["amount_sek"]) for r in costs} == {
        ("2026", "1400000"),
        ("2027", "1400000"),
    }
    stockholm = next(r for r in loaded.tables["organisations"].rows if r["id"] == "stockholms-stad")
    assert (stockholm["org_number"], stockholm["org_id"]) == ("212000-0142", "SE-ON-2120000142")
