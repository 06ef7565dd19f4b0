"""Adding a field takes the schema, the model and the template, nothing else.

The test copies the package, adds one optional partnership field ("evaluation") to exactly
three of its files (the model's record and its reader, and the partnership page's template),
adds the field to a fixture's JSON Schema, gives one partnership a value for it in a second
commit, and builds pages and downloads with the copy. The new field must reach the page, every
download, the data dictionary, the history and the feed, in Swedish.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_dataset
from openpyxl import load_workbook
from test_changes import edit, git

TITLE = "Utvärdering"
DESCRIPTION = "Vad en utvärdering av partnerskapet har visat, enligt källorna."
VALUE = "Utvärderingen visar att fler unga fick arbete."
CODE_CHANGES = {
    "generator/model/records.py": (
        "    file: str  # path of the record inside the data folder\n",
        "    file: str  # path of the record inside the data folder\n    evaluation: str = ''\n",
    ),
    "generator/model/build.py": (
        '        note=data.get("note", ""),\n        file=path,\n    )\n\n\ndef _question',
        '        note=data.get("note", ""),\n        file=path,\n'
        '        evaluation=data.get("evaluation", ""),\n    )\n\n\ndef _question',
    ),
    "generator/site/templates/pages/partnership.html.j2": (
        "{% if p.follow_up %}",
        '{% if p.evaluation %}\n<p><strong>{{ views.title("partnership.evaluation") }}:</strong> '
        "{{ p.evaluation }}</p>\n{% endif %}\n{% if p.follow_up %}",
    ),
}
BUILD = """
import sys
from pathlib import Path
from generator.build import Paths, generate

data, out, root = (Path(a) for a in sys.argv[1:4])
paths = Paths(data, root / "content", root / "mkdocs.yml", out / "site", out / "build")
for rel, content in generate(paths, parallel=False).items():
    target = out / "docs" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
"""


def _copy_with_the_field(target: Path) -> Path:
    shutil.copytree(
        ROOT / "generator", target / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    for rel, (old, new) in CODE_CHANGES.items():
        edit(target / rel, old, new)
    return target


def _changed_files(copy: Path) -> set[str]:
    changed = set()
    for file in (copy / "generator").rglob("*"):
        if file.is_file():
            rel = file.relative_to(copy).as_posix()
            if file.read_bytes() != (ROOT / rel).read_bytes():
                changed.add(rel)
    return changed


def _dataset_with_the_field(repo: Path) -> Path:
    repo.mkdir()
    git(repo, "init", "-q")
    data = build_dataset(repo / "data")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "First version")
    schema_file = data / "schemas" / "partnership.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["evaluation"] = {
        "title": TITLE,
        "description": DESCRIPTION,
        "descriptionEn": "What an evaluation of the partnership showed, as the sources state it.",
        "type": "string",
    }
    schema_file.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    descriptor = data / "datapackage.yaml"
    version = re.search(r"\nversion: (\d+)\.(\d+)\.\d+", descriptor.read_text("utf-8"))
    major, minor = version.groups()
    edit(descriptor, version.group(0), f"\nversion: {major}.{int(minor) + 1}.0")  # a new field
    edit(
        data / "partnerships" / "test-iop.yaml",
        "description:",
        f"evaluation: {VALUE}\ndescription:",
    )
    git(repo, "commit", "-q", "-am", "New field: evaluation")
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("new-field")
    copy = _copy_with_the_field(tmp / "copy")
    assert _changed_files(copy) == set(CODE_CHANGES)
    data = _dataset_with_the_field(tmp / "repo")
    out = tmp / "out"
    result = _build(copy, data, out)
    assert result.returncode == 0, result.stderr
    return out / "docs"


def _build(package: Path, data: Path, out: Path) -> subprocess.CompletedProcess:
    """Pages and downloads made by the package in the folder ``package``."""
    return subprocess.run(
        [sys.executable, "-c", BUILD, str(data), str(out), str(ROOT)],
        cwd=package,
        env={**os.environ, "PYTHONPATH": str(package)},
        capture_output=True,
        text=True,
    )


def test_a_field_the_model_does_not_know_stops_the_build(tmp_path):
    """With the schema changed but not the model, the value would be lost: the build says so."""
    data = _dataset_with_the_field(tmp_path / "repo")
    result = _build(ROOT, data, tmp_path / "out")
    assert result.returncode == 1
    assert "the schemas have fields the model does not know: partnership.evaluation" in (
        result.stderr
    )


def test_the_new_field_reaches_the_page(built):
    page = (built / "partnerskap" / "test-iop.md").read_text(encoding="utf-8")
    assert f"<strong>{TITLE}:</strong>" in page and "Utvärderingen visar" in page


def test_the_new_field_reaches_every_download(built):
    rows = list(csv.DictReader(io.StringIO((built / "data/partnerships.csv").read_text())))
    assert {r["id"]: r["evaluation"] for r in rows}["test-iop"] == VALUE
    records = json.loads((built / "data/partnerships.json").read_text(encoding="utf-8"))
    assert {r["id"]: r["evaluation"] for r in records}["test-iop"] == VALUE
    descriptor = json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "partnerships")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "evaluation")
    assert (field["title"], field["description"]) == (TITLE, DESCRIPTION)
    sheet = load_workbook(built / "data/insyn-i-samverkan.xlsx")["Partnerskap"]
    header = [c.value for c in sheet[1]]
    assert VALUE in [row[header.index(TITLE)].value for row in sheet.iter_rows(min_row=2)]
    explained = {
        (row[0].value, row[3].value): row[5].value
        for row in load_workbook(built / "data/insyn-i-samverkan.xlsx")["Kolumner"].iter_rows()
    }
    assert explained[("Partnerskap", "evaluation")] == DESCRIPTION
    db = sqlite3.connect(built / "data/insyn-i-samverkan.sqlite")
    assert db.execute("SELECT evaluation FROM partnerships WHERE id = 'test-iop'").fetchone() == (
        VALUE,
    )
    assert db.execute(
        "SELECT title, description FROM data_dictionary WHERE column_name = 'evaluation'"
    ).fetchall() == [(TITLE, DESCRIPTION)]


def test_the_new_field_reaches_the_dictionary(built):
    page = (built / "oppna-data" / "kolumner.md").read_text(encoding="utf-8")
    assert f'<th scope="row">{TITLE}</th><td><code>evaluation</code>' in page


def test_the_new_field_reaches_the_history_and_the_feed(built):
    sentence = f"{TITLE} lades till: ”Utvärderingen visar att fler unga fick arbete&#46;”&#46;"
    assert sentence in (built / "andringar.md").read_text(encoding="utf-8")
    assert sentence in (built / "partnerskap" / "test-iop.md").read_text(encoding="utf-8")
    feed = (built / "andringar.xml").read_text(encoding="utf-8")
    assert f"{TITLE} lades till: ”{VALUE}”." in feed


def test_everything_built_with_the_new_field_reads_in_swedish(built):
    from conftest import DATA
    from plainswedish import check_text, enum_codes, markdown_texts

    codes = enum_codes(DATA)
    for page in ("andringar.md", "partnerskap/test-iop.md"):
        texts = markdown_texts((built / page).read_text(encoding="utf-8"))
        assert [str(f) for t in texts for f in check_text(page, t, codes, False)] == []
