"""The check cache: a rebuild takes unchanged files' findings from it and gets exactly the
problems a run without it finds; a changed file, schema or cache file is checked afresh."""

from __future__ import annotations

import pytest
from conftest import CASES, build_dataset

from generator.checks.validate import check_loaded, validate
from generator.problems import sort_problems
from generator.source.cache import Cache
from generator.source.load import load


def _cached(root, path):
    cache = Cache(path)
    problems = sort_problems(check_loaded(load(root, cache=cache), parallel=True))
    cache.save()
    return problems, cache


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_cached_findings_equal_fresh_ones(case, tmp_path):
    root = build_dataset(tmp_path / "data", case)
    expected = validate(root)
    store = tmp_path / "cache"
    first, cache = _cached(root, store)
    assert cache.old == {}
    second, cache = _cached(root, store)
    assert set(cache.used) == set(cache.old)
    assert first == second == expected


def test_a_changed_table_is_checked_again(tmp_path):
    root = build_dataset(tmp_path / "data")
    store = tmp_path / "cache"
    assert _cached(root, store)[0] == []
    costs = root / "costs.csv"
    costs.write_text(costs.read_text("utf-8").replace(",testkommun,", ",okand,"), "utf-8")
    problems, _ = _cached(root, store)
    assert {p.code for p in problems} == {"foreign-key"}
    assert problems == validate(root)


def test_a_changed_file_is_checked_again(tmp_path):
    root = build_dataset(tmp_path / "data")
    store = tmp_path / "cache"
    assert _cached(root, store)[0] == []
    record = next((root / "partnerships").glob("*.yaml"))
    record.write_text(record.read_text("utf-8") + "titel: fel\n", "utf-8")
    problems, _ = _cached(root, store)
    assert [p.code for p in problems] == ["unknown-field"]
    assert problems == validate(root)


def test_a_changed_schema_or_a_broken_cache_starts_afresh(tmp_path):
    root = build_dataset(tmp_path / "data")
    store = tmp_path / "cache"
    _cached(root, store)
    schema = root / "schemas" / "partnership.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"minLength": 1', '"minLength": 10000'))
    problems, _ = _cached(root, store)
    assert problems == validate(root) and problems
    store.write_bytes(b"not a cache")
    assert _cached(root, store)[0] == problems


def _read_values(loaded) -> dict:
    """Everything a build read from the data folder."""
    return {
        "records": {
            c: {stem: (r.doc.data, r.doc.lines) for stem, r in records.items()}
            for c, records in loaded.records.items()
        },
        "tables": {name: (t.header, t.rows, t.lines, t.key) for name, t in loaded.tables.items()},
        "routes": (loaded.routes.doc.data, loaded.routes.doc.lines),
        "descriptor": loaded.descriptor,
        "schemas": loaded.schemas,
    }


def test_a_build_leaves_the_data_it_read_as_it_was(tmp_path, monkeypatch):
    """The preview keeps the check cache in memory from one save to the next, so the next save
    gets the same parsed values (not new ones read from the cache's file): no stage may change
    them. The pages and the downloads are made in this process, so a change by either shows."""
    import copy
    import shutil

    from conftest import DATA, site_paths

    from generator import build

    read = []

    def load_noted(*args, **kwargs):
        loaded = load(*args, **kwargs)
        read.append((loaded, copy.deepcopy(_read_values(loaded))))
        return loaded

    monkeypatch.setattr(build, "load", load_noted)
    shutil.copytree(DATA, tmp_path / "data")
    files = build.generate(site_paths(tmp_path, tmp_path / "data"), parallel=False)
    assert any(rel.endswith(".xlsx") for rel in files)  # the downloads were made here too
    ((loaded, before),) = read
    assert _read_values(loaded) == before


def test_only_a_preview_keeps_values_in_memory_for_its_next_save(tmp_path):
    """A build's cache keeps no parsed table or file text beside the entries it writes: it
    would only hold them, and the build's memory, until the build ends."""
    import shutil

    from conftest import DATA

    shutil.copytree(DATA, tmp_path / "data")
    build = Cache(tmp_path / "checks.marshal")
    load(tmp_path / "data", cache=build)
    assert build.kept is None
    preview = Cache(tmp_path / "checks.marshal", remembers=True)
    load(tmp_path / "data", cache=preview)
    assert len(preview.kept.now) == 4  # the four tables' parses (the copies have not settled)


