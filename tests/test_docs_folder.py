"""The docs folder MkDocs builds from: every generated file is written as it is made (none held
in memory until the end), only where its bytes change, and what is no longer made is removed.
The live preview regenerates it the same way."""

from __future__ import annotations

import multiprocessing
import re
import shutil
import time

import pytest
from conftest import ROOT, build_dataset, site_paths

from generator import build, serve
from generator.build import BuildError, Docs, generate, generate_into
from generator.site import render
from generator.site.preview import Preview


def _on_disk(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _written(paths, parallel: bool = True) -> list[str]:
    docs = Docs(paths)
    generate_into(docs, paths, parallel=parallel)()
    return docs.finish()


def _hand_written() -> dict[str, bytes]:
    return _on_disk(ROOT / "content")


@pytest.mark.parametrize("parallel", [True, False], ids=["two-processes", "one-process"])
def test_the_folder_holds_exactly_the_content_and_what_generate_makes(tmp_path, parallel):
    """With the downloads and every other page made in second processes (which write them
    themselves) or all in this one, the folder holds the bytes the in-memory generation
    gives, and content/ as it is."""
    paths = site_paths(tmp_path, build_dataset(tmp_path / "data"))
    _written(paths, parallel)
    made = {
        rel: c.encode("utf-8") if isinstance(c, str) else c
        for rel, c in generate(paths, parallel=False).items()
    }
    assert "data/insyn-i-samverkan.xlsx" in made and "partnerskap/test-projekt.md" in made
    assert _on_disk(paths.docs) == made | _hand_written()


def test_only_what_a_change_touches_is_written_and_what_is_gone_is_removed(tmp_path):
    paths = site_paths(tmp_path, build_dataset(tmp_path / "data"))
    _written(paths)
    stale = paths.docs / "partnerskap" / "borttaget.md"
    stale.write_text("# Borttaget\n", "utf-8")
    mtimes = {p: p.stat().st_mtime_ns for p in paths.docs.rglob("*") if p.is_file()}

    assert _written(paths) == ["partnerskap/borttaget.md"]
    assert not stale.exists()
    assert all(p.stat().st_mtime_ns == t for p, t in mtimes.items() if p != stale)

    record = paths.data / "partnerships" / "test-projekt.yaml"
    record.write_text(record.read_text("utf-8").replace("description: ", "description: Nytt. "))
    touched = _written(paths)
    assert "partnerskap/test-projekt.md" in touched
    assert "data/partnerships-full.json" in touched
    assert "skrivelser/test-fraga.md" not in touched
    assert not [rel for rel in touched if rel in _hand_written()]


# Two pages in a row: one is rendered by this process, the other by the second.
@pytest.mark.parametrize("page", ["test-iop", "test-projekt"])
def test_a_content_page_with_the_path_of_a_generated_page_is_refused(tmp_path, page):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "partnerskap").mkdir(exist_ok=True)
    (content / "partnerskap" / f"{page}.md").write_text("# Egen\n", "utf-8")
    paths = site_paths(tmp_path, build_dataset(tmp_path / "data"))
    paths = type(paths)(paths.data, content, paths.config, paths.site, paths.work)
    with pytest.raises(BuildError, match=rf"content/partnerskap/{page}\.md has the same path"):
        _written(paths)
    assert (paths.docs / "partnerskap" / f"{page}.md").read_text("utf-8") == "# Egen\n"
    # A download is made (and written) by the second process: refused all the same.
    (content / "partnerskap" / f"{page}.md").unlink()
    (content / "data").mkdir()
    (content / "data" / "costs.csv").write_text("egen\n", "utf-8")
    with pytest.raises(BuildError, match=r"content/data/costs\.csv has the same path"):
        _written(paths)


def _slow_downloads(*args):
    time.sleep(600)
    return {}


def _broken(monkeypatch, tmp_path, text: str, template: str) -> None:
    """The page templates, with ``text`` put before the first line of ``template``."""
    pages = tmp_path / "templates" / "pages"
    shutil.copytree(render.TEMPLATES / "pages", pages)
    (pages / template).write_text(text + (pages / template).read_text("utf-8"), "utf-8")
    monkeypatch.setattr(render, "TEMPLATES", tmp_path / "templates")


WRONG_FIELD = "{% if p.id == 'test-ID' %}{{ p.no_such_field }}{% endif %}\n"
NO_FIELD = ".*has no attribute 'no_such_field'"


# The one page that fails is rendered by this process or by the second; the syntax error fails
# every page that uses the partial, in both. The downloads would take ten minutes: they are
# stopped.
@pytest.mark.parametrize(
    ("text", "template", "why", "page"),
    [
        (WRONG_FIELD.replace("ID", "iop"), "partnership.html.j2", NO_FIELD, "test-iop"),
        (WRONG_FIELD.replace("ID", "projekt"), "partnership.html.j2", NO_FIELD, "test-projekt"),
        ("{% if %}\n", "_partials/trail.md.j2", "Expected an expression.*", "[a-z-]+"),
    ],
    ids=["this-process", "second-process", "syntax-in-a-partial"],
)
@pytest.mark.parametrize("parallel", [True, False], ids=["two-processes", "one-process"])
def test_a_failing_page_template_stops_the_build_saying_where_and_why(
    tmp_path, monkeypatch, text, template, why, page, parallel
):
    paths = site_paths(tmp_path, build_dataset(tmp_path / "data"))
    _broken(monkeypatch, tmp_path, text, template)
    monkeypatch.setattr(build, "downloads", _slow_downloads)
    with pytest.raises(BuildError) as failed:
        _written(paths, parallel)
    where = rf"a page template failed: {template}:1: {why} \(on the page [a-z/-]*{page}\.md\)"
    assert re.fullmatch(where, str(failed.value))
    assert multiprocessing.active_children() == []  # nothing goes on writing


def test_the_preview_regenerates_and_keeps_the_last_good_pages_on_bad_data(tmp_path, capsys):
    paths = site_paths(tmp_path, build_dataset(tmp_path / "data"))
    preview = Preview()
    assert serve._regenerate(paths, preview)
    assert "portal serve: updated" in capsys.readouterr().err
    before = _on_disk(paths.docs)

    assert serve._regenerate(paths, preview)
    assert capsys.readouterr().err == ""  # nothing changed, nothing written

    costs = paths.data / "costs.csv"
    costs.write_text(costs.read_text("utf-8").replace(",testkommun,", ",okand,"), "utf-8")
    assert not serve._regenerate(paths, preview)
    err = capsys.readouterr().err
    assert "costs.csv:" in err and "the preview shows the last good version" in err
    assert _on_disk(paths.docs) == before
