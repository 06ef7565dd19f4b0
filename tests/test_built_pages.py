"""Every built page of a small site with a history, as a reader gets it: its title, its table
of contents and its main content, compared with golden files. The golden files were written by
the build that took every generated page through Python-Markdown; the pages generated from
data now reach the theme as HTML, and these files show that no page changed."""

from __future__ import annotations

import re

import markdown
import pytest
from conftest import GOLDEN, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import nest_toc_tokens
from mkdocs.structure.pages import Page
from test_changes import repo  # noqa: F401  (the fixture: a data folder with four commits)

from generator.build import Paths, build_site
from generator.site.direct import MARK, with_headings
from generator.site.fmt import md

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
    changed = [name for name, text in pages.items() if text != golden[name]]
    assert not changed, f"pages changed: {changed}"


def test_record_pages_reach_the_theme_without_markdown(repo, tmp_path, monkeypatch):  # noqa: F811
    """The pages written as HTML are never converted; every other page still is."""
    converted: list[str] = []
    render = Page.render

    def counting(self, config, files):
        converted.append(self.file.src_uri)
        return render(self, config, files)

    monkeypatch.setattr(Page, "render", counting)
    build = tmp_path / "b"
    build_site(
        Paths(repo / "data", ROOT / "content", ROOT / "mkdocs.yml", tmp_path / "site", build)
    )
    docs = {
        f.relative_to(build / "docs").as_posix(): f.read_text(encoding="utf-8")
        for f in (build / "docs").rglob("*.md")
    }
    # After the front matter, if a page has one.
    body = {p: t.split("\n---\n", 1)[1] if t.startswith("---\n") else t for p, t in docs.items()}
    direct = {path for path, text in body.items() if text.startswith(MARK)}
    assert {
        "partnerskap/test-iop.md",
        "beslut/test-beslut.md",
        "handlingar/test-skrivelse.md",
    } <= direct
    assert {"organisationer/testforeningen.md", "skrivelser/test-fraga.md"} <= direct
    assert {"vagar/partnerskap.md", "urval/form/iop.md"} <= direct
    assert sorted(converted) == sorted(set(docs) - direct)


_TEXT = st.text(alphabet="abcåäöÅ Z-_.,:()&<>\"'#*!?1", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), _TEXT), min_size=1, max_size=6))
def test_headings_get_the_ids_and_contents_markdown_gives_them(headings):
    """For any headings (repeated ones included), the ids and the table of contents are the
    ones Python-Markdown's toc extension makes from the same headings written in Markdown."""
    written = "\n\n".join(f"{'#' * level} {md(text)}" for level, text in headings)
    converter = markdown.Markdown(extensions=["toc"])
    expected = converter.convert(written)
    html, tokens = with_headings("\n".join(f"<h{n}>{md(t)}</h{n}>" for n, t in headings))
    assert html == expected
    assert nest_toc_tokens(tokens) == converter.toc_tokens
