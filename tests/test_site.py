"""The site build: golden pages, escaping of data, no third-party requests, a failed build
keeps the last good site, and the same commit builds the same bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import inspect
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from conftest import (
    DATA,
    GOLDEN,
    PAYLOADS,
    PUBLISHED_URL,
    ROOT,
    build_dataset,
    inject,
    refusing_pagefind,
    searched_pages_in_mkdocs_order,
    site_paths,
)
from hypothesis import given
from hypothesis import strategies as st

from generator.build import BuildError, Docs, Paths, build_site, generate_into
from generator.history.diff import FieldChange, RecordChange
from generator.history.read import Commit, History
from generator.model.build import build as build_model
from generator.site import feed
from generator.site.render import render_pages
from generator.source.git import commit_time
from generator.source.load import load

GOLDEN_PAGES = [
    "index.md",
    "partnerskap/index.md",
    "partnerskap/test-iop.md",
    "partnerskap/test-projekt.md",
    "urval/form/iop.md",
    "organisationer/testforeningen.md",
    "beslut/index.md",
    "beslut/test-beslut.md",
    "skrivelser/test-fraga.md",
    "vagar/index.md",
    "vagar/partnerskap.md",
    "handlingar/test-skrivelse.md",
    "beslut/test-skrivelse.md",
    "rapportera-fel.md",
]


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_pages(tmp_path, page, request):
    pages = render_pages(build_model(load(build_dataset(tmp_path / "data"))))
    golden = GOLDEN / page.replace("/", "__")
    if request.config.getoption("--update-golden"):
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8")


def _history() -> History:
    """A fixed history of two commits, so the pages that tell it can be golden files."""
    time = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    criterion = FieldChange("iop_assessment.criteria.long_term.finding", "met", "not_stated")
    party = FieldChange("partners[0].role", "partner", "co_financier")
    status = (
        FieldChange("status", "active", ""),
        FieldChange("status.unknown", "", "Källan anger inte statusen."),
    )
    row = {"partnership_id": "test-iop", "year": "2027", "funder_id": "testkommun"}
    row |= {"kind": "budget", "category": "Personal"}
    version = FieldChange("version", "2.0.0", "2.1.0")
    changes = (
        RecordChange("package", "", "changed", (version,), ""),
        RecordChange("partnership", "test-iop", "changed", (criterion, party, *status), "test-iop"),
        RecordChange(
            "cost",
            "test-iop / 2027 / testkommun / budget / Personal",
            "added",
            (),
            "test-iop",
            row=tuple(row.items()),
        ),
    )
    second = Commit("1" * 40, time, "Criteria", "Rättat efter källan.", changes, ())
    first = Commit(
        "0" * 40,
        time - dt.timedelta(days=40),
        "First version",
        "",
        (RecordChange("partnership", "test-iop", "added", (), "test-iop", "Testpartnerskapet"),),
        (),
    )
    return History("full", (second, first))


@pytest.mark.parametrize(
    "page", ["andringar.md", "andringar/2026-01.md", "partnerskap/test-iop.md"]
)
def test_golden_pages_with_history(tmp_path, page, request):
    data = build_model(load(build_dataset(tmp_path / "data")))
    pages = render_pages(data, history=_history())
    golden = GOLDEN / ("history__" + page.replace("/", "__"))
    if request.config.getoption("--update-golden"):
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8")


def test_each_month_of_changes_has_its_own_page(tmp_path):
    """The changes page shows the newest month and lists every month; each change is on the
    page of its month, which links the months before and after it."""
    data = build_model(load(build_dataset(tmp_path / "data")))
    pages = render_pages(data, history=_history())
    assert sorted(p for p in pages if p.startswith("andringar/")) == [
        "andringar/2026-01.md",
        "andringar/2026-03.md",
    ]
    index, january, march = (
        pages[p] for p in ("andringar.md", "andringar/2026-01.md", "andringar/2026-03.md")
    )
    assert "2 mars 2026" in index and "21 januari 2026" not in index
    assert '<a href="2026-01/">Januari 2026</a> (1 ändring)' in index
    assert "21 januari 2026" in january and "2 mars 2026" not in january
    assert "2 mars 2026" in march and "21 januari 2026" not in march
    assert 'Nyare ändringar: <a href="../2026-03/">mars 2026</a>' in january
    assert 'Äldre ändringar: <a href="../2026-01/">januari 2026</a>' in march


def _changes_listed(page: str) -> list[str]:
    """The changes a page lists, in order, without their links (which differ by page depth)."""
    lists = re.findall(r'<ul class="portal-history">\n(.*?)</ul>', page, re.S)
    return [re.sub(r' href="[^"]*"', "", line) for block in lists for line in block.splitlines()]


def test_a_month_with_many_changes_takes_several_pages(tmp_path, monkeypatch):
    """No page grows with the data: a month's changes are shown CHANGES_PER_PAGE to a page,
    each change once and in order, a commit's note with its first change; every page links
    the pages before and after it, and the changes page shows the newest month's first page."""
    data = build_model(load(build_dataset(tmp_path / "data")))
    whole = render_pages(data, history=_history())["andringar/2026-03.md"]
    monkeypatch.setattr(feed, "CHANGES_PER_PAGE", 2)
    pages = render_pages(data, history=_history())
    assert sorted(p for p in pages if p.startswith("andringar/")) == [
        "andringar/2026-01.md",
        "andringar/2026-03.md",
        "andringar/2026-03/sida-2.md",
    ]
    index, first, second = (
        pages[p] for p in ("andringar.md", "andringar/2026-03.md", "andringar/2026-03/sida-2.md")
    )
    assert [len(_changes_listed(p)) for p in (first, second)] == [2, 1]
    assert _changes_listed(first) + _changes_listed(second) == _changes_listed(whole)
    assert "Rättat efter källan" in first and "Rättat efter källan" not in second
    assert "# Ändringar i mars 2026, sida 2\n" in second
    assert "med\nändring 3 av 3." in second and "med\nändring 1 till 2 av 3." in first
    assert '<a href="sida-2/">Nästa sida &#40;2&#41;</a>' in first
    assert '<a href="../">Föregående sida &#40;1&#41;</a>' in second
    assert (
        '<li><a href="../">Ändringar i mars 2026</a></li>\n<li aria-current="page">Sida 2' in second
    )
    assert _changes_listed(index) == _changes_listed(first)
    assert "Det här var de 2 senaste av 3 ändringar i mars 2026." in index
    assert '<a href="2026-03/sida-2/">nästa sida med ändringar i mars 2026</a>' in index
    assert "portal-pages" not in pages["andringar/2026-01.md"] and "portal-pages" not in whole


