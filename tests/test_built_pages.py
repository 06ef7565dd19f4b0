"""Every built page of a small site with a history, as a reader gets it: its title, its table
of contents and its main content, compared with golden files. The golden files were written by
the build that took every generated page through Python-Markdown; the pages generated from
data now reach the theme as HTML, and these files show that no page changed."""

from __future__ import annotations

import re

import pytest
from conftest import GOLDEN, ROOT
from test_changes import repo  # noqa: F401  (the fixture: a data folder with four commits)

from generator.build import Paths, build_site

BUILT = GOLDEN / "built"
# From the table of contents (the secondary sidebar) to the end of the main content.
_MAIN = re.compile(r'<nav class="md-nav md-nav--secondary".*?</article>', re.DOTALL)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


@pytest.fixture(autouse=True)
def fixed_dates(monkeypatch):
    """Every commit of the history on one fixed day, so the pages that tell it stay the same."""
    for variable in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(variable, "2026-03-02T12:00:00+01:00")


def _main(page: str) -> str:
    title, main = _TITLE.search(page), _MAIN.search(page)
    return f"{title.group(0) if title else ''}\n{main.group(0) if main else page}\n"


def _golden_name(path: str) -> str:
    return path.removesuffix("index.html").strip("/").replace("/", "__") or "start"


def test_every_page_keeps_its_title_contents_and_text(repo, tmp_path, request):  # noqa: F811
    site = tmp_path / "site"
    build_site(Paths(repo / "data", ROOT / "content", ROOT / "mkdocs.yml", site, tmp_path / "b"))
    pages = {
        _golden_name(f.relative_to(site).as_posix()): _main(f.read_text(encoding="utf-8"))
        for f in sorted(site.rglob("index.html"))
        if f.read_text(encoding="utf-8").find('http-equiv="refresh"') < 0
    }
    if request.config.getoption("--update-golden"):
        for old in BUILT.glob("*.html"):
            old.unlink()
        BUILT.mkdir(exist_ok=True)
        for name, text in pages.items():
            (BUILT / f"{name}.html").write_text(text, encoding="utf-8")
    golden = {f.stem: f.read_text(encoding="utf-8") for f in sorted(BUILT.glob("*.html"))}
    assert sorted(pages) == sorted(golden)
    for name, text in pages.items():
        assert text == golden[name], f"{name}: the page changed"
