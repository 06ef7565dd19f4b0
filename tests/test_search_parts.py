"""The search index made in parts (one Pagefind process per part, joined afterwards) is the
index one Pagefind process makes of the same pages."""

from __future__ import annotations

import gc
import gzip
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path

import cbor2
import pytest
from conftest import refusing_pagefind, searched_pages_in_mkdocs_order
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.site import searchparts
from generator.site.indexer import Indexer, IndexingError, PartedIndex
from generator.site.searchindex import PARTS, SIGNATURE, finish, read
from generator.site.searchparts import full_hash, join


def _index(indexer, site: Path, pages: list[str], into: Path) -> None:
    try:
        for page in pages:
            indexer.add(page, (site / page).read_text("utf-8"))
        indexer.write(into)
    finally:
        indexer.close()
    finish(into)


def _content(folder: Path) -> dict[str, bytes]:
    """Every file of an index by its path, the compressed ones as their content."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files[path.relative_to(folder).as_posix()] = (
            gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        )
    return files


@pytest.mark.parametrize(("per_part", "ahead"), [(1, True), (7, True), (7, False), (30, False)])
def test_an_index_made_in_parts_is_the_one_made_in_one_run(real_site, tmp_path, per_part, ahead):
    """Every file has the same name and, uncompressed, the same bytes: the same pages, words,
    places of each word, filters and meta fields (the real site has all of them, and words
    with å, ä and ö, which Pagefind also keeps in their own spelling)."""
    pages = searched_pages_in_mkdocs_order(real_site)
    assert math.ceil(len(pages) / per_part) > 1
    _index(Indexer(), real_site, pages, tmp_path / "one")
    parted = PartedIndex(real_site, tmp_path / "keep", per_part, ahead)
    _index(parted, real_site, pages, tmp_path / "parts")
    one, parts = _content(tmp_path / "one"), _content(tmp_path / "parts")
    assert sorted(parts) == sorted(one)
    assert [name for name in one if parts[name] != one[name]] == []
    assert len(list((tmp_path / "keep").iterdir())) == math.ceil(len(pages) / per_part)


def test_the_site_of_one_part_has_pagefinds_own_index(real_site, tmp_path):
    """Below one part's size nothing is joined: the files are Pagefind's, byte for byte."""
    pages = searched_pages_in_mkdocs_order(real_site)
    _index(Indexer(), real_site, pages, tmp_path / "one")
    parted = PartedIndex(real_site, tmp_path / "keep", len(pages))
    _index(parted, real_site, pages, tmp_path / "parts")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    assert files == sorted(
        p.relative_to(tmp_path / "parts") for p in (tmp_path / "parts").rglob("*")
    )
    for file in files:
        if (tmp_path / "one" / file).is_file():
            assert (tmp_path / "one" / file).read_bytes() == (
                tmp_path / "parts" / file
            ).read_bytes()


def _metas(folder: Path) -> Iterator[tuple[Path, str, list]]:
    """Each index of a finished index (the first, then those parts.json lists) with each of its
    languages and that language's meta record."""
    for index in [folder, *(folder / p for p in json.loads((folder / PARTS).read_text("utf-8")))]:
        entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
        for language, info in entry["languages"].items():
            yield index, language, read(index / f"pagefind.{info['hash']}.pf_meta")


def _meaning(folder: Path) -> dict:
    """What an index holds, or a split index's indexes together: each page (its fragment and
    number of words), each word and form with the pages it is on and its places there, each
    filter value's pages, and each index's words."""
    pages, words, filters, vocabularies = [], {}, {}, []
    for index, language, meta in _metas(folder):
        fragments = [
            gzip.decompress((index / "fragment" / f"{name}.pf_fragment").read_bytes())
            for name, _ in meta[1]
        ]
        pages += [(f, count) for f, (_, count) in zip(fragments, meta[1], strict=True)]
        vocabularies.append({language})
        for *_, chunk in meta[2]:
            for word, found, variants in read(index / "index" / f"{chunk}.pf_index")[0]:
                vocabularies[-1].add(word)
                for form, on in ((word, found), *variants):
                    number = 0
                    for page in on:
                        number += page[0]
                        places = (fragments[number], cbor2.dumps(page[1:]))
                        words.setdefault((language, word, form), set()).add(places)
        for _, name in meta[3]:
            filter_name, values = read(index / "filter" / f"{name}.pf_filter")
            for value, on in values:
                found = filters.setdefault((language, filter_name, value), set())
                found.update(fragments[n] for n in on)
    return {
        "pages": sorted(pages),
        "words": words,
        "filters": filters,
        "words of each": vocabularies,
    }


