"""File hygiene that is accepted (BOM, CRLF) or refused (size), generated rather than stored."""

from __future__ import annotations

from generator.checks.validate import validate
from generator.source import load as load_module


def test_bom_and_crlf_are_accepted(dataset):
    root = dataset()
    for file in [*root.glob("*.csv"), *root.glob("*/*.yaml")]:
        text = file.read_text(encoding="utf-8")
        file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert validate(root, "data") == []


def test_crlf_keeps_physical_line_numbers(dataset):
    root = dataset()
    costs = root / "costs.csv"
    text = costs.read_text(encoding="utf-8").replace(",testkommun,", ",okand,", 2)
    costs.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    found = [(p.path, p.line, p.field, p.code) for p in validate(root, "data")]
    assert found == [
        ("data/costs.csv", 2, "funder_id", "foreign-key"),
        ("data/costs.csv", 3, "funder_id", "foreign-key"),
    ]


def test_multiline_cell_keeps_physical_line_numbers(dataset):
    root = dataset()
    costs = root / "costs.csv"
    text = costs.read_text(encoding="utf-8")
    text = text.replace(
        "Personal,test-beslut,,Syntetisk testdata.\ntest-iop,2027,testkommun",
        'Personal,test-beslut,,"Två\nrader"\ntest-iop,2027,okand',
        1,
    )
    costs.write_text(text, encoding="utf-8")
    found = [(p.path, p.line, p.field, p.code) for p in validate(root, "data")]
    assert found == [("data/costs.csv", 4, "funder_id", "foreign-key")]


def test_file_too_large(dataset, monkeypatch):
    root = dataset()
    csv_size = (root / "costs.csv").stat().st_size
    yaml_limit = (root / "datapackage.yaml").stat().st_size
    with (root / "partnerships" / "test-iop.yaml").open("a", encoding="utf-8") as file:
        file.write("# " + "x" * yaml_limit + "\n")
    monkeypatch.setattr(load_module, "MAX_YAML_BYTES", yaml_limit)
    problems = validate(root, "data", max_csv_bytes=csv_size - 1)
    found = {(p.path, p.line, p.field, p.code) for p in problems}
    assert ("data/costs.csv", 0, "", "file-too-large") in found
    assert ("data/partnerships/test-iop.yaml", 0, "", "file-too-large") in found
    message = next(p.message for p in problems if p.path == "data/costs.csv")
    assert f"at most {csv_size - 1:,} are accepted" in message


def _edit_descriptor(root, old: str, new: str) -> None:
    file = root / "datapackage.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_descriptor_without_a_table_schema(dataset):
    root = dataset()
    _edit_descriptor(root, "    schema:\n      missingValues", "    schemaa:\n      missingValues")
    found = [(p.path, p.field, p.code) for p in validate(root, "data")]
    assert found == [("data/datapackage.yaml", "resources[0].schema", "missing-field")]


def test_descriptor_with_an_unknown_field_type(dataset):
    root = dataset()
    _edit_descriptor(
        root,
        "type: string\n          constraints: {required: true, enum: [exact",
        "type: strin\n          constraints: {required: true, enum: [exact",
    )
    problems = validate(root, "data")
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("data/datapackage.yaml", 0, "descriptor-invalid")
    ]
    assert 'field type "strin" is not supported' in problems[0].message


def test_descriptor_must_keep_the_fixed_field_names(dataset):
    root = dataset()
    _edit_descriptor(root, "- name: amount_sek", "- name: amount")
    (root / "costs.csv").write_text(
        (root / "costs.csv").read_text(encoding="utf-8").replace("amount_sek", "amount"),
        encoding="utf-8",
    )
    problems = validate(root, "data")
    assert [(p.path, p.field, p.code) for p in problems] == [
        ("data/datapackage.yaml", "costs.amount_sek", "descriptor-invalid")
    ]


def test_descriptor_must_keep_the_rules_constraints(dataset):
    root = dataset()
    _edit_descriptor(
        root, "constraints: {required: true, minimum: 0}", "constraints: {required: true}"
    )
    problems = validate(root, "data")
    assert [(p.path, p.field, p.code) for p in problems] == [
        ("data/datapackage.yaml", "costs.amount_sek", "descriptor-invalid")
    ]


def test_json_schema_that_is_not_a_schema(dataset):
    root = dataset()
    (root / "schemas" / "question.schema.json").write_text('{"type": "strin"}')
    problems = validate(root, "data")
    assert [(p.path, p.code) for p in problems] == [
        ("data/schemas/question.schema.json", "descriptor-invalid")
    ]


def test_old_mac_line_ends_are_accepted(dataset):
    root = dataset()
    for file in root.glob("*.csv"):
        file.write_bytes(file.read_bytes().replace(b"\n", b"\r"))
    assert validate(root, "data") == []


def test_symbolic_links_are_reported_and_never_followed(dataset, tmp_path):
    """A link in data/ to a file or folder elsewhere is a problem, and nothing is read or
    published through it (its target could be anything on the machine)."""
    root = dataset()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    (root / "partnerships" / "secret.yaml").symlink_to(outside / "secret.yaml")
    (root / "questions" / "elsewhere").symlink_to(outside, target_is_directory=True)
    (root / "costs.csv").rename(tmp_path / "costs.csv")
    (root / "costs.csv").symlink_to(tmp_path / "costs.csv")
    found = sorted((p.path, p.code) for p in validate(root, "data"))
    assert found == [
        ("data/costs.csv", "symlink"),
        ("data/partnerships/secret.yaml", "symlink"),
        ("data/questions/elsewhere", "symlink"),
    ]
    loaded = load_module.load(root, "data")
    assert "secret" not in loaded.records["partnerships"] and "costs" not in loaded.tables