def test_the_feed_links_its_changes_to_the_first_page_of_their_month():
    """The feed links a change without a page of its own to its month's first page: its
    newest changes are all there while a page holds at least as many as the feed."""
    limit = inspect.signature(feed.atom_feed).parameters["limit"].default
    assert limit <= feed.CHANGES_PER_PAGE


def _site_files(site: Path) -> dict[str, str]:
    return {
        f.relative_to(site).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(site.rglob("*"))
        if f.is_file()
    }


def test_real_data_builds_every_page(real_site):
    for path in (
        "index.html",
        "partnerskap/index.html",
        "partnerskap/radda-barnen-iop-unga/index.html",
        "organisationer/radda-barnen/index.html",
        "beslut/tu-2025-11-11-iop-radda-barnen/index.html",
        "skrivelser/liberalerna-samarbete-med-civilsamhallet/index.html",
        "urval/form/iop/index.html",
        "tillganglighet/index.html",
        "personuppgifter/index.html",
        "sok/index.html",
        "pagefind/pagefind.js",
        "assets/search.js",
        "data/costs.csv",
    ):
        assert (real_site / path).is_file(), path


def test_same_commit_builds_identical_bytes(real_site, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SITE_URL", PUBLISHED_URL)
    build_site(site_paths(tmp_path, DATA))
    assert _site_files(tmp_path / "site") == _site_files(real_site)


def test_every_figure_links_to_its_source(real_site):
    page = (real_site / "partnerskap/radda-barnen-iop-unga/index.html").read_text("utf-8")
    costs = page.split("Kostnader per år och finansiär")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>.*?</tr>", costs.split("<tbody>")[1], re.S)
    target = 'href="../../handlingar/tu-2025-11-11-iop-radda-barnen/#arendet"'
    assert rows and all(target in r for r in rows)


class _Requests(HTMLParser):
    """Collects every URL a page would fetch, and the links outside the article body."""

    FETCH: ClassVar[set[tuple[str, str]]] = {
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("img", "srcset"),
        ("iframe", "src"),
        ("source", "src"),
        ("source", "srcset"),
        ("video", "src"),
        ("audio", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("video", "poster"),
        ("use", "href"),
        ("image", "href"),
        ("form", "action"),
    }

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.outside_links: list[str] = []
        self.depth = 0  # > 0 inside the article body

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article":
            self.depth += 1
        canonical = tag == "link" and attributes.get("rel") == "canonical"  # never fetched
        for name, value in attrs:
            if (tag, name) in self.FETCH and value and not canonical:
                self.fetched.append(value)
            if name == "style" and value:
                self.fetched += re.findall(r"url\(([^)]*)\)", value)
        if tag == "a" and self.depth == 0 and attributes.get("href"):
            self.outside_links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def _external(url: str) -> bool:
    return bool(re.match(r"^\s*([a-z][a-z0-9+.-]*:)?//", url, re.I)) or url.startswith("data:")


def test_no_request_to_another_host(real_site):
    for page in real_site.rglob("*.html"):
        parser = _Requests()
        parser.feed(page.read_text("utf-8"))
        assert not [u for u in parser.fetched if _external(u)], page
        assert not [u for u in parser.outside_links if _external(u)], page
    for css in real_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text("utf-8")):
            assert not _external(url) or url.startswith("data:"), (css, url)
        assert "@import url(http" not in css.read_text("utf-8")


def test_external_links_in_body_text_are_plain_links(real_site):
    page = (real_site / "tillganglighet/index.html").read_text("utf-8")
    assert '<a href="https://www.digg.se/tdosanmalan">' in page


class _Inert(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag} {name}={value}")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.bad.append("injected img")

    def handle_data(self, data):
        if self.in_script and "alert" in data:
            self.bad.append(f"script: {data[:60]}")
        self.text.append(data)

    def handle_endtag(self, tag):
        self.in_script = False


def test_text_from_data_is_inert(tmp_path):
    root = build_dataset(tmp_path / "data")
    inject(root)
    build_site(site_paths(tmp_path, root))
    pages = [
        "partnerskap/test-iop/index.html",
        "partnerskap/test-projekt/index.html",
        "skrivelser/test-fraga/index.html",
        "beslut/test-beslut/index.html",
        "organisationer/testforeningen/index.html",
        "partnerskap/index.html",
    ]
    for page in pages:
        parser = _Inert()
        parser.feed((tmp_path / "site" / page).read_text("utf-8"))
        assert parser.bad == [], page
        shown = " ".join(" ".join(parser.text).split())
        for payload in PAYLOADS:
            assert payload in shown, (page, payload)
        assert ">49<" not in (tmp_path / "site" / page).read_text("utf-8")


def test_failed_build_keeps_the_last_good_site(tmp_path):
    root = build_dataset(tmp_path / "data")
    paths = site_paths(tmp_path, root)
    build_site(paths)
    before = _site_files(paths.site)
    costs = root / "costs.csv"
    costs.write_text(costs.read_text("utf-8").replace(",testkommun,", ",okand,"), "utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(paths)
    assert {p.code for p in failure.value.problems} == {"foreign-key"}
    assert _site_files(paths.site) == before


def test_failed_mkdocs_build_keeps_the_last_good_site(tmp_path):
    root = build_dataset(tmp_path / "data")
    content = tmp_path / "content"
    content.mkdir()
    for file in (ROOT / "content").rglob("*"):
        if file.is_file():
            target = content / file.relative_to(ROOT / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    paths = Paths(root, content, ROOT / "mkdocs.yml", tmp_path / "site", tmp_path / "build")
    build_site(paths)
    before = _site_files(paths.site)
    (content / "om-uppgifterna.md").write_text("# Om\n\n[trasig länk](finns-inte.md)\n", "utf-8")
    with pytest.raises(BuildError, match="MkDocs"):
        build_site(paths)
    assert _site_files(paths.site) == before


# Stand-ins for Pagefind's program: one stops at once, one answers a page with an error.
_BROKEN_PAGEFIND = {
    "stops": "import sys\nprint('pagefind: out of memory')\nsys.exit(1)\n",
    "refuses a page": refusing_pagefind(""),
}


@pytest.mark.parametrize("failure", sorted(_BROKEN_PAGEFIND))
def test_failed_search_index_keeps_the_last_good_site(tmp_path, monkeypatch, failure):
    """If Pagefind fails, the build says so with Pagefind's own words, and the site stays the
    last good one."""
    import sys

    root = build_dataset(tmp_path / "data")
    paths = site_paths(tmp_path / "kept", root)
    build_site(paths)
    before = _site_files(paths.site)
    program = tmp_path / "pagefind"
    program.write_text(f"#!{sys.executable}\n{_BROKEN_PAGEFIND[failure]}", "utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    record = root / "partnerships" / "test-projekt.yaml"
    record.write_text(record.read_text("utf-8").replace("description: ", "description: Nytt. "))
    words = "pagefind: out of memory" if failure == "stops" else "page not parsed"
    with pytest.raises(BuildError, match=f"^Pagefind could not index the site: {words}"):
        build_site(paths)
    assert _site_files(paths.site) == before


def test_rebuild_after_one_change_equals_a_full_build(tmp_path):
    """The second build reuses the unchanged pages of the first (the same files, linked) and
    rebuilds the rest; the result is byte for byte what a build from scratch makes."""
    root = build_dataset(tmp_path / "data")
    paths = site_paths(tmp_path / "kept", root)
    build_site(paths)
    unchanged = paths.site / "skrivelser" / "test-fraga" / "index.html"
    changed = paths.site / "partnerskap" / "test-projekt" / "index.html"
    inodes = (unchanged.stat().st_ino, changed.stat().st_ino)
    record = root / "partnerships" / "test-projekt.yaml"
    record.write_text(record.read_text("utf-8").replace("description: ", "description: Nytt mål. "))
    build_site(paths)
    assert unchanged.stat().st_ino == inodes[0]
    assert changed.stat().st_ino != inodes[1]
    assert "Nytt mål" in changed.read_text("utf-8")
    fresh = site_paths(tmp_path / "fresh", root)
    build_site(fresh)
    assert _site_files(paths.site) == _site_files(fresh.site)


def test_the_downloads_in_the_site_are_links_to_the_docs_folder(tmp_path):
    """MkDocs would copy every download into the site; they are linked instead. A changed
    download is a new file in the docs folder, so the site built before keeps its bytes."""
    root = build_dataset(tmp_path / "data")
    paths = site_paths(tmp_path, root)
    build_site(paths)
    published = paths.site / "data" / "partnerships.csv"
    made = paths.work / "docs" / "data" / "partnerships.csv"
    assert published.samefile(made)
    before = published.read_bytes()
    record = root / "partnerships" / "test-projekt.yaml"
    record.write_text(record.read_text("utf-8").replace("description: ", "description: Nytt. "))
    generate_into(Docs(paths), paths, parallel=False)()  # the docs only, not published
    assert b"Nytt." in made.read_bytes()
    assert published.read_bytes() == before


def test_without_links_the_site_copies_the_downloads(tmp_path, monkeypatch):
    """Where the site's file system cannot link to the docs folder, MkDocs copies as before."""
    import os

    def no_links(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    root = build_dataset(tmp_path / "data")
    paths = site_paths(tmp_path, root)
    build_site(paths)
    published = paths.site / "data" / "partnerships.csv"
    made = paths.work / "docs" / "data" / "partnerships.csv"
    assert not published.samefile(made)
    assert published.read_bytes() == made.read_bytes()


@pytest.mark.parametrize("left_out", ["rawhtml", "spool", "linked"])
def test_a_hook_for_speed_or_memory_changes_no_byte(real_site, tmp_path, monkeypatch, left_out):
    """The hooks that let generated HTML blocks skip Python-Markdown's parser (rawhtml), keep
    each page's HTML on disk until the theme renders it (spool) and link the files MkDocs
    would copy (linked) write exactly the files MkDocs writes without them (built here from
    the same generated docs)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = real_site.parent / "build" / "docs"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(commit_time(DATA)))  # as the build sets it
    every = ("trail", "direct", "rawhtml", "tables", "csp", "reload", "linked", "spool")
    hooks = [str(ROOT / "generator" / "site" / f"{name}.py") for name in every if name != left_out]
    config = load_config(
        str(ROOT / "mkdocs.yml"),
        docs_dir=str(docs),
        site_dir=str(tmp_path / "plain"),
        site_url=PUBLISHED_URL,
        hooks=hooks,
    )
    assert list(config.hooks) == hooks
    build(config)
    plain = tmp_path / "plain"
    built = {
        p.relative_to(plain).as_posix(): p.read_bytes() for p in plain.rglob("*") if p.is_file()
    }
    assert len(built) > 50
    for name, content in built.items():
        if not name.startswith("pagefind/"):  # the build's own step after MkDocs
            assert (real_site / name).read_bytes() == content, name


def test_start_page_does_not_grow_with_the_number_of_partnerships(tmp_path):
    """At scale the start page summarises each year's amounts and links to that year's
    partnerships, instead of listing every amount."""
    from benchmark.synthetic import make_dataset

    from generator.build import generate

    sizes = []
    for n in (40, 160):
        data = make_dataset(tmp_path / f"data{n}", n, seed=1, real=DATA)
        start = generate(site_paths(tmp_path / f"site{n}", data))["index.md"]
        assert 'href="urval/ar/' in start
        sizes.append(len(start))
    assert sizes[1] < sizes[0] * 1.1, sizes


def test_organisation_filter_only_while_the_list_stays_short(tmp_path):
    """Past ORGANISATION_FILTER_MAX organisations the search page offers no Organisation
    filter (a list of that many checkboxes cannot be used); the other filters stay."""
    from benchmark.synthetic import make_dataset

    from generator.build import generate
    from generator.site.render import ORGANISATION_FILTER_MAX

    for n, offered in ((12, True), (3 * ORGANISATION_FILTER_MAX + 30, False)):
        data = make_dataset(tmp_path / f"data{n}", n, seed=2, real=DATA)
        page = generate(site_paths(tmp_path / f"site{n}", data))["partnerskap/min-framtid.md"]
        assert ('data-pagefind-filter="Organisation' in page) is offered, n
        assert 'data-pagefind-filter="Form' in page


def test_selections_have_swedish_addresses_and_the_old_ones_lead_there(real_site):
    """/urval/status/pagar/ is the selection; /urval/status/active/, published before, sends
    the visitor on, and every such page leads to a page that exists."""
    assert (real_site / "urval/status/pagar/index.html").is_file()
    assert (real_site / "urval/form/esf-projekt/index.html").is_file()
    moved = sorted(
        p
        for p in (real_site / "urval").rglob("index.html")
        if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")
    )
    names = {p.parent.relative_to(real_site).as_posix() for p in moved}
    assert {"urval/status/active", "urval/form/esf-project"} <= names
    assert "urval/form/iop" not in names
    for page in moved:
        text = page.read_text(encoding="utf-8")
        target = re.search(r'content="0; url=([^"]+)"', text).group(1)
        assert f'<link rel="canonical" href="{target}">' in text
        assert (page.parent / target / "index.html").resolve().is_file(), page
        assert 'lang="sv"' in text and "Sidan har flyttat" in text


def test_text_from_data_cannot_imitate_the_raw_html_placeholder(tmp_path):
    """The hook that lets HTML blocks skip the Markdown parser swaps placeholders back; a
    description written like a placeholder stays text and moves nothing."""
    root = build_dataset(tmp_path / "data")
    record = root / "partnerships" / "test-projekt.yaml"
    from generator.site.rawhtml import _TOKEN

    forged = _TOKEN.format(2)  # what the hook swaps for an HTML block below the text
    text = record.read_text("utf-8")
    record.write_text(
        text.replace("description: Ett syntetiskt projekt för tester.", f"description: {forged}")
    )
    build_site(site_paths(tmp_path, root))
    page = (tmp_path / "site" / "partnerskap" / "test-projekt" / "index.html").read_text("utf-8")
    about = page.split('id="om-partnerskapet"')[1].split("<h2")[0]
    assert forged in html.unescape(about) and "<table" not in about
    assert page.count("<table") == 3  # facts, parties and results, each where it belongs


def test_published_yaml_is_what_was_checked(real_site):
    """The YAML files on the site are written anew from the checked data: the same data, and
    none of the source's comments (which no check reads)."""
    for source in sorted(DATA.rglob("*.yaml")):
        rel = source.relative_to(DATA).as_posix()
        published = real_site / "data" / rel
        assert yaml.safe_load(published.read_text("utf-8")) == yaml.safe_load(
            source.read_text("utf-8")
        )
        assert not any(
            line.lstrip().startswith("#") for line in published.read_text("utf-8").splitlines()
        )


def test_every_portal_table_sits_in_its_own_scroll_box():
    from generator.site.tables import wrap_tables

    html = (
        '<p>x</p><table class="portal-table" data-pagefind-ignore><caption>A</caption>'
        "<tr><td>1</td></tr></table><table><tr><td>other</td></tr></table>"
        '<table class="portal-facts"><tr><th>B</th><td>2</td></tr></table>'
    )
    assert wrap_tables(html) == (
        '<p>x</p><div class="portal-table-wrap"><table class="portal-table" '
        'data-pagefind-ignore><caption id="portal-tabell-1">A</caption><tr><td>1</td></tr>'
        "</table></div><table><tr><td>other</td></tr></table>"
        '<div class="portal-table-wrap"><table class="portal-facts"><tr><th>B</th><td>2</td>'
        "</tr></table></div>"
    )


def test_the_built_pages_wrap_every_table(real_site):
    page = (real_site / "beslut" / "index.html").read_text(encoding="utf-8")
    assert page.count('<div class="portal-table-wrap"><table class="portal-table"') == 1
    assert '<caption id="portal-tabell-1">Alla beslut och handlingar</caption>' in page


def test_the_trail_follows_the_menu():
    from generator.site.trail import BETWEEN, SECTIONS, START, trail

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    menu = {path: name for entry in config["nav"] for name, path in entry.items()}
    for name, path in [START, *SECTIONS.values()]:
        assert menu[path] == name
    pages = render_pages(build_model(load(DATA)))
    for section, (name, _) in BETWEEN.items():
        assert f"\n# {name}\n" in pages[f"{section}/index.md"]
    assert trail("partnerskap/min-framtid.md") == (START, SECTIONS["partnerskap"])
    assert trail("handlingar/x.md") == (START, SECTIONS["beslut"], BETWEEN["handlingar"])
    assert trail("partnerskap/index.md") == trail("index.md") == trail("sok.md") == ()
    # Every page below a section shows its trail right above its heading.
    below = [p for p in pages if trail(p) and p.endswith(".md")]
    assert len(below) > 30
    for path in below:
        text = pages[path]
        heading = max(text.find("\n# "), text.find("<h1>"))  # a Markdown or an HTML page
        assert 0 <= text.find('<nav class="portal-trail"') < heading, path


def test_the_start_page_shows_key_figures_from_the_data(real_site):
    """Cards for the number of partnerships, the city's amounts by what they rest on (a
    proposal said to be one), whether any amount is decided, and the answered questions:
    each figure as the downloads have it."""
    data = real_site / "data"
    partnerships = json.loads((data / "partnerships.json").read_text(encoding="utf-8"))
    questions = json.loads((data / "questions-full.json").read_text(encoding="utf-8"))
    costs = json.loads((data / "costs.json").read_text(encoding="utf-8"))
    answered = [q for q in questions if "unknown" not in q["answer"]]
    page = html.unescape((real_site / "index.html").read_text(encoding="utf-8"))
    cards = re.findall(
        r'<li><span class="portal-figures__value">(.*?)</span> '
        r'<span class="portal-figures__label">(.*?)</span></li>',
        page,
    )
    figures = {label: value for value, label in cards}
    assert figures["partnerskap i källorna"] == str(len(partnerships))
    assert figures["politiska frågor har fått svar"] == f"{len(answered)} av {len(questions)}"
    proposed = sum(c["amount_sek"] for c in costs if c["basis"] == "proposal")
    label = "Föreslagen budget – nämndens beslut finns inte i underlaget (stadens bidrag)"
    assert figures[label] == f"{proposed / 1e6:.1f}".replace(".", ",") + "\xa0mnkr"
    if not any(c["basis"] == "decided" for c in costs):
        assert (
            figures["Belopp som nämnden har beslutat: inget sådant beslut finns i underlaget"]
            == "–"
        )


def test_a_partnership_in_a_chain_shows_the_whole_chain_in_order(real_site):
    """Jobbvägen → Min Framtid → the IOP with Rädda Barnen: each of the three pages shows all
    three, oldest first, itself marked; a partnership outside any chain shows none."""
    chain = ["jobbvagen", "min-framtid", "radda-barnen-iop-unga"]
    for here in chain:
        page = (real_site / "partnerskap" / here / "index.html").read_text(encoding="utf-8")
        figure = page.split('<figure class="portal-chain">', 1)[1].split("</figure>", 1)[0]
        items = re.findall(r"<li( aria-current=\"page\")?>(.*?)</li>", figure)
        assert len(items) == 3
        for (current, text), other in zip(items, chain, strict=True):
            assert bool(current) == (other == here)
            assert (f'href="../{other}/"' in text) == (other != here)
    alone = (real_site / "partnerskap" / "svenska-med-baby" / "index.html").read_text("utf-8")
    assert "portal-chain" not in alone


def test_a_chain_that_loops_ends(tmp_path):
    """Predecessors that point back at each other end the chain instead of looping."""
    from generator.site.views import Views

    data = build_model(load(build_dataset(tmp_path / "data")))
    first, second = sorted(data.partnerships.values(), key=lambda p: p.id)
    looped = {
        first.id: dataclasses.replace(first, predecessor=second.id, successor=second.id),
        second.id: dataclasses.replace(second, predecessor=first.id, successor=first.id),
    }
    views = Views(dataclasses.replace(data, partnerships=looped), None)
    assert [p.id for p in views.chain(looped[first.id])] == [second.id, first.id]


def test_a_year_holds_every_partnership_a_source_shows_running_then(real_site):
    """Min Framtid's start is not stated, but the 2024 document describes it as running: the
    2024 selection and its download include it, as does 2025, the year it ended."""
    for year in (2024, 2025):
        page = (real_site / "urval" / "ar" / str(year) / "index.html").read_text("utf-8")
        assert 'href="../../../partnerskap/min-framtid/"' in page, year
        rows = json.loads(
            (real_site / "data" / "urval" / "ar" / str(year) / "partnerships.json").read_text(
                encoding="utf-8"
            )
        )
        assert "min-framtid" in {r["id"] for r in rows}
    assert (
        not (real_site / "urval" / "ar" / "2023" / "index.html")
        .read_text("utf-8")
        .count("partnerskap/min-framtid/")
    )


def test_a_chart_marks_proposals_and_is_drawn_only_when_it_shows_more(real_site):
    from generator.site.charts import bar_chart

    svg = str(bar_chart("k", "Belopp", [("2026 (förslag)", 2.0, "2 kr", 2), ("2025", 1.0, "1", 0)]))
    assert '<pattern id="k-forslag"' in svg and 'fill="url(#k-forslag)"' in svg
    assert "pattern" not in str(bar_chart("k", "Belopp", [("2025", 1.0, "1 kr", 0)]))
    # "fler än 400": the bar ends in an arrowhead, and the text says it.
    page = (real_site / "partnerskap" / "min-framtid" / "index.html").read_text("utf-8")
    chart = page.split('aria-labelledby="resultat-1-title', 1)[1].split("</svg>", 1)[0]
    assert "<path " in chart and "fler än 400" in chart
    assert "<path " not in str(bar_chart("k", "Mål", [("Mål", 4.0, "400", 1, False)]))
    # The IOP's two years have the same proposed amount: the table says it all, no chart.
    page = (real_site / "partnerskap" / "radda-barnen-iop-unga" / "index.html").read_text("utf-8")
    assert 'aria-labelledby="kostnader-title' not in page
    assert "1&#160;400&#160;000&#160;kr" in page or "1\u00a0400\u00a0000\u00a0kr" in page


def test_the_decisions_list_names_what_each_document_concerns(real_site):
    """A document and the partnership it proposed share a title: the list says which is which."""
    page = (real_site / "beslut" / "index.html").read_text(encoding="utf-8")
    assert 'Partnerskap: <a href="../partnerskap/radda-barnen-iop-unga/">' in page
    assert "Politisk fråga: <a href=" in page


@given(st.integers(min_value=0, max_value=10**15))
def test_whole_numbers_are_written_as_babel_writes_them(value):
    from babel.numbers import format_decimal

    from generator.site.fmt import LOCALE, number

    assert number(value) == format_decimal(value, format="#,##0.##", locale=LOCALE)


_SEGMENTS = st.lists(st.sampled_from(["a", "b", "ab", ".", "", ".."]), max_size=5).map("/".join)


@given(_SEGMENTS, _SEGMENTS)
def test_links_between_pages_are_the_relative_paths_posixpath_gives(target, start):
    import posixpath

    from generator.site.links import _relpath

    assert _relpath(target or ".", start or ".") == posixpath.relpath(target or ".", start or ".")


@given(st.text())
def test_text_from_data_has_every_special_character_written_as_a_reference(text):
    """Escaping, for any text: whitespace runs become one space, each character Markdown or
    HTML reads as syntax becomes its numeric character reference, and nothing else changes."""
    from generator.site.fmt import md

    one_line = re.sub(r"[ \t\r\n]+", " ", text).strip()
    special = re.compile(r"""[\\`*_{}\[\]()#+\-.!|~<>&"']""")
    assert str(md(text)) == special.sub(lambda m: f"&#{ord(m.group())};", one_line)


def _index_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_search_index_is_the_one_pagefinds_own_python_api_makes(real_site, tmp_path):
    """The build gives Pagefind each searched page while MkDocs writes it; the index is byte
    for byte the one Pagefind's own Python package makes of the same pages in MkDocs' order,
    and it holds every searched page and no other."""
    import asyncio

    from pagefind.index import IndexConfig, PagefindIndex

    from generator.site.searchindex import finish

    pages = searched_pages_in_mkdocs_order(real_site)
    assert len(pages) > 30
    assert "404.html" not in pages and "index.html" in pages

    async def index() -> list:
        # On leaving, the package also writes the index to disk (here, aside): its files are
        # taken from memory instead, since Pagefind finishes writing them in the background.
        config = IndexConfig(output_path=str(tmp_path / "aside"))
        async with PagefindIndex(config=config) as pagefind:
            for page in pages:
                html = (real_site / page).read_text("utf-8")
                await pagefind.add_html_file(content=html, source_path=page)
            return await pagefind.get_files()

    reference = tmp_path / "pagefind"
    for file in asyncio.run(index()):
        (reference / file["path"]).parent.mkdir(parents=True, exist_ok=True)
        (reference / file["path"]).write_bytes(file["content"])
    finish(reference)
    assert _index_files(reference) == _index_files(real_site / "pagefind")
