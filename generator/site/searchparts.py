"""Join Pagefind indexes made over consecutive runs of pages into the index Pagefind makes over
all of them at once.

Pagefind holds every page it has read, and while it builds the index it holds each page's
words twice more: at 10,000 partnerships its process took 4 GB. Indexing the pages in parts, one
Pagefind process after another, bounds that by the size of a part. This module then joins the
parts, doing what Pagefind's own index builder does (``pagefind/src/index/mod.rs``, 1.5.2):
pages are numbered on from the previous part's last, each word's pages from every part are put
together in part order, the words are cut into index files of the same size, and every file is
named the way Pagefind names it. The joined index is the same, file for file, as one made in a
single run (a test checks this on the real site).

A Pagefind index file is gzip("pagefind_dcd" + CBOR); the records are Pagefind's structs as
arrays (``index_words.rs``, ``index_metadata.rs``, ``index_filter.rs``). Page numbers in a word's
page list are stored as differences from the previous page. Filter files and the language's
meta file are rewritten afterwards by searchindex.stabilise, as for an index made in one run.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import operator
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import cbor2

from .searchindex import SIGNATURE, read

# Pagefind's default index_chunk_size: a word index file is cut after this many locations.
CHUNK_SIZE = 20_000
_VERSION, _PAGES, _CHUNKS, _FILTERS, _SORTS, _FIELDS = range(6)
_INDEXES = ("fragment", "index", "filter")
_LOCS, _META = operator.itemgetter(1), operator.itemgetter(2)  # of a page in a word's list
# Word index files are compressed less hard than Pagefind does (its "best"): at 10,000
# partnerships that is a quarter of the time and 2% more bytes.
_LEVEL = 6


def full_hash(data: bytes) -> str:
    """Pagefind's hash of a file's content: SHA-1, each byte in hex without a leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


class Names:
    """Pagefind's short file names: the language, "_" and the first seven characters of the
    hash, made longer while an earlier file of the same kind has the name. Fragments grow by
    one character at a time, word and filter indexes by two."""

    def __init__(self, language: str, step: int) -> None:
        self.language = language
        self.start = len(language) + 8
        self.step = step
        self.taken: set[str] = set()

    def claim(self, full: str) -> str:
        length = self.start
        while full[:length] in self.taken and length < len(full):
            length += self.step
        self.taken.add(full[:length])
        return full[:length]


def link_or_copy(source: Path, target: Path) -> None:
    """Link ``target`` to ``source`` (nothing in an index is written through a link), or copy it
    where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _store(path: Path, body: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + body, compresslevel=_LEVEL, mtime=0))


class _Part:
    """One part's index for one language, and where its pages start in the whole."""

    def __init__(self, folder: Path, info: dict) -> None:
        self.folder = folder
        self.meta = read(folder / f"pagefind.{info['hash']}.pf_meta")
        if self.meta[_SORTS]:
            raise ValueError("an index in parts cannot be sorted (data-pagefind-sort)")
        self.first_page = 0
        self.marker: list[int] = []

    def number(self, first_page: int, fields: list[str]) -> None:
        """Count this part's pages from ``first_page``, and its meta fields in ``fields``."""
        self.first_page = first_page
        self.marker = [-fields.index(name) - 1 for name in self.meta[_FIELDS]]

    def words(self) -> Iterator[list]:
        """This part's words in order. Each page list's first page is counted in the whole
        index; the others stay differences from the page before."""
        same_fields = self.marker == [-n - 1 for n in range(len(self.marker))]
        for _from, _to, name in self.meta[_CHUNKS]:
            for word in read(self.folder / "index" / f"{name}.pf_index")[0]:
                for pages in (word[1], *(variant[1] for variant in word[2])):
                    if pages:
                        pages[0][0] += self.first_page
                    if not same_fields:
                        self._renumber_fields(pages)
                yield word

    def _renumber_fields(self, pages: list) -> None:
        for page in pages:
            if page[2]:  # a meta field's words: a negative number says which field follows
                page[2] = [self.marker[-n - 1] if n < 0 else n for n in page[2]]


