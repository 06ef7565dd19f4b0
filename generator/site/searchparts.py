"""Join Pagefind indexes made over consecutive runs of pages into the index Pagefind makes over
all of them at once.

Pagefind holds every page it has read, and while it builds the index it holds each page's
words twice more: at 10,000 partnerships its process took 4 GB. Indexing the pages in parts, one
Pagefind process after another, bounds that by the size of a part. This module then joins the
parts, doing what Pagefind's own index builder does (``pagefind/src/index/mod.rs``, 1.5.2):
pages are numbered on from the previous part's last, each word's pages from every part are put
together in part order, the words are cut into index files of the same size, and every file is
named the way Pagefind names it. Up to SHARD_PAGES pages, the joined index is the same, file for
file, as one made in a single run (a test checks this on the real site).

A Pagefind index file is gzip("pagefind_dcd" + CBOR); the records are Pagefind's structs as
arrays (``index_words.rs``, ``index_metadata.rs``, ``index_filter.rs``). Page numbers in a word's
page list are stored as differences from the previous page. Filter files and the language's
meta file are rewritten afterwards by searchindex.stabilise, as for an index made in one run.

A large site's index is written as several indexes of about SHARD_PAGES pages each, which the
search page searches together (Pagefind's mergeIndex). Pagefind's search program ranks the pages
found in a time that grows with the square of their number: for each page found it goes through
every page of every form of the word (``search_term`` in ``pagefind_web/src/search.rs``). At
10,000 partnerships a word on most pages took over 4 s in one index.

Every index lists every word of the site, with only its own pages, so together they find the
same pages as one index: an index without the word "processledarna" would otherwise search for
the longest word it has that begins the query ("process"). The pages are dealt to the indexes in
turn (page n is page n // k of index n % k), so each holds a like share of every kind of page
and its figures for ranking (pages, pages with the word, their length) are those of the whole,
scaled down. The order of the results can still differ a little from one index's where pages
score alike; the tests check that the pages found are the same.

Every search loads each index's table of pages and of word files, where Pagefind names each file
by seven characters of its hash: at 10,000 partnerships those names were 55 KB of the 150 KB the
tables take. So the indexes of a large site number their files instead, each index's pages and
word files in order under a stamp made from all their Pagefind names ("sv_1f0c2d9a-3e"). A
changed file changes the stamp, so short of a collision of hashes a name is never given to
other content, and a browser that kept a file of an earlier build cannot show it for another.
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

from ..collector import held_back
from .searchindex import SIGNATURE, read

# Pagefind's default index_chunk_size: a word index file is cut after this many locations.
CHUNK_SIZE = 20_000
# Pages in one index of a large site (README: "Search in parts"). Fewer make a common word
# slower to rank; more make every search fetch more files.
SHARD_PAGES = 1_400
# A large site's word files are cut after this many locations: a search fetches one from every
# index, and each file adds a line to the table of files that every search loads.
SHARD_CHUNK_SIZE = 1_500
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

    def keep(self, name: str) -> bool:
        """Take a shortest name as it is, unless an earlier file has it."""
        if len(name) != self.start or name in self.taken:
            return False
        self.taken.add(name)
        return True

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


def join(parts: list[Path], into: Path, shard_pages: int = SHARD_PAGES) -> None:
    """Write into ``into`` the index of all the parts' pages, in the parts' order. Beyond
    ``shard_pages`` pages it is split (see above): the first index is written into ``into``,
    the others into its folders 1, 2 … A small site of one part keeps Pagefind's own index,
    linked."""
    with held_back():  # the words' lists of pages: many objects, no cycles
        _join(parts, into, shard_pages)


def _join(parts: list[Path], into: Path, shard_pages: int) -> None:
    entries = [json.loads((p / "pagefind-entry.json").read_text("utf-8")) for p in parts]
    names = sorted({name for e in entries for name in e["languages"]})
    counts = [
        sum(e["languages"][n]["page_count"] for e in entries if n in e["languages"]) for n in names
    ]
    shards = max(1, -(-max(counts, default=0) // shard_pages))
    if len(parts) == 1 and shards == 1:
        shutil.copytree(parts[0], into, copy_function=link_or_copy)
        return
    folders = [into, *(into / str(n) for n in range(1, shards))]
    for folder in folders:
        for kind in _INDEXES:
            (folder / kind).mkdir(parents=True, exist_ok=True)
    languages: list[dict] = [{} for _ in folders]
    for language in names:
        having = [(p, e["languages"].get(language)) for p, e in zip(parts, entries, strict=True)]
        in_parts = [_Part(p, info) for p, info in having if info is not None]
        info = next(info for _, info in having if info is not None)
        for shard, joined in enumerate(_join_language(language, in_parts, folders)):
            languages[shard][language] = {**info, **joined}
    for part in parts:
        _copy_assets(part, into)
    for folder, found in zip(folders, languages, strict=True):
        (folder / "pagefind-entry.json").write_text(
            json.dumps(
                {**entries[0], "languages": found}, ensure_ascii=False, separators=(",", ":")
            ),
            encoding="utf-8",
        )


def _join_language(language: str, parts: list[_Part], folders: list[Path]) -> list[dict]:
    fields = sorted({name for part in parts for name in part.meta[_FIELDS]})
    first = 0
    for part in parts:
        part.number(first, fields)
        first += len(part.meta[_PAGES])
    pages = _fragments(language, parts, folders)
    chunks = _word_index(language, parts, folders)
    filters = _filters(language, parts, folders)
    joined = []
    for folder, its_pages, its_chunks, its_filters in zip(
        folders, pages, chunks, filters, strict=True
    ):
        meta = [parts[0].meta[_VERSION], its_pages, its_chunks, its_filters, [], fields]
        body = cbor2.dumps(meta)
        name = f"{language}_{full_hash(body)[: len(language) + 8]}"
        _store(folder / f"pagefind.{name}.pf_meta", body)
        joined.append({"hash": name, "page_count": len(its_pages)})
    return joined


def _fragments(language: str, parts: list[_Part], folders: list[Path]) -> list[list]:
    """Each page's fragment in the index it is dealt to, under the name Pagefind gives it when
    all the pages of its index are in one run, or numbered when there are several indexes."""
    dealt: list[list[tuple[Path, str]]] = [[] for _ in folders]  # (file, Pagefind's name)
    counts: list[list[int]] = [[] for _ in folders]  # each page's number of words
    every = ((part, name, count) for part in parts for name, count in part.meta[_PAGES])
    for n, (part, name, count) in enumerate(every):
        dealt[n % len(folders)].append((part.folder / "fragment" / f"{name}.pf_fragment", name))
        counts[n % len(folders)].append(count)
    pages = []
    one = len(folders) == 1
    for folder, its, its_counts in zip(folders, dealt, counts, strict=True):
        names = _pagefind_names(language, its) if one else _numbered(language, [n for _, n in its])
        for (source, _), name in zip(its, names, strict=True):
            link_or_copy(source, folder / "fragment" / f"{name}.pf_fragment")
        pages.append([[name, count] for name, count in zip(names, its_counts, strict=True)])
    return pages


def _pagefind_names(language: str, pages: list[tuple[Path, str]]) -> list[str]:
    """The pages' names as Pagefind gives them in one run: a name an earlier page has is made
    again from the page's whole hash, among all the pages before it."""
    names, seen = [], Names(language, step=1)
    for source, name in pages:
        if not seen.keep(name):
            data = gzip.decompress(source.read_bytes())[len(SIGNATURE) :]
            name = seen.claim(f"{language}_{full_hash(data)}")
        names.append(name)
    return names


