"""The change history: record-level diffs read from a small git repository made by the test,
told in Swedish on the pages and in the feed; a shallow clone and a folder without git."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import DATA, ROOT, build_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import catalogue
from generator.checks.validate import validate
from generator.history import diff
from generator.history import read as read_module
from generator.history.diff import diff_file
from generator.history.read import read_history
from generator.model.build import build
from generator.site.changes import entries
from generator.site.feed import atom_feed
from generator.site.fmt import month_text
from generator.source.cache import Cache
from generator.source.git import blobs
from generator.source.load import load

ATOM = {"a": "http://www.w3.org/2005/Atom"}


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
    """A git repository with four commits to its data folder and one outside it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    data = build_dataset(root / "data")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "First version")
    edit(
        data / "partnerships" / "test-projekt.yaml",
        "description: Ett syntetiskt projekt",
        "description: Ett rättat syntetiskt projekt",
    )
    with (data / "costs.csv").open("a", encoding="utf-8") as file:
        file.write("test-iop,2027,testforeningen,5000,budget,Lokaler,test-beslut,,\n")
    git(root, "commit", "-q", "-am", "Fix description and add a cost")
    results = data / "results.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    results.write_text("".join(lines[:2]), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Remove a result")
    iop = data / "partnerships" / "test-iop.yaml"
    text = iop.read_text(encoding="utf-8").replace(
        "    long_term:\n      finding: met", "    long_term:\n      finding: not_stated"
    )
    iop.write_text(text.replace("status: active", "status: {unknown: Källan anger inte.}"))
    message = "Criteria as the source states them\n\nNotis: Rättat efter källan."
    git(root, "commit", "-q", "-am", message)
    (data / "README.md").write_text("# Om filerna\n", encoding="utf-8")
    (root / "README.md").write_text("# Projektet\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Docs only")
    return root


def _site_data(repo: Path):
    data = repo / "data"
    return build(load(data)), read_history(data, catalogue.read(data))


def test_yaml_record_diff_names_the_fields_that_changed():
    fields = catalogue.read(DATA)
    before = "id: a\ntitle: Gammal\nparties:\n  - x\n"
    after = "id: a\ntitle: Ny\nparties:\n  - x\n  - y\n"
    (change,) = diff_file("partnerships/a.yaml", before, after, fields)
    assert (change.kind, change.key, change.action) == ("partnership", "a", "changed")
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("parties[1]", "", "y"),
        ("title", "Gammal", "Ny"),
    ]
    assert diff_file("partnerships/a.yaml", None, after, fields)[0].action == "added"
    assert diff_file("partnerships/a.yaml", before, None, fields)[0].action == "removed"
    assert diff_file("README.md", "a", "b", fields) == []


def test_renamed_and_unreadable_versions():
    fields = catalogue.read(DATA)
    # A version that cannot be read, or a table whose old rows cannot be keyed: no claims.
    assert diff_file("partnerships/a.yaml", "id: [", "id: a\n", fields) == []
    assert diff_file("costs.csv", "a,b\n1,2\n", "partnership_id,year\nx,1\n", fields) == []


def test_a_renamed_record_is_one_removed_and_one_added(repo):
    data = repo / "data"
    git(repo, "mv", "data/questions/test-fraga.yaml", "data/questions/test-fraga-2.yaml")
    git(repo, "commit", "-q", "-m", "Rename")
    history = read_history(data, catalogue.read(data))
    assert {(c.key, c.action) for c in history.commits[0].changes} == {
        ("test-fraga", "removed"),
        ("test-fraga-2", "added"),
    }


def test_csv_rows_are_matched_by_their_key():
    fields = catalogue.read(DATA)
    before = "id,name,note\na,Alfa,\nb,Beta,\n"
    after = "id,name,note\nb,Beta,ny\nc,Ceta,\n"
    changes = {(c.key, c.action): c for c in diff_file("organisations.csv", before, after, fields)}
    assert set(changes) == {("a", "removed"), ("b", "changed"), ("c", "added")}
    assert [(f.field, f.before, f.after) for f in changes[("b", "changed")].fields] == [
        ("note", "", "ny")
    ]