def test_a_large_index_is_split_and_finds_what_one_index_finds(real_site, tmp_path):
    """Beyond ``shard_pages`` pages the index is several (searchparts.py): each page is in one
    of them, every word is on the same pages in the same places as in one index, every filter
    value has the same pages, and every index lists every word of the site."""
    pages = searched_pages_in_mkdocs_order(real_site)
    _index(Indexer(), real_site, pages, tmp_path / "one")
    parted = PartedIndex(real_site, tmp_path / "keep", per_part=7, shard_pages=20)
    _index(parted, real_site, pages, tmp_path / "split")
    parts = json.loads((tmp_path / "split" / PARTS).read_text("utf-8"))
    assert parts == [f"{n}/" for n in range(1, math.ceil(len(pages) / 20))]
    one, split = _meaning(tmp_path / "one"), _meaning(tmp_path / "split")
    assert split["words of each"] == one["words of each"] * (len(parts) + 1)
    for what in ("pages", "words", "filters"):
        assert split[what] == one[what], what


def _split_index(site: Path, pages: list[str], into: Path, changed: str | None = None) -> dict:
    """A split index of ``pages`` (20 pages an index), one of them (``changed``) with a line
    added to its text; every file of its indexes by its path."""
    parted = PartedIndex(site, into.parent / f"{into.name}-keep", per_part=7, shard_pages=20)
    try:
        for page in pages:
            html = (site / page).read_text("utf-8")
            if page == changed:
                html = html.replace("</h1>", "</h1><p>Ändrad sedan förra bygget.</p>", 1)
            parted.add(page, html)
        parted.write(into)
    finally:
        parted.close()
    finish(into)
    return _content(into)


def _tables(folder: Path) -> list[tuple[list[str], list[str]]]:
    """Each index's names of page fragments and of word files, in their tables' order."""
    return [
        ([name for name, _ in meta[1]], [name for *_, name in meta[2]])
        for *_, meta in _metas(folder)
    ]


def test_a_split_index_numbers_its_files_and_never_gives_a_name_to_other_content(
    real_site, tmp_path
):
    """Every search loads each index's table of pages and word files, so a split index names
    them short: numbered in order under a stamp. A browser may keep a file of the last build, so
    the same name must never hold other content in the next: a changed page or another order
    of the pages changes its index's stamp, the other indexes keep their names, and every name
    two builds have holds the same bytes in both."""
    pages = searched_pages_in_mkdocs_order(real_site)
    before = _split_index(real_site, pages, tmp_path / "before")
    tables = _tables(tmp_path / "before")
    k = len(tables)  # page n is dealt to index n % k
    assert k >= 3
    for fragments, files in tables:
        for table in (fragments, files):
            stamp = table[0].rsplit("-", 1)[0]
            assert len(stamp) == len("sv_") + 8
            assert table == [f"{stamp}-{n:x}" for n in range(len(table))]
    swapped = [pages[k], *pages[1:k], pages[0], *pages[k + 1 :]]  # two pages of index 0
    builds = {  # name: (its index files, the index whose fragments it changed)
        "changed": (_split_index(real_site, pages, tmp_path / "changed", pages[4]), 4 % k),
        "reordered": (_split_index(real_site, swapped, tmp_path / "reordered"), 0),
    }
    for name, (after, touched) in builds.items():
        for n, ((old, _), (new, _)) in enumerate(
            zip(tables, _tables(tmp_path / name), strict=True)
        ):
            assert set(old).isdisjoint(new) if n == touched else old == new, (name, n)
        for path in set(before) & set(after):
            if path.endswith((".pf_fragment", ".pf_index")):
                assert before[path] == after[path], (name, path)