def join(parts: list[Path], into: Path) -> None:
    """Write into ``into`` the index of all the parts' pages, in the parts' order."""
    for kind in _INDEXES:
        (into / kind).mkdir(parents=True, exist_ok=True)
    entries = [json.loads((p / "pagefind-entry.json").read_text("utf-8")) for p in parts]
    languages = {}
    for language in sorted({name for e in entries for name in e["languages"]}):
        having = [(p, e["languages"].get(language)) for p, e in zip(parts, entries, strict=True)]
        in_parts = [_Part(p, info) for p, info in having if info is not None]
        languages[language] = {
            **next(info for _, info in having if info is not None),
            **_join_language(language, in_parts, into),
        }
    for part in parts:
        _copy_assets(part, into)
    entry = {**entries[0], "languages": languages}
    (into / "pagefind-entry.json").write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _join_language(language: str, parts: list[_Part], into: Path) -> dict:
    fields = sorted({name for part in parts for name in part.meta[_FIELDS]})
    first = 0
    for part in parts:
        part.number(first, fields)
        first += len(part.meta[_PAGES])
    meta = [
        parts[0].meta[_VERSION],
        _fragments(language, parts, into / "fragment"),
        _word_index(language, parts, into / "index"),
        _filters(language, parts, into / "filter"),
        [],
        fields,
    ]
    body = cbor2.dumps(meta)
    name = f"{language}_{full_hash(body)[: len(language) + 8]}"
    _store(into / f"pagefind.{name}.pf_meta", body)
    return {"hash": name, "page_count": first}


def _fragments(language: str, parts: list[_Part], into: Path) -> list:
    """Each page's fragment, under the name Pagefind gives it when all pages are in one run."""
    names = Names(language, step=1)
    pages = []
    for part in parts:
        for name, word_count in part.meta[_PAGES]:
            source = part.folder / "fragment" / f"{name}.pf_fragment"
            if len(name) == names.start and name not in names.taken:
                names.taken.add(name)
            else:  # named after its hash again, among all the pages before it
                data = gzip.decompress(source.read_bytes())[len(SIGNATURE) :]
                name = names.claim(f"{language}_{full_hash(data)}")
            link_or_copy(source, into / f"{name}.pf_fragment")
            pages.append([name, word_count])
    return pages


def _word_index(language: str, parts: list[_Part], into: Path) -> list:
    """Every word's pages from all parts, cut into files as Pagefind cuts them."""
    names = Names(language, step=2)
    chunks: list[list[str]] = []
    words: list[list] = []
    size = 0
    every = heapq.merge(*(part.words() for part in parts), key=lambda word: word[0])
    for _, same in itertools.groupby(every, key=lambda word: word[0]):
        word, *later = same
        for more in later:
            _add_pages(word, more)
        words.append(word)
        size += (
            len(word[1]) + sum(map(len, map(_LOCS, word[1]))) + sum(map(len, map(_META, word[1])))
        )
        if size >= CHUNK_SIZE:
            chunks.append(_write_chunk(words, names, into))
            words, size = [], 0
    if words:
        chunks.append(_write_chunk(words, names, into))
    for before, after in itertools.pairwise(chunks):  # each file's range, as short as it can be
        to, start = _prefixes(before[1], after[0])
        if to >= before[0]:
            before[1] = to
        after[0] = start
    return chunks


def _add_pages(word: list, later: list) -> None:
    _extend(word[1], later[1])
    for variant in later[2]:
        same = next((v for v in word[2] if v[0] == variant[0]), None)
        if same is None:
            word[2].append(variant)
        else:
            _extend(same[1], variant[1])


def _extend(pages: list, later: list) -> None:
    """Put a later part's pages after ``pages``; the first of them becomes a difference."""
    if pages and later:
        later[0][0] -= sum(page[0] for page in pages)  # the last page's number
    pages.extend(later)


def _write_chunk(words: list, names: Names, into: Path) -> list[str]:
    body = cbor2.dumps([words])
    name = names.claim(f"{names.language}_{full_hash(body)}")
    _store(into / f"{name}.pf_index", body)
    return [words[0][0], words[-1][0], name]


def _prefixes(a: str, b: str) -> tuple[str, str]:
    pairs = zip(a, b, strict=False)
    common = len(list(itertools.takewhile(lambda pair: pair[0] == pair[1], pairs)))
    return a[: common + 1], b[: common + 1]


def _filters(language: str, parts: list[_Part], into: Path) -> list:
    values: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for _name, name in part.meta[_FILTERS]:
            filter_name, counted = read(part.folder / "filter" / f"{name}.pf_filter")
            into_filter = values.setdefault(filter_name, {})
            for value, pages in counted:
                into_filter.setdefault(value, []).extend(n + part.first_page for n in pages)
    names = Names(language, step=2)
    written = []
    for filter_name, counted in values.items():
        body = cbor2.dumps([filter_name, [[value, pages] for value, pages in counted.items()]])
        name = names.claim(f"{language}_{full_hash(body)}")
        _store(into / f"{name}.pf_filter", body)
        written.append([filter_name, name])
    return written


def _copy_assets(part: Path, into: Path) -> None:
    """Pagefind's script and language files, the same in every part."""
    for path in sorted(part.rglob("*")):
        relative = path.relative_to(part)
        if path.is_dir() or relative.parts[0] in _INDEXES or path.suffix == ".pf_meta":
            continue
        if relative.name != "pagefind-entry.json" and not (into / relative).exists():
            (into / relative).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(path, into / relative)
