"""The preview's rebuild of only the files a save changed gives the site MkDocs' own rebuild
gives, byte for byte; where the files themselves change (one added), MkDocs rebuilds."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA, site_paths
from test_preview_pages import EDITS

from generator.build import Docs, generate_into
from generator.site import quick
from generator.site.reload import SIGNAL

SERVED = "http://127.0.0.1:8000/"


def _mkdocs(paths, site) -> None:
    """MkDocs' own rebuild of the docs folder into ``site``, as the preview runs it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(
        str(paths.config),
        docs_dir=str(paths.docs),
        site_dir=str(site),
        site_url=SERVED,
        strict=False,
    )
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, serve_url=SERVED, dirty=True)
    finally:
        config.plugins.on_shutdown()


def _generate(paths) -> list[str]:
    """Every page and download into the docs folder; the files written or removed."""
    docs = Docs(paths)
    generate_into(docs, paths, parallel=False)()
    return docs.finish()


def _on_disk(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(
    "name", ["a partnership's description", "an organisation's name", "a new partnership"]
)
def test_the_quick_rebuild_makes_the_site_mkdocs_makes(tmp_path, monkeypatch, name):
    monkeypatch.setenv(SIGNAL, str(tmp_path / "signal"))
    monkeypatch.setattr(quick, "LAST", quick.LastBuild())
    shutil.copytree(DATA, tmp_path / "data")
    paths = site_paths(tmp_path, tmp_path / "data")
    quick_site, mkdocs_site = tmp_path / "quick", tmp_path / "mkdocs"
    _generate(paths)
    _mkdocs(paths, quick_site)  # the preview's first, whole build
    assert quick.LAST.built is not None
    edit, page, _ = EDITS[name]
    edit(paths.data)
    changed = _generate(paths)
    shutil.copytree(quick_site, mkdocs_site)  # with the times of its files
    before = _on_disk(quick_site)

    wholes: list[bool] = []
    quick.LAST.changed(changed)
    # A whole rebuild notes whether the last build's pages were let go before it.
    quick.LAST.builder(lambda: wholes.append(quick.LAST.built is None))()
    _mkdocs(paths, mkdocs_site)

    if name == "a new partnership":
        assert wholes == [True]  # a file added: the whole rebuild
        return
    assert wholes == []
    after = _on_disk(quick_site)
    assert after == _on_disk(mkdocs_site)
    html = page.removesuffix(".md") + "/index.html"
    assert after[html] != before[html]  # the edit shows
    assert (tmp_path / "signal.built").is_file()  # the preview waits for this


def test_a_save_that_changed_no_file_rebuilds_nothing(tmp_path, monkeypatch):
    """A save of the same bytes asks for a rebuild of no file: nothing is rebuilt, and the
    preview, which waits for a finished build, is told at once."""
    monkeypatch.setenv(SIGNAL, str(tmp_path / "signal"))
    monkeypatch.setattr(quick, "LAST", quick.LastBuild())
    shutil.copytree(DATA, tmp_path / "data")
    paths = site_paths(tmp_path, tmp_path / "data")
    _generate(paths)
    _mkdocs(paths, tmp_path / "site")
    (tmp_path / "signal.built").unlink()
    before = _on_disk(tmp_path / "site")
    wholes: list[bool] = []
    quick.LAST.changed(_generate(paths))
    quick.LAST.builder(lambda: wholes.append(True))()
    assert wholes == []
    assert _on_disk(tmp_path / "site") == before
    assert (tmp_path / "signal.built").is_file()