def _numbered(language: str, names: list[str]) -> list[str]:
    """Short names for one index's files of a kind, in order, under a stamp made from all their
    Pagefind names (see above)."""
    stamp = full_hash("\n".join(names).encode("utf-8"))[:8]
    return [f"{language}_{stamp}-{n:x}" for n in range(len(names))]


def _word_index(language: str, parts: list[_Part], folders: list[Path]) -> list[list]:
    """Every word's pages from all parts, dealt to the indexes and cut into files as Pagefind
    cuts them (into smaller files when there are several indexes: a search fetches one from
    each)."""
    shards = len(folders)
    chunk_size = CHUNK_SIZE if shards == 1 else SHARD_CHUNK_SIZE
    # Pagefind's names; with several indexes, only until the files are numbered (_renumber)
    names = [Names(language, step=2) for _ in folders]
    chunks: list[list[list[str]]] = [[] for _ in folders]
    words: list[list[list]] = [[] for _ in folders]
    sizes = [0] * shards
    every = heapq.merge(*(part.words() for part in parts), key=lambda word: word[0])
    for _, same in itertools.groupby(every, key=lambda word: word[0]):
        word, *later = same
        for more in later:
            _add_pages(word, more)
        for shard, dealt in enumerate(_deal(word, shards)):
            size = (
                len(dealt[1])
                + sum(map(len, map(_LOCS, dealt[1])))
                + sum(map(len, map(_META, dealt[1])))
            )
            if shards > 1 and words[shard] and sizes[shard] + size > chunk_size:
                # A common word starts a file of its own: the rare words before it are not
                # fetched with it.
                chunks[shard].append(_write_chunk(words[shard], names[shard], folders[shard]))
                words[shard], sizes[shard] = [], 0
            words[shard].append(dealt)
            sizes[shard] += size
            if sizes[shard] >= chunk_size:
                chunks[shard].append(_write_chunk(words[shard], names[shard], folders[shard]))
                words[shard], sizes[shard] = [], 0
    for shard, folder in enumerate(folders):
        if words[shard]:
            chunks[shard].append(_write_chunk(words[shard], names[shard], folder))
        for before, after in itertools.pairwise(chunks[shard]):  # each file's range, short
            to, start = _prefixes(before[1], after[0])
            if to >= before[0]:
                before[1] = to
            after[0] = start
        if shards > 1:
            _renumber(language, chunks[shard], folder / "index")
    return chunks