# Mostly plain cells, some quoted (a comma or a quote), a few over two lines (a line break).
_PLAIN, _QUOTED = st.text(alphabet="ab å", max_size=4), st.text(alphabet='ab,"', max_size=4)
_BROKEN = st.text(alphabet="a\n", min_size=1, max_size=3)
_CELL = st.integers(0, 39).flatmap(lambda n: _PLAIN if n < 30 else _QUOTED if n < 39 else _BROKEN)
_TABLE = st.dictionaries(
    st.text(alphabet="xyz12", min_size=1, max_size=3), st.tuples(_CELL, _CELL), max_size=8
)


def _csv(rows: dict, order: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "note"])
    writer.writerows([key, *rows[key]] for key in order)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(_TABLE, _TABLE, st.randoms(use_true_random=False))
def test_a_table_is_diffed_by_its_touched_rows_as_by_all_rows(old, new, rng):
    """A commit's change to a table is read from the lines that differ; for any two versions
    (cells with commas, quotes and line breaks, rows added, removed, changed or reordered)
    the changes are those that comparing every row gives."""
    fields = catalogue.read(DATA)
    new = {**old, **new} if rng.random() < 0.7 else new  # mostly an edit of the old version
    order = list(new)
    rng.shuffle(order)
    before, after = _csv(old, list(old)), _csv(new, order)
    every_row = diff._compare(
        "organisation",
        diff._keyed_rows(before, ("id",)),
        diff._keyed_rows(after, ("id",)),
        lambda row: row.get("partnership_id", ""),
        ("id",),
    )
    assert diff_file("organisations.csv", before, after, fields) == every_row


# A version of a table as an editor may leave it: line feeds or CRLF, with or without a last
# line break, and now and then a header of other columns.
_VERSION = st.tuples(_TABLE, st.booleans(), st.booleans(), st.integers(0, 9))


def _written(version, rng) -> str:
    rows, crlf, last_break, header = version
    order = list(rows)
    rng.shuffle(order)
    text = _csv(rows, order)
    if header == 0:
        text = text.replace("id,name,note", "id,name,note,extra", 1)
    if crlf:
        text = text.replace("\n", "\r\n")
    return text if last_break else text.rstrip("\r\n")