# Two page fragments whose hashes begin with the same seven characters (found by trying).
_ALIKE = (b'{"url":"/sida-14325/"}', b'{"url":"/sida-20524/"}')


def _fake_part(folder: Path, fragment: bytes) -> None:
    """A part of one page, written as Pagefind writes it, with no words and no filters."""
    name = f"sv_{full_hash(fragment)[:7]}"
    (folder / "fragment").mkdir(parents=True)
    (folder / "fragment" / f"{name}.pf_fragment").write_bytes(gzip.compress(SIGNATURE + fragment))
    meta = ["1.5.2", [[name, 1]], [], [], [], []]
    (folder / "pagefind.sv_0000000000.pf_meta").write_bytes(
        gzip.compress(SIGNATURE + cbor2.dumps(meta))
    )
    entry = {"version": "1.5.2", "languages": {"sv": {"hash": "sv_0000000000", "page_count": 1}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry), "utf-8")


def test_pages_named_alike_in_two_parts_are_told_apart_as_pagefind_does(tmp_path):
    """Pagefind names a page's fragment by the first seven characters of its hash, and gives a
    page whose name an earlier page has one character more. Two parts cannot see each other's
    names, so the join names the later page again."""
    first, second = (full_hash(fragment) for fragment in _ALIKE)
    assert first[:7] == second[:7] and first[:8] != second[:8]
    for number, fragment in enumerate(_ALIKE, 1):
        _fake_part(tmp_path / str(number), fragment)
    join([tmp_path / "1", tmp_path / "2"], tmp_path / "joined")
    entry = json.loads((tmp_path / "joined" / "pagefind-entry.json").read_text("utf-8"))
    meta_file = tmp_path / "joined" / f"pagefind.{entry['languages']['sv']['hash']}.pf_meta"
    pages = cbor2.loads(gzip.decompress(meta_file.read_bytes())[len(SIGNATURE) :])[1]
    assert pages == [[f"sv_{first[:7]}", 1], [f"sv_{second[:8]}", 1]]
    for (name, _), fragment in zip(pages, _ALIKE, strict=True):
        stored = (tmp_path / "joined" / "fragment" / f"{name}.pf_fragment").read_bytes()
        assert gzip.decompress(stored) == SIGNATURE + fragment
    assert entry["languages"]["sv"]["page_count"] == 2


def test_a_part_that_fails_fails_the_index_and_stops_every_pagefind(tmp_path, monkeypatch):
    """A part is written beside the next one's reading; when Pagefind fails on it, the index
    fails with Pagefind's words, and no Pagefind process is left running."""
    program = tmp_path / "pagefind"
    program.write_text(f"#!{sys.executable}\n{refusing_pagefind('sida-3/')}", "utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    page = "<main data-pagefind-body><p>Sida</p></main>"
    for number in range(1, 6):
        (tmp_path / "site" / f"sida-{number}").mkdir(parents=True)
        (tmp_path / "site" / f"sida-{number}" / "index.html").write_text(page, "utf-8")
    index = PartedIndex(tmp_path / "site", tmp_path / "keep", per_part=1)
    with pytest.raises(IndexingError, match="page not parsed"):
        try:
            for number in range(1, 6):
                index.add(f"sida-{number}/index.html", page)
            index.write(tmp_path / "index")
        finally:
            index.close()
    assert index._running is not None and index._running._process.poll() is not None
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("ahead", [False, True])
def test_a_rebuild_indexes_again_only_the_part_with_a_changed_page(
    real_site, tmp_path, monkeypatch, ahead
):
    """The parts whose pages are as they were are taken from the last build; the index is
    still the one a single run makes of the changed site. Read ahead (a full build), every
    part goes to Pagefind, and those found kept are dropped unwritten."""
    import generator.site.indexer as indexer_module

    pages = searched_pages_in_mkdocs_order(real_site)
    site = tmp_path / "site"
    for page in pages:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_bytes((real_site / page).read_bytes())
    keep = tmp_path / "keep"
    _index(PartedIndex(site, keep, 10), site, pages, tmp_path / "first")
    before = sorted(keep.iterdir())
    changed = site / pages[25]
    changed.write_text(changed.read_text("utf-8").replace("</h1>", " Ändrad</h1>", 1), "utf-8")
    started = []

    class Counted(Indexer):
        def __init__(self) -> None:
            started.append(self)
            super().__init__()

    monkeypatch.setattr(indexer_module, "Indexer", Counted)
    _index(PartedIndex(site, keep, 10, ahead), site, pages, tmp_path / "second")
    monkeypatch.undo()
    assert len(started) == (math.ceil(len(pages) / 10) if ahead else 1)
    after = sorted(keep.iterdir())
    assert len(after) == len(before) and len(set(after) - set(before)) == 1
    _index(Indexer(), site, pages, tmp_path / "one")
    assert _content(tmp_path / "second") == _content(tmp_path / "one")
    assert _content(tmp_path / "second") != _content(tmp_path / "first")


_WORDS = ["förening", "forening", "Föreningarna", "stöd", "arbete", "språk", "år", "unga"]


@st.composite
def _sites(draw):
    """A few pages: words with and without å, ä and ö, and now and then a filter or a meta
    field of their own, so the parts differ in which filters and fields they have."""
    pages = []
    for number in range(draw(st.integers(2, 7))):
        words = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12)))
        extra = draw(st.sampled_from(["", "filter", "meta", "both"]))
        marks = ""
        if extra in ("filter", "both"):
            marks += f'<span data-pagefind-filter="Sort">{draw(st.sampled_from(_WORDS))}</span>'
        if extra in ("meta", "both"):
            marks += f'<span data-pagefind-meta="ort">{draw(st.sampled_from(_WORDS))}</span>'
        pages.append(
            f"<html><body><main data-pagefind-body><h1>Sida {number}</h1>"
            f"<p>{words}</p>{marks}</main></body></html>"
        )
    return pages, draw(st.integers(1, len(pages) - 1))