def _deal(word: list, shards: int) -> list[list]:
    """The word as each index holds it: its pages there, numbered there (page n of the whole is
    page n // shards of index n % shards), and the other forms found on them."""
    if shards == 1:
        return [word]
    pages = _split(word[1], shards)
    variants = [[] for _ in range(shards)]
    for form, found in word[2]:
        for shard, on in enumerate(_split(found, shards)):
            if on:
                variants[shard].append([form, on])
    return [[word[0], on, forms] for on, forms in zip(pages, variants, strict=True)]


def _split(pages: list, shards: int) -> list[list]:
    dealt: list[list] = [[] for _ in range(shards)]
    last = [0] * shards
    number = 0
    for page in pages:
        number += page[0]
        shard, local = number % shards, number // shards
        page[0], last[shard] = local - last[shard], local
        dealt[shard].append(page)
    return dealt


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


def _renumber(language: str, chunks: list[list[str]], folder: Path) -> None:
    """One index's word files under numbered names (see above), in the table and on disk."""
    names = _numbered(language, [name for _, _, name in chunks])
    for chunk, name in zip(chunks, names, strict=True):
        os.replace(folder / f"{chunk[2]}.pf_index", folder / f"{name}.pf_index")
        chunk[2] = name


def _write_chunk(words: list, names: Names, into: Path) -> list[str]:
    body = cbor2.dumps([words])
    name = names.claim(f"{names.language}_{full_hash(body)}")
    _store(into / "index" / f"{name}.pf_index", body)
    return [words[0][0], words[-1][0], name]


def _prefixes(a: str, b: str) -> tuple[str, str]:
    pairs = zip(a, b, strict=False)
    common = len(list(itertools.takewhile(lambda pair: pair[0] == pair[1], pairs)))
    return a[: common + 1], b[: common + 1]


def _filters(language: str, parts: list[_Part], folders: list[Path]) -> list[list]:
    shards = len(folders)
    values: list[dict[str, dict[str, list[int]]]] = [{} for _ in folders]
    for part in parts:
        for _name, name in part.meta[_FILTERS]:
            filter_name, counted = read(part.folder / "filter" / f"{name}.pf_filter")
            for in_shard in values:
                in_shard.setdefault(filter_name, {})
            for value, pages in counted:
                for n in pages:
                    n += part.first_page
                    found = values[n % shards][filter_name].setdefault(value, [])
                    found.append(n // shards)
    written: list[list] = []
    for folder, by_name in zip(folders, values, strict=True):
        names = Names(language, step=2)
        written.append([])
        for filter_name, counted in by_name.items():
            body = cbor2.dumps([filter_name, [[value, pages] for value, pages in counted.items()]])
            name = names.claim(f"{language}_{full_hash(body)}")
            _store(folder / "filter" / f"{name}.pf_filter", body)
            written[-1].append([filter_name, name])
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
