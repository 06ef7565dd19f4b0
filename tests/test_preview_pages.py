"""The live preview renders again only the pages whose inputs changed; every page it shows is
the one a full build makes from the same data, byte for byte, after any kind of edit."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import DATA, ROOT, site_paths

from generator.build import Docs, generate, generate_into
from generator.model.tracked import tracking
from generator.site.citations import Citations
from generator.site.preview import Preview
from generator.source.cache import Cache


def _replace(rel: str, old: str, new: str):
    def edit(data):
        path = data / rel
        text = path.read_text("utf-8")
        assert old in text, f"{rel} no longer holds {old!r}: choose another edit"
        path.write_text(text.replace(old, new, 1), "utf-8")

    return edit


def _copy_partnership(data):
    text = (data / "partnerships" / "jobbvagen.yaml").read_text("utf-8")
    text = text.replace("id: jobbvagen\n", "id: jobbvagen-kopia\n", 1)
    text = text.replace("title: Jobbvägen\n", "title: Jobbvägen, en kopia\n", 1)
    text = text.replace("successor: min-framtid\n", "", 1)
    (data / "partnerships" / "jobbvagen-kopia.yaml").write_text(text, "utf-8")


def _edit(rel: str, old: str, new: str, page: str, most: int | None = None):
    """Replace ``old`` by ``new`` in ``rel``; the change must show on ``page``."""
    return _replace(rel, old, new), page, most


# (edit, the page the edit must show on, the most pages it may render again)
EDITS = {
    "a partnership's description": _edit(
        "partnerships/jobbvagen.yaml",
        "\ndescription: >-\n  ",
        "\ndescription: >-\n  Ny. ",
        "partnerskap/jobbvagen.md",
        5,
    ),
    "a partnership's title": _edit(
        "partnerships/jobbvagen.yaml",
        "title: Jobbvägen\n",
        "title: Jobbvägen i Sthlm\n",
        "partnerskap/index.md",
    ),
    "an organisation's name": _edit(
        "organisations.csv",
        "radda-barnen,Rädda Barnen,",
        "radda-barnen,Rädda Barn,",
        "organisationer/radda-barnen.md",
    ),
    "the section a partnership cites (the document's page lists it)": _edit(
        "partnerships/jobbvagen.yaml",
        "    section: samarbete-med-radda-barnen\n",
        "    section: sammanfattning\n",
        "handlingar/tu-2025-11-11-iop-radda-barnen.md",
    ),
    "an amount": _edit(
        "costs.csv",
        ",2026,stockholms-stad,1400000,",
        ",2026,stockholms-stad,1500000,",
        "partnerskap/radda-barnen-iop-unga.md",
    ),
    "a decision's title": _edit(
        "decisions.csv",
        ",Svar på skrivelse om stadens",
        ",Svar på en skrivelse om stadens",
        "beslut/index.md",
    ),
    "a decision's date (the years of a partnership citing it)": _edit(
        "decisions.csv",
        "civilsamhallet,2024-09-03,",
        "civilsamhallet,2023-09-03,",
        "partnerskap/min-framtid.md",
    ),
    "a field's title (the downloads' reasons for unknown values)": _edit(
        "schemas/partnership.schema.json",
        '"title": "Start",',
        '"title": "Startdag",',
        "data/partnerships.csv",
    ),
    "a new partnership": (_copy_partnership, "partnerskap/jobbvagen-kopia.md", None),
    "the package's title (every page)": _edit(
        "datapackage.yaml", "\ntitle: Insyn", "\ntitle: Mer insyn", "oppna-data.md"
    ),
}


def _on_disk(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _preview(paths, preview: Preview) -> None:
    docs = Docs(paths)
    with tracking():
        generate_into(docs, paths, parallel=False, preview=preview)()
    docs.finish()


def _first_preview(tmp_path):
    """A copy of the real data, and its first preview (every page rendered)."""
    shutil.copytree(DATA, tmp_path / "data")
    paths = site_paths(tmp_path, tmp_path / "data")
    preview = Preview()
    _preview(paths, preview)
    return paths, preview


@pytest.mark.parametrize("name", EDITS)
def test_after_an_edit_the_preview_shows_what_a_full_build_makes(tmp_path, name):
    edit, page, most = EDITS[name]
    paths, preview = _first_preview(tmp_path)
    before = _on_disk(paths.docs)
    every = len(preview.rendered)

    edit(paths.data)
    _preview(paths, preview)

    shown = _on_disk(paths.docs)
    full = {
        rel: c.encode("utf-8") if isinstance(c, str) else c
        for rel, c in generate(paths, parallel=False).items()
    }
    hand_written = _on_disk(ROOT / "content")
    assert shown == full | hand_written
    assert shown[page] != before.get(page)  # the edit shows
    if most is not None:
        assert len(preview.rendered) <= most < every


def test_nothing_is_rendered_again_when_nothing_changed(tmp_path):
    paths, preview = _first_preview(tmp_path)
    assert len(preview.rendered) > 50
    _preview(paths, preview)
    assert preview.rendered == []


def test_after_a_preview_that_stopped_every_page_is_rendered_again(tmp_path, monkeypatch):
    """A preview that stops half-way has written some pages of its own; the next one must not
    take the folder for the last good preview's."""
    from generator.build import BuildError

    paths, preview = _first_preview(tmp_path)
    record = paths.data / "partnerships" / "jobbvagen.yaml"
    text = record.read_text("utf-8")
    page = paths.docs / "partnerskap" / "jobbvagen.md"
    good = page.read_bytes()
    EDITS["a partnership's description"][0](paths.data)

    def stops(self, rel, changed):
        if rel.startswith("organisationer/") and rel != "organisationer/index.md":
            # an organisation's page: after the partnerships' pages
            raise BuildError("stopped for the test")
        written(self, rel, changed)

    written = Docs.written

    with monkeypatch.context() as patch:
        patch.setattr(Docs, "written", stops)
        with pytest.raises(BuildError, match="stopped for the test"):
            _preview(paths, preview)
    assert page.read_bytes() != good  # the stopped preview wrote the edited page

    record.write_text(text, "utf-8")  # back to the data of the last good preview
    _preview(paths, preview)
    full = {
        rel: c.encode("utf-8") if isinstance(c, str) else c
        for rel, c in generate(paths, parallel=False).items()
    }
    assert _on_disk(paths.docs) == full | _on_disk(ROOT / "content")


