"""The change history: record-level diffs, read from a small git repository made by the test,
in a shallow clone, and without git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import build_dataset

from generator.checks.validate import validate
from generator.history.changes import atom_feed, diff_file, read_history


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with three commits to its data folder."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    data = build_dataset(root / "data")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Första versionen")
    edit(
        data / "partnerships" / "test-projekt.yaml",
        "description: Ett syntetiskt projekt",
        "description: Ett rättat syntetiskt projekt",
    )
    with (data / "costs.csv").open("a", encoding="utf-8") as file:
        file.write("test-iop,2027,testforeningen,5000,budget,Lokaler,test-beslut,\n")
    git(root, "commit", "-q", "-am", "Rättad beskrivning och ny kostnad")
    results = data / "results.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    results.write_text("".join(lines[:2]), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Ett resultat borttaget")
    return root


def test_yaml_record_diff_names_the_fields_that_changed():
    before = "id: a\ntitle: Gammal\nparties:\n  - x\n"
    after = "id: a\ntitle: Ny\nparties:\n  - x\n  - y\n"
    (change,) = diff_file("partnerships/a.yaml", before, after)
    assert (change.kind, change.key, change.action) == ("partnership", "a", "changed")
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("parties[1]", "", "y"),
        ("title", "Gammal", "Ny"),
    ]
    assert diff_file("partnerships/a.yaml", None, after)[0].action == "added"
    assert diff_file("partnerships/a.yaml", before, None)[0].action == "removed"


def test_csv_rows_are_matched_by_their_key():
    before = "id,name,note\na,Alfa,\nb,Beta,\n"
    after = "id,name,note\nb,Beta,ny\nc,Ceta,\n"
    changes = {(c.key, c.action): c for c in diff_file("organisations.csv", before, after)}
    assert set(changes) == {("a", "removed"), ("b", "changed"), ("c", "added")}
    assert [(f.field, f.before, f.after) for f in changes[("b", "changed")].fields] == [
        ("note", "", "ny")
    ]


def test_history_of_a_repository(repo):
    history = read_history(repo / "data")
    assert history.status == "full"
    assert [c.subject for c in history.commits] == [
        "Ett resultat borttaget",
        "Rättad beskrivning och ny kostnad",
        "Första versionen",
    ]
    newest, middle, first = history.commits
    assert [(c.kind, c.action) for c in newest.changes] == [("result", "removed")]
    assert newest.changes[0].partnership_id == "test-projekt"
    kinds = {(c.kind, c.key, c.action) for c in middle.changes}
    assert kinds == {
        ("cost", "test-iop / 2027 / testforeningen / budget / Lokaler", "added"),
        ("partnership", "test-projekt", "changed"),
    }
    edited = next(c for c in middle.changes if c.kind == "partnership")
    assert [(f.field, f.before, f.after) for f in edited.fields] == [
        (
            "description",
            "Ett syntetiskt projekt för tester.",
            "Ett rättat syntetiskt projekt för tester.",
        ),
    ]
    assert {c.action for c in first.changes} == {"added"}
    changed = history.last_changed()
    assert changed["results.csv"] == newest.date and changed["costs.csv"] == middle.date
    assert changed["partnerships/test-iop.yaml"] == first.date
    assert set(changed) == {f for c in history.commits for f in c.files}
    # the record itself and its two result rows were added in the first commit
    assert [(c.subject, ch.kind) for c, ch in history.for_partnership("test-projekt")] == [
        ("Ett resultat borttaget", "result"),
        ("Rättad beskrivning och ny kostnad", "partnership"),
        ("Första versionen", "partnership"),
        ("Första versionen", "result"),
        ("Första versionen", "result"),
    ]


def test_shallow_clone_says_its_history_is_incomplete(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    history = read_history(clone / "data")
    assert history.status == "shallow"
    assert [c.subject for c in history.commits] == ["Ett resultat borttaget"]


def test_no_git_means_no_history(tmp_path):
    data = build_dataset(tmp_path / "data")
    assert read_history(data).status == "none"


def test_atom_feed_lists_the_changes(repo):
    history = read_history(repo / "data")
    titles = {("partnership", "test-projekt"): ("Testprojektet", "partnerskap/test-projekt/")}
    feed = ET.fromstring(atom_feed(history, titles))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert entries[0].find("a:title", ns).text == "Resultat, borttagning: Testprojektet"
    assert entries[0].find("a:link", ns).get("href") == "partnerskap/test-projekt/"
    ids = [e.find("a:id", ns).text for e in entries]
    assert len(ids) == len(set(ids)) and all(i.startswith("tag:") for i in ids)
    assert shutil.which("git")


def test_schema_change_needs_a_new_version(repo):
    data = repo / "data"
    assert validate(data, "data") == []
    schema = data / "schemas" / "question.schema.json"
    edit(schema, '"title": "Political question (skrivelse)"', '"title": "Political question"')
    git(repo, "commit", "-q", "-am", "Schema changed, version not")
    problems = validate(data, "data")
    assert [(p.path, p.field, p.code) for p in problems] == [
        ("data/datapackage.yaml", "version", "version-not-bumped")
    ]
    descriptor = data / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    version = next(line for line in text.splitlines() if line.startswith("version:"))
    descriptor.write_text(text.replace(version, "version: 99.0.0"), encoding="utf-8")
    assert validate(data, "data") == []  # raised in the working tree: accepted
    git(repo, "commit", "-q", "-am", "Version raised")
    assert validate(data, "data") == []