@settings(max_examples=40, deadline=None)
@given(st.lists(_VERSION, min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_a_tables_history_from_gits_patches_is_that_of_its_versions(versions, rng):
    """The history reads a commit's change to a table from git's patch where the lines can
    tell it, and the versions otherwise; for any run of versions (each an edit of the last
    or not: rows moved, quoted cells, line breaks in cells, CRLF, a new header, no last line
    break) each commit's changes are those of comparing its two versions."""
    fields = catalogue.read(DATA)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        git(root, "init", "-q")
        (root / "data").mkdir()
        texts = []
        for i, version in enumerate(versions):
            if texts and rng.random() < 0.6:  # mostly a correction of the last version
                rows = {**versions[i - 1][0], **version[0]}
                version = (rows, *versions[i - 1][1:]) if rng.random() < 0.7 else version
            texts.append(_written(version, rng))
            (root / "data" / "organisations.csv").write_bytes(texts[-1].encode())
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", f"v{i}")
        history = read_history(root / "data", fields)
    expected = {
        f"v{i}": diff_file("organisations.csv", before, after, fields)
        for i, (before, after) in enumerate(zip([None, *texts], texts, strict=False))
    }
    # A commit that left the table as it was is no commit of the data's history.
    assert {c.subject: list(c.changes) for c in history.commits} == {
        subject: changes
        for i, (subject, changes) in enumerate(expected.items())
        if i == 0 or texts[i] != texts[i - 1]
    }


def test_corrected_rows_are_read_from_the_patch_alone(tmp_path, monkeypatch):
    """A commit that corrects rows of a table is read from git's patch: no version of the
    table is read whole after the first."""
    from generator.source.git import Objects

    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    git(root, "init", "-q")
    table = root / "data" / "organisations.csv"
    table.write_text("id,name,note\n" + "".join(f"r{i},Rad {i},\n" for i in range(500)))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    edit(table, "r7,Rad 7,\n", 'r7,Rad 7,"rättad, två gånger"\n')
    git(root, "commit", "-q", "-am", "second")
    edit(table, "r9,Rad 9,\n", "")
    git(root, "commit", "-q", "-am", "third")
    asked: list[str] = []
    ask = Objects.text
    monkeypatch.setattr(Objects, "text", lambda self, name: asked.append(name) or ask(self, name))
    third, second, first = read_history(root / "data", catalogue.read(DATA)).commits
    assert len(asked) == 1 and len(first.changes) == 500
    assert [(c.key, c.action, c.fields) for c in second.changes] == [
        ("r7", "changed", (diff.FieldChange("note", "", "rättad, två gånger"),))
    ]
    assert [(c.key, c.action) for c in third.changes] == [("r9", "removed")]


def test_the_users_git_settings_change_no_history(repo, monkeypatch):
    """Git's patches are read whatever the checkout's settings say of how diffs look: the
    same history, with no more table versions read whole (only the first commit's)."""
    from generator.source.git import Objects

    asked: list[str] = []
    ask = Objects.text
    monkeypatch.setattr(Objects, "text", lambda self, name: asked.append(name) or ask(self, name))
    fields = catalogue.read(repo / "data")
    plain = read_history(repo / "data", fields)
    assert len(asked) == len([f for f in (repo / "data").glob("*.csv")])
    for name, value in [
        ("color.ui", "always"),
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("diff.external", "false"),
        ("diff.interHunkContext", "5"),
        ("diff.algorithm", "histogram"),
        ("diff.context", "7"),
        ("diff.shout.textconv", "tr a-z A-Z <"),
    ]:
        git(repo, "config", name, value)
    (repo / ".git" / "info" / "attributes").write_text("*.csv diff=shout\n", encoding="utf-8")
    asked.clear()
    assert read_history(repo / "data", fields) == plain
    assert len(asked) == len([f for f in (repo / "data").glob("*.csv")])
    assert sum(len(c.changes) for c in plain.commits[:4]) == 4  # the tables' changes too


def test_a_few_corrected_rows_are_read_without_the_rest():
    before = "id,name,note\n" + "".join(f"r{i},Rad {i},\n" for i in range(1000))
    after = before.replace("r7,Rad 7,\n", "r7,Rad 7,rättad\n")
    old, new = diff._touched_rows(before, after, ("id",))
    assert old == {"r7": {"id": "r7", "name": "Rad 7", "note": ""}}
    assert new == {"r7": {"id": "r7", "name": "Rad 7", "note": "rättad"}}
    quoted = 'id,name,note\nr1,"Rad\n1",\n'
    assert diff._touched_rows(quoted, quoted + "r2,Rad 2,\n", ("id",)) is None


def test_history_of_a_repository(repo):
    history = read_history(repo / "data", catalogue.read(repo / "data"))
    assert history.status == "full"
    assert [c.subject for c in history.commits] == [
        "Docs only",
        "Criteria as the source states them",
        "Remove a result",
        "Fix description and add a cost",
        "First version",
    ]
    docs, criteria, removed, middle, first = history.commits
    assert docs.changes == () and history.data_commits()[0] == criteria
    assert criteria.note == "Rättat efter källan."
    assert criteria.time.tzinfo is not None
    assert [(c.kind, c.action) for c in removed.changes] == [("result", "removed")]
    assert removed.changes[0].partnership_id == "test-projekt"
    kinds = {(c.kind, c.key, c.action) for c in middle.changes}
    assert kinds == {
        ("cost", "test-iop / 2027 / testforeningen / budget / Lokaler", "added"),
        ("partnership", "test-projekt", "changed"),
    }
    assert {c.action for c in first.changes} == {"added"}
    changed = history.last_changed()
    assert changed["results.csv"] == removed.date and changed["costs.csv"] == middle.date
    assert [
        (c.subject, ch.kind) for c, ch in history.for_record("partnership", "test-projekt")
    ] == [
        ("Remove a result", "result"),
        ("Fix description and add a cost", "partnership"),
        ("First version", "partnership"),
        ("First version", "result"),
        ("First version", "result"),
    ]


def test_changes_read_as_swedish_sentences(repo):
    dataset, history = _site_data(repo)
    told: dict[str, tuple] = {}  # the newest change of each record
    for commit in history.data_commits():
        for e in entries(commit, dataset):
            told.setdefault(e.subject, e.sentences)
    assert told["Partnerskap – Testpartnerskapet (syntetiskt)"] == (
        "Bedömning (Långsiktighet, Forums kriterier) ändrades från Uppfyllt till Inte prövat "
        "i källan.",
        "Status ändrades från Pågår till uppgift saknas (Källan anger inte.).",
    )
    assert told["Partnerskap – Testprojektet (syntetiskt)"] == (
        "Beskrivning ändrades från ”Ett syntetiskt projekt för tester.” till ”Ett rättat "
        "syntetiskt projekt för tester.”.",
    )
    cost = "Kostnad för Testpartnerskapet (syntetiskt) (2027, Testföreningen (syntetisk), Budget"
    assert told[cost + ", ”Lokaler”)"] == ("Lades till.",)
    result = "Resultat för Testprojektet (syntetiskt) (1 januari 2025, 30 juni 2025"
    assert told[result + ", ”Deltagare som fick arbete”)"] == ("Togs bort.",)


def test_changes_page_by_month_with_the_public_note_and_no_commit_message(repo):
    from generator.site.render import render_pages

    dataset, history = _site_data(repo)
    page = render_pages(dataset, history=history)["andringar.md"]
    assert f"\n## {month_text(history.commits[0].date)}\n" in page
    assert "Rättat efter källan" in page
    for subject in ("Criteria as the source", "Docs only", "First version", "README"):
        assert subject not in page
    assert "Inte prövat i källan" in page


def test_shallow_clone_says_its_history_is_incomplete(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    history = read_history(clone / "data", catalogue.read(clone / "data"))
    assert history.status == "shallow"
    assert [c.subject for c in history.commits] == ["Docs only"]
    # What the one commit there changed cannot be seen without its parent: it says nothing,
    # rather than report every record as new on that day.
    assert history.data_commits() == [] and history.last_changed() == {}
    deeper = tmp_path / "deeper"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "4", f"file://{repo}", str(deeper)],
        check=True,
        capture_output=True,
    )
    history = read_history(deeper / "data", catalogue.read(deeper / "data"))
    actions = [(c.kind, c.action) for commit in history.data_commits() for c in commit.changes]
    assert ("result", "removed") in actions and ("partnership", "changed") in actions
    assert all(action != "added" for _, action in actions)  # the oldest commit says nothing


def test_no_git_means_no_history(tmp_path):
    data = build_dataset(tmp_path / "data")
    assert read_history(data, catalogue.read(data)).status == "none"


def test_atom_feed_has_one_swedish_entry_per_record_change(repo):
    dataset, history = _site_data(repo)
    changes = [e for c in history.data_commits() for e in entries(c, dataset)]
    base = "https://example.org/insyn/"
    feed = ET.fromstring(atom_feed(history.data_commits(), dataset, base))
    links = {link.get("rel"): link.get("href") for link in feed.findall("a:link", ATOM)}
    assert links == {"self": base + "andringar.xml", "alternate": base + "andringar/"}
    items = feed.findall("a:entry", ATOM)
    assert len(items) == len(changes)
    first = items[0]
    title = first.find("a:title", ATOM).text
    assert title == "Ändrat: Partnerskap – Testpartnerskapet (syntetiskt)"
    assert "Inte prövat i källan" in first.find("a:summary", ATOM).text
    assert "Notis från redaktionen: Rättat efter källan." in first.find("a:summary", ATOM).text
    assert first.find("a:link", ATOM).get("href") == base + "partnerskap/test-iop/"
    updated = dt.datetime.fromisoformat(first.find("a:updated", ATOM).text)
    assert updated == history.data_commits()[0].time
    ids = [e.find("a:id", ATOM).text for e in items]
    assert len(ids) == len(set(ids)) and all(i.startswith("tag:") and " " not in i for i in ids)
    hrefs = [e.find("a:link", ATOM).get("href") for e in items]
    assert all(h.startswith(base) for h in hrefs)


@pytest.mark.parametrize("kept", [False, True], ids=["fresh", "with the check cache"])
def test_schema_change_needs_a_new_version(repo, kept, tmp_path):
    """Also where the answer is kept in the check cache from the run before each step."""
    from generator.checks.validate import check_loaded
    from generator.problems import sort_problems
    from generator.source.cache import Cache
    from generator.source.load import load

    data = repo / "data"

    def checked(root, shown):
        if not kept:
            return validate(root, shown)
        cache = Cache(tmp_path / "checks.marshal")
        problems = sort_problems(check_loaded(load(root, shown, cache=cache)))
        cache.save()
        return problems

    assert checked(data, "data") == []
    schema = data / "schemas" / "question.schema.json"
    edit(schema, '"title": "Politisk fråga (skrivelse)"', '"title": "Politisk fråga"')
    git(repo, "commit", "-q", "-am", "Schema changed, version not")
    problems = checked(data, "data")
    assert [(p.path, p.field, p.code) for p in problems] == [
        ("data/datapackage.yaml", "version", "version-not-bumped")
    ]
    descriptor = data / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    version = next(line for line in text.splitlines() if line.startswith("version:"))
    descriptor.write_text(text.replace(version, "version: 99.0.0"), encoding="utf-8")
    assert checked(data, "data") == []  # raised in the working tree: accepted
    git(repo, "commit", "-q", "-am", "Version raised")
    assert checked(data, "data") == []
    edit(schema, '"title": "Politisk fråga"', '"title": "Politisk fråga (ny)"')
    assert [p.code for p in checked(data, "data")] == ["version-not-bumped"]  # since 99.0.0


def test_the_history_is_read_by_a_few_git_processes(repo, monkeypatch):
    """However many commits and files, the history costs four git processes besides a few
    rev-parse: the log; the tables' patches (diff-tree) and one cat-file for the versions of
    tables read whole; one cat-file for every version of every other touched file."""
    commands: list[list[str]] = []
    start = subprocess.Popen  # every process, however it is run

    def counted(command, *args, **kwargs):
        commands.append(command)
        return start(command, *args, **kwargs)

    fields = catalogue.read(repo / "data")
    monkeypatch.setattr(subprocess, "Popen", counted)
    history = read_history(repo / "data", fields)
    verbs = [c[c.index("-C") + 2 :] for c in commands if c[0] == "git"]
    heavy = [v for v in verbs if "rev-parse" not in v[:1]]
    names = sorted(_verb(v) for v in heavy)
    assert names == ["cat-file", "cat-file", "diff-tree", "log"]
    assert len(history.data_commits()) == 4


def _verb(args: list[str]) -> str:
    """The git command among its options ("-c name=value", "--literal-pathspecs", …)."""
    given = iter(args)
    for arg in given:
        if arg == "-c":
            next(given)
        elif not arg.startswith("-"):
            return arg
    return ""


def test_blobs_reads_many_versions_in_one_process(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q")
    (root / "dir").mkdir()
    (root / "dir" / "a.yaml").write_bytes("id: a\ntitle: Å\n".encode() + b"\xff\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    (root / "dir" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "two")
    names = ["HEAD:dir/a.yaml", "HEAD^:dir/a.yaml", "HEAD:dir/missing.yaml", "HEAD^^:dir/a.yaml"]
    names.append("HEAD:dir")  # a folder, not a file
    assert list(blobs(root, names)) == ["id: a\n", "id: a\ntitle: Å\n\ufffd\n", None, None, None]
    assert list(blobs(root, [])) == []
    assert list(blobs(tmp_path / "nowhere", ["HEAD:a"])) == [None]
    # Many large versions: git answers while the names are still being sent, one at a time.
    many = ["HEAD:dir/a.yaml" if i % 2 else "HEAD^:dir/a.yaml" for i in range(20_000)]
    assert sum(1 for text in blobs(root, many) if text) == 20_000


def test_a_section_is_told_by_its_heading(tmp_path):
    """A source's section is an id; the history names it by the heading the document's text
    gives it, and shows an id that names no section as it is."""
    from generator.history.diff import FieldChange, RecordChange
    from generator.history.read import Commit
    from generator.site.changes import entry

    dataset = build(load(build_dataset(tmp_path / "data")))
    change = RecordChange(
        "partnership", "test-projekt", "changed",
        (FieldChange("sources[0].section", "skrivelsen", "bakgrund"),
         FieldChange("sources[1].section", "", "inget-sadant-avsnitt")),
        "test-projekt",
    )  # fmt: skip
    commit = Commit("x", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "", "", (change,), ())
    assert entry(commit, change, dataset).sentences == (
        "Avsnitt (Källor, nr 1) ändrades från ”Skrivelsen” till ”Bakgrund”.",
        "Avsnitt (Källor, nr 2) lades till: ”inget-sadant-avsnitt”.",
    )


def test_a_rebuild_reads_only_the_new_commits(repo, tmp_path, monkeypatch):
    """What each commit changed is kept between builds: a second read of the same history
    reads no file versions at all, one after a new commit reads only that commit's files, and
    both give the history a first read gives."""
    fields = catalogue.read(repo / "data")
    path = tmp_path / "cache" / "history.marshal"
    first = Cache(path)
    fresh = read_history(repo / "data", fields, first)
    first.save()
    asked: list[list[str]] = []
    read_versions = read_module.blobs

    def counted(folder, names):
        if names:
            asked.append(names)
        return read_versions(folder, names)

    monkeypatch.setattr(read_module, "blobs", counted)
    again = Cache(path)
    assert read_history(repo / "data", fields, again) == fresh
    assert asked == []
    again.save()
    edit(repo / "data" / "partnerships" / "test-iop.yaml", "title: ", "title: Nytt namn – ")
    git(repo, "commit", "-q", "-am", "Retitle")
    later = read_history(repo / "data", fields, Cache(path))
    monkeypatch.setattr(read_module, "blobs", read_versions)
    assert later == read_history(repo / "data", fields)
    assert [c.key for c in later.commits[0].changes] == ["test-iop"]
    # The file's versions before and after the new commit, asked for by their object ids.
    versions = ["HEAD^:data/partnerships/test-iop.yaml", "HEAD:data/partnerships/test-iop.yaml"]
    ids = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", *versions], capture_output=True, text=True
    ).stdout.split()
    assert asked == [ids]


def test_the_data_is_dated_by_its_last_change_not_by_a_later_commit(repo, tmp_path, monkeypatch):
    """'Senast ändrade' on the downloads page is the day the data's values last changed: a
    later commit to the code or the pages does not move it."""
    from generator.build import Paths, generate

    def commit_on(day: str, message: str) -> None:
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"{day}T12:00:00+01:00")
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+01:00")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)

    edit(repo / "data" / "partnerships" / "test-iop.yaml", "title: ", "title: Nytt namn – ")
    commit_on("2026-02-03", "Retitle")
    (repo / "README.md").write_text("# Projektet, med mer text\n", encoding="utf-8")
    commit_on("2026-05-06", "Docs only")
    paths = Paths(
        repo / "data", ROOT / "content", ROOT / "mkdocs.yml", tmp_path / "s", tmp_path / "b"
    )
    page = generate(paths, parallel=False)["oppna-data.md"]
    assert "**Senast ändrade:** 3 februari 2026." in page