def test_a_save_keeps_the_check_cache_in_memory(tmp_path, monkeypatch):
    """The first preview reads the check cache's file and writes it; a save reads and writes
    no file, takes the findings of unchanged files from the last save's cache, and parses
    again only the tables that changed."""
    from generator import build
    from generator.source import load

    shutil.copytree(DATA, tmp_path / "data")
    paths = site_paths(tmp_path, tmp_path / "data")
    opened, parsed = [], []
    monkeypatch.setattr(
        build, "Cache", lambda path, *rest: opened.append(path.name) or Cache(path, *rest)
    )
    parse = load.parse_csv
    monkeypatch.setattr(
        load, "parse_csv", lambda text, name, *rest: parsed.append(name) or parse(text, name, *rest)
    )
    preview = Preview()
    _preview(paths, preview)
    assert opened.count("checks.marshal") == 1
    assert sorted(parsed) == ["costs", "decisions", "organisations", "results"]
    written = (paths.work / "cache" / "checks.marshal").stat().st_mtime_ns
    EDITS["a partnership's description"][0](paths.data)
    _preview(paths, preview)
    EDITS["an amount"][0](paths.data)
    _preview(paths, preview)
    assert opened.count("checks.marshal") == 1
    assert (paths.work / "cache" / "checks.marshal").stat().st_mtime_ns == written
    assert sorted(parsed) == ["costs", "costs", "decisions", "organisations", "results"]


