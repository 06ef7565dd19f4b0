"""A large site's search index is several indexes that the search page searches together
(searchparts.py). Here the real site's index is split as a large site's is, into indexes of a
few pages each, and searched in headless Chromium beside the index made in one piece: the same
queries find the same pages, and the search page says the same."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from browser import search_results, serve
from conftest import searched_pages_in_mkdocs_order

from generator.site.indexer import PartedIndex
from generator.site.searchindex import PARTS, finish

QUERIES = [
    "unga",
    "Rädda Barnen",
    "föreningarna",  # inflected: Pagefind finds the other forms of the word
    "processledarna",  # on a few pages, so most of the indexes have none of its forms
    '"unga vuxna"',  # a phrase
    "arbetsmarknadsnämndenxyz",  # no word begins so: the longest word that begins it is found
]

# Every result's address, and the filters' counts, for each query (with and without a filter).
_SEARCH = """async (queries) => {
  const index = new URL('/pagefind/', location.href);
  const api = await import(new URL('pagefind.js', index).href);
  const parts = await (await fetch(new URL('parts.json', index))).json();
  await api.options({ baseUrl: '/' });
  for (const part of parts) await api.mergeIndex(new URL(part, index).pathname, { baseUrl: '/' });
  const found = {};
  for (const query of queries) {
    for (const filters of [{}, { Form: ['ESF-projekt'] }]) {
      const search = await api.search(query, { filters });
      const urls = await Promise.all(search.results.map(async (r) => (await r.data()).url));
      found[`${query} ${JSON.stringify(filters)}`] = { urls: urls.sort(), counts: search.filters };
    }
  }
  return { parts: parts.length, found, filters: await api.filters() };
}"""


@pytest.fixture(scope="module")
def split_site(real_site, tmp_path_factory) -> Path:
    """The real site with its index split into indexes of 10 pages."""
    tmp = tmp_path_factory.mktemp("split")
    site = tmp / "site"
    shutil.copytree(
        real_site, site, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind")
    )
    index = PartedIndex(real_site, tmp / "keep", per_part=7, shard_pages=10)
    try:
        for page in searched_pages_in_mkdocs_order(real_site):
            index.add(page, (real_site / page).read_text("utf-8"))
        index.write(site / "pagefind")
    finally:
        index.close()
    finish(site / "pagefind")
    return site


def _searched(browser, site: Path) -> dict:
    page = browser.new_page()
    with serve(site) as base:
        page.goto(base + "sok/")
        searched = page.evaluate(_SEARCH, QUERIES)
    page.close()
    return searched


def test_a_split_index_finds_the_pages_one_index_finds(browser, real_site, split_site):
    one, split = _searched(browser, real_site), _searched(browser, split_site)
    assert one["parts"] == 0
    assert split["parts"] == len(json.loads((split_site / "pagefind" / PARTS).read_text())) > 2
    for query in QUERIES:
        assert one["found"][f"{query} {{}}"]["urls"], f"{query} finds nothing: a useless case"
    assert split["found"] == one["found"]
    assert split["filters"] == one["filters"]


def test_the_search_page_searches_every_index_of_a_split_one(browser, real_site, split_site):
    """The search page reads the list of indexes and searches them all: it finds as many
    pages as with one index, fetches from every index, and the console stays clean."""
    said = {}
    for name, site in (("one", real_site), ("split", split_site)):
        page = browser.new_page()
        errors, fetched = [], []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("request", lambda request, f=fetched: f.append(request.url))
        with serve(site) as base:
            search_results(page, base, "unga")
            said[name] = page.inner_text(".portal-find__status")
            metas = [url.split("/pagefind/")[1] for url in fetched if url.endswith(".pf_meta")]
        page.close()
        assert not errors, errors
        parts = json.loads((site / "pagefind" / PARTS).read_text())
        # Each index's table of pages: the first index's, and each part's from its folder.
        assert sorted(meta.rpartition("/")[0] for meta in metas) == [
            "",
            *sorted(p.rstrip("/") for p in parts),
        ]
    assert said["split"] == said["one"]
    assert said["one"].startswith("unga gav ")
