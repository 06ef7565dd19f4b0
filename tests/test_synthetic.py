"""The benchmark's synthetic data: valid, in the stated proportions, clearly marked, and the
same for the same seed."""

from __future__ import annotations

import csv
import gzip
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml
from benchmark.__main__ import _build, _check_history, _check_rebuilt, _touch_one
from benchmark.measure import _counting_server, linked_project
from benchmark.synthetic import MARK, _git, commit_history, make_dataset
from conftest import DATA

from generator.catalogue import read
from generator.checks.validate import validate
from generator.history.read import read_history


def _rows(folder: Path, name: str) -> list[dict]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_synthetic_data_is_valid_and_proportioned(tmp_path):
    data = make_dataset(tmp_path / "data", 35, seed=7, real=DATA)
    assert validate(data) == []
    added = 35 - len(list(DATA.glob("partnerships/*.yaml")))
    assert len(list(data.glob("partnerships/*.yaml"))) == 35
    for name, per_partnership in (("decisions", 3), ("costs", 8), ("results", 8)):
        assert len(_rows(data, name)) - len(_rows(DATA, name)) == per_partnership * added
    assert len(_rows(data, "organisations")) - len(_rows(DATA, "organisations")) == added // 3
    forms = {
        p.read_text(encoding="utf-8").split("\nform: ")[1].split()[0]
        for p in data.glob("partnerships/syntetiskt-*.yaml")
    }
    assert {"iop", "esf_project", "grant"} <= forms


def test_synthetic_data_is_marked_and_repeatable(tmp_path):
    first = make_dataset(tmp_path / "a", 12, seed=3, real=DATA)
    second = make_dataset(tmp_path / "b", 12, seed=3, real=DATA)
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    assert "SYNTETISKA" in (first / "datapackage.yaml").read_text(encoding="utf-8")
    new = [r for r in _rows(first, "organisations") if r["id"].startswith("syntetisk")]
    assert new and all(r["name"].startswith(MARK) for r in new)
    for path in first.glob("partnerships/syntetiskt-*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["title"].startswith(MARK)


def test_synthetic_history_is_packed_like_a_clone_and_read_as_corrections(tmp_path):
    """The benchmark's history: a first commit and the corrections, packed as a clone is, so
    the history stage reads it as a build of a clone would."""
    data = make_dataset(tmp_path / "data", 20, seed=5, real=DATA)
    commit_history(tmp_path, commits=3, share=0.1, seed=5)
    objects = subprocess.run(
        ["git", "-C", str(tmp_path), "count-objects", "-v"], capture_output=True, text=True
    ).stdout
    assert objects.startswith("count: 0\n") and "\npacks: 1\n" in objects
    history = read_history(data, read(data))
    assert len(history.commits) == 4
    for commit in history.commits[:3]:  # newest first: the corrections
        touched = {(c.kind, c.action) for c in commit.changes}
        assert touched == {("partnership", "changed"), ("result", "changed")}
    assert {c.action for c in history.commits[3].changes} == {"added"}


def test_the_benchmark_refuses_figures_of_work_not_done(tmp_path):
    """The benchmark checks its own measurements: a build that read no history from git, or a
    rebuild whose page or feed of changes does not show the change, stops it. The change is
    committed, as CI builds it."""
    project = linked_project(tmp_path / "project")
    make_dataset(project / "data", 12, seed=3, real=DATA)
    _build(project)
    with pytest.raises(SystemExit, match="read no history"):
        _check_history(project / "site")
    commit_history(project, commits=1, share=0.2, seed=3)
    _build(project)
    _check_history(project / "site")
    partnership, sentence = _touch_one(project, 0)
    assert _git(project, "log", "--format=%s").splitlines()[0] == "Synthetic change 0"
    assert _git(project, "status", "--porcelain", "data") == ""
    with pytest.raises(SystemExit, match="did not show the change"):
        _check_rebuilt(project / "site", partnership, sentence)  # committed, not yet built
    page = project / "site" / "partnerskap" / partnership / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + sentence, encoding="utf-8")
    with pytest.raises(SystemExit, match="feed of changes does not tell the change"):
        _check_rebuilt(project / "site", partnership, sentence)  # the page alone
    _build(project)
    _check_rebuilt(project / "site", partnership, sentence)


def test_the_benchmark_counts_a_page_opened_with_a_query_as_text(tmp_path):
    """The search opened as its address ("/sok/?q=…") is a page like any other: static hosting
    sends it gzipped, so the benchmark counts it so, and Pagefind's own files as they are."""
    page = "<!doctype html><p>" + "Sök i partnerskapen. " * 200 + "</p>"
    (tmp_path / "sok").mkdir()
    (tmp_path / "sok" / "index.html").write_text(page, "utf-8")
    (tmp_path / "wasm.sv.pagefind").write_bytes(gzip.compress(b"\0asm" * 300))
    sent: list[tuple[int, int]] = []
    with _counting_server(tmp_path, sent) as base:
        for address in ("sok/?q=processledarna", "sok/", "wasm.sv.pagefind"):
            urllib.request.urlopen(base + address).read()
    packed = len(gzip.compress(page.encode("utf-8"), 6))
    wasm = (tmp_path / "wasm.sv.pagefind").stat().st_size
    assert [size for _, size in sent] == [packed, packed, wasm]