def test_a_save_makes_again_only_the_records_of_the_files_that_changed(tmp_path):
    """A record whose file has not changed is the same object as in the last save (so the
    comparison passes it by); the edited one, and one whose sources' years changed, are new."""
    paths, preview = _first_preview(tmp_path)

    def records() -> dict:
        dataset = preview.last.roots["dataset"]
        return {
            (name, key): record
            for name in ("partnerships", "questions", "documents", "organisations", "decisions")
            for key, record in dict.items(getattr(dataset, name))
        } | {("costs", n): record for n, record in enumerate(dataset.costs)}

    def csv_tables() -> dict:  # the downloads' tables of the CSV files, as published
        found = dict.items(preview.last.roots["views"].tables)
        return {name: t for name, t in found if name in ("organisations", "decisions", "results")}

    first, tables = records(), csv_tables()
    EDITS["a partnership's description"][0](paths.data)
    _preview(paths, preview)
    second = records()
    assert second.keys() == first.keys()
    assert [k for k in first if second[k] is not first[k]] == [("partnerships", "jobbvagen")]
    assert len(tables) == 3 and all(csv_tables()[n] is t for n, t in tables.items())

    EDITS["a decision's date (the years of a partnership citing it)"][0](paths.data)
    _preview(paths, preview)
    third = records()
    new = {k for k in first if third[k] is not second[k]}
    assert ("partnerships", "min-framtid") in new
    assert {name for name, _ in new} == {"partnerships", "decisions"}
    assert third[("partnerships", "min-framtid")].source_years == (2023, 2025)


def test_a_save_makes_again_only_the_citations_of_the_records_it_changed(tmp_path):
    """Who cites each document is made again only for what the changed records cite: every
    other document keeps the same set (which the comparison passes by), and the whole is what
    it is when made from nothing."""
    paths, preview = _first_preview(tmp_path)
    first = dict(dict.items(preview.last.roots["views"]._citations))
    EDITS["the section a partnership cites (the document's page lists it)"][0](paths.data)
    _preview(paths, preview)
    second = dict(dict.items(preview.last.roots["views"]._citations))
    assert second == Citations().index(preview.last.roots["dataset"])
    assert {k for k in first.keys() | second.keys() if second.get(k) is not first.get(k)} == {
        "tu-2025-11-11-iop-radda-barnen"
    }
    cited = second["tu-2025-11-11-iop-radda-barnen"]
    assert ("partnership", "jobbvagen", "Jobbvägen", "sammanfattning") in cited
    assert ("partnership", "jobbvagen", "Jobbvägen", "samarbete-med-radda-barnen") not in cited


def _reads(monkeypatch) -> list[str]:
    """The files ``load`` reads from now on, by their paths in the data folder."""
    from generator.source import load

    read, seen = load.read_text, []
    monkeypatch.setattr(
        load,
        "read_text",
        lambda f, shown, *a: seen.append(shown.rsplit("/data/")[-1]) or read(f, shown, *a),
    )
    return seen


def test_a_save_reads_again_only_the_files_whose_status_changed(tmp_path, monkeypatch):
    """Where a file's status (times, size, inode) is the one the last save read it with, its
    text is taken from that save; an edit that keeps the size and puts back the modification
    time still changes the status, and shows."""
    from generator.source import load

    monkeypatch.setattr(load, "_SETTLED_NS", 0)  # the copies count as settled at once
    paths, preview = _first_preview(tmp_path)
    reads = _reads(monkeypatch)
    _preview(paths, preview)
    assert [r for r in reads if not r.endswith((".json", "datapackage.yaml"))] == []

    record = paths.data / "partnerships" / "jobbvagen.yaml"
    before = record.stat()
    text = record.read_text("utf-8")
    record.write_text(text.replace("title: Jobbvägen\n", "title: Jobbvägan\n", 1), "utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (record.stat().st_size, record.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    reads.clear()
    monkeypatch.setattr(load, "_SETTLED_NS", 10**18)  # the edited file is not kept again
    _preview(paths, preview)
    assert [r for r in reads if r.endswith((".csv", ".yaml")) and "datapackage" not in r] == [
        "partnerships/jobbvagen.yaml"
    ]
    assert "Jobbvägan" in (paths.docs / "partnerskap" / "jobbvagen.md").read_text("utf-8")
    kept = [k.rsplit("/data/")[-1] for k in preview.checks.kept.last if k.startswith("read")]
    assert "costs.csv" in kept and "partnerships/min-framtid.yaml" in kept
    assert "partnerships/jobbvagen.yaml" not in kept  # its old text is let go


def test_a_file_changed_just_before_a_save_read_it_is_read_again(tmp_path, monkeypatch):
    """A status cannot tell two changes within one tick of the file system's clock apart, so
    a file changed less than a few seconds before a save read it is read again at the next."""
    paths, preview = _first_preview(tmp_path)
    reads = _reads(monkeypatch)
    _preview(paths, preview)
    assert "partnerships/jobbvagen.yaml" in reads
    assert "costs.csv" in reads