def _written(site: Path, pages: list[str]) -> list[str]:
    """Write the pages into ``site``; their paths."""
    names = []
    for number, html in enumerate(pages):
        (site / f"sida-{number}").mkdir(parents=True)
        (site / f"sida-{number}" / "index.html").write_text(html, "utf-8")
        names.append(f"sida-{number}/index.html")
    return names


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_sites())
def test_any_split_into_parts_gives_the_index_of_one_run(tmp_path_factory, site_and_part):
    pages, per_part = site_and_part
    tmp = tmp_path_factory.mktemp("split")
    names = _written(tmp / "site", pages)
    _index(Indexer(), tmp / "site", names, tmp / "one")
    _index(PartedIndex(tmp / "site", tmp / "keep", per_part), tmp / "site", names, tmp / "parts")
    assert _content(tmp / "parts") == _content(tmp / "one")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_sites(), st.integers(1, 7), st.integers(1, 7))
def test_any_split_into_indexes_finds_what_one_index_finds(
    tmp_path_factory, site_and_part, per_part, size
):
    """However the pages are cut into parts for Pagefind (one part included) and however
    many pages an index of a large site holds."""
    pages, _ = site_and_part
    tmp = tmp_path_factory.mktemp("split")
    names = _written(tmp / "site", pages)
    _index(Indexer(), tmp / "site", names, tmp / "one")
    parted = PartedIndex(tmp / "site", tmp / "keep", per_part, shard_pages=size)
    _index(parted, tmp / "site", names, tmp / "split")
    one, split = _meaning(tmp / "one"), _meaning(tmp / "split")
    assert len(split["words of each"]) == math.ceil(len(pages) / size)
    assert split == {**one, "words of each": one["words of each"] * math.ceil(len(pages) / size)}


@pytest.mark.parametrize("enabled", [True, False])
def test_the_join_holds_the_cycle_collector_back_and_leaves_it_as_it_was(monkeypatch, enabled):
    """The join makes many lists and no cycles; in the build's process, which holds the whole
    dataset, each full pass of the collector would look at all of it."""
    seen = []
    monkeypatch.setattr(searchparts, "_join", lambda *args: seen.append(gc.isenabled()))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        join([], Path("unused"))
        assert (seen, gc.isenabled()) == ([False], enabled)
    finally:
        (gc.enable if was else gc.disable)()