def _replace(rel: str, old: str, new: str):
    def edit(root):
        text = (root / rel).read_text("utf-8")
        assert old in text
        (root / rel).write_text(text.replace(old, new), "utf-8")

    return edit


def _delete(rel: str, line: str = ""):
    """The file, or its line that starts with ``line``."""

    def edit(root):
        path = root / rel
        if not line:
            path.unlink()
            return
        lines = path.read_text("utf-8").splitlines(keepends=True)
        kept = [text for text in lines if not text.startswith(line)]
        assert len(kept) == len(lines) - 1
        path.write_text("".join(kept), "utf-8")

    return edit


def _copy(rel: str, to: str, old: str, new: str):
    def edit(root):
        (root / to).write_text((root / rel).read_text("utf-8").replace(old, new), "utf-8")

    return edit


_SECTION_NAMED = _replace(
    "costs.csv",
    "2027,testkommun,1000000,budget,Personal,test-beslut,,",
    "2027,testkommun,1000000,budget,Personal,test-skrivelse,skrivelsen,",
)

# Edits of one file that change what the rules find in other files: each changes a fact that the
# rules of another record or of the tables read (see ``FACTS`` in generator/checks/context.py).
# Each is the edits made before the cache is, and those made after.
FACT_EDITS = {
    "a period shortened": (
        (),
        (_replace("partnerships/test-iop.yaml", "2027-12-31", "2026-12-31"),),
    ),
    "a citation removed": (
        (),
        (
            _replace(
                "partnerships/test-iop.yaml",
                "decision_id: test-beslut",
                "decision_id: test-skrivelse",
            ),
        ),
    ),
    "an answer moved": ((), (_replace("decisions.csv", ",test-iop,test-fraga,", ",test-iop,,"),)),
    # A skrivelse and a cost name the section; then the document's section is renamed.
    "a section renamed": (
        (_SECTION_NAMED,),
        (_SECTION_NAMED, _replace("documents/test-skrivelse.yaml", "id: skrivelsen", "id: x")),
    ),
    "a decision's text added": (
        (),
        (
            _copy(
                "documents/test-skrivelse.yaml",
                "documents/test-beslut.yaml",
                "id: test-skrivelse",
                "id: test-beslut",
            ),
        ),
    ),
    "a partnership removed": ((), (_delete("partnerships/test-projekt.yaml"),)),
    # The broken file's id is known, but it has no period and cites nothing, before and after.
    "a broken partnership removed": (
        (_replace("partnerships/test-projekt.yaml", "form: esf_project", "form: [esf_project]"),),
        (_delete("partnerships/test-projekt.yaml"),),
    ),
    "a decision removed": ((), (_delete("decisions.csv", "test-skrivelse,"),)),
    # The costs' foreign key to the organisations breaks, with no change to the costs.
    "an organisation removed": ((), (_delete("organisations.csv", "testkommun,"),)),
}


def _edited(*edits):
    def make(root):
        build_dataset(root)
        for edit in edits:
            edit(root)

    return make


def _changed(tmp_path, before, after) -> list:
    """The problems found in the data ``after`` makes, with a cache made from the data
    ``before`` makes in the same folder (each makes a data folder where it is given)."""
    import shutil

    root, store = tmp_path / "data", tmp_path / "cache"
    before(root)
    _cached(root, store)
    shutil.rmtree(root)
    after(root)
    problems = _cached(root, store)[0]
    assert problems == validate(root)
    return problems


@pytest.mark.parametrize("edit", FACT_EDITS)
def test_findings_kept_for_other_files_follow_an_edit(edit, tmp_path):
    """What the rules found in a record or a table is kept by its text and by the facts they
    read from other files: an edit of one file changes the findings in another, with the
    cache as without it, and back."""
    before, after = (_edited(*edits) for edits in FACT_EDITS[edit])
    assert _changed(tmp_path / "to", before, after)  # each edit breaks a rule
    _changed(tmp_path / "back", after, before)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_findings_kept_from_the_valid_data_equal_fresh_ones(case, tmp_path):
    """A cache made from the valid data, then a case (and back): the findings equal a run
    without a cache. Back from a table that could not be read, the key columns kept for the
    other tables were too few for its foreign keys, and the build stopped with a traceback."""

    def laid(root):
        build_dataset(root, case)

    _changed(tmp_path / "to", build_dataset, laid)
    assert _changed(tmp_path / "back", laid, build_dataset) == []
