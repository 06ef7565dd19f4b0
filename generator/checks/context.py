"""What the cross-record rules share: the records and tables of one data folder with the sets
they look references up in, and helpers that place a problem at a value of a YAML record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from ..catalogue import COLLECTIONS, KIND, KINDS, REFERENCES
from ..problems import Problem
from ..source.cache import digest
from ..source.load import Loaded, Record, Table
from ..source.yamlload import dotted
from .dates import period

T = TypeVar("T")


class Context:
    def __init__(self, loaded: Loaded, misshapen: set[str] = frozenset()) -> None:
        """``misshapen``: the paths of YAML files that broke their schema, left out here."""
        self.loaded = loaded
        self.partnerships = _shaped(loaded.records.get("partnerships", {}), misshapen)
        self.questions = _shaped(loaded.records.get("questions", {}), misshapen)
        self.documents = _shaped(loaded.records.get("documents", {}), misshapen)
        self.routes = (
            loaded.routes if loaded.routes and loaded.routes.path not in misshapen else None
        )
        empty = Table("", "", [])
        self.tables = {k.schema: loaded.tables.get(k.schema, empty) for k in KINDS if k.fixed}
        self.organisation_ids = {r["id"] for r in self.tables["organisations"].rows}
        self.decisions = {r["id"]: r for r in self.tables["decisions"].rows}
        # What a reference may point at. A file that could not be read has no entry, and
        # references into it are not checked, since its own problem is reported already.
        self.known: dict[str, set[str]] = {
            folder: loaded.stems.get(folder, set()) for folder in COLLECTIONS
        }
        if "organisations" in loaded.tables:
            self.known["organisations"] = self.organisation_ids
        if "decisions" in loaded.tables:
            self.known["decisions"] = set(self.decisions)
        self.periods = {stem: period(rec.data) for stem, rec in self.partnerships.items()}
        self.sections = {
            stem: [v for v in section_ids(rec) if isinstance(v, str)]
            for stem, rec in self.documents.items()
        }
        # A document whose file could not be read has no entry; references to it go unchecked.
        self.unread = loaded.stems.get("documents", set()) - set(self.sections)
        self.cited: dict[str, dict[str, list[str]]] = {}  # the record rules fill it in
        self._hashed: dict[str, str] = {}

    def depends(self, *facts: str) -> str:
        """A hash of the named facts (see ``FACTS``), each hashed at most once a run: what a
        rule read besides the record or table it checks, to key its findings by. Without a
        check cache nothing is kept, and nothing needs hashing."""
        if not self.loaded.cache.path:
            return ""
        for name in facts:
            if name not in self._hashed:
                self._hashed[name] = digest(name, repr(FACTS[name](self)))
        return digest(*(self._hashed[name] for name in facts))

    def kept(self, make: Callable[[], T], *parts: str) -> T:
        """``make()``, or, from the check cache, what it gave before for the same ``parts`` (a
        rule's name, the hash of the facts it read, the keys of the files it checks). The
        value is plain data."""
        cache = self.loaded.cache
        if not cache.path:
            return make()
        key = digest("rule", *parts)
        value = cache.get(key)
        if value is None:
            value = make()
            cache.put(key, value)
        return value

    def rows(self, name: str) -> Iterator[tuple[dict[str, str], int, str]]:
        table = self.tables[name]
        for row, line in zip(table.rows, table.lines, strict=True):
            yield row, line, table.path


# What the cross-record rules look up besides the record or table they check, as plain data in
# a fixed order. A rule's findings are kept by the hash of the facts it names.
FACTS = {
    # The ids a reference may point at, by the folder or table that holds them.
    "known": lambda ctx: sorted((name, sorted(ids)) for name, ids in ctx.known.items()),
    # The question each decision answers.
    "answers": lambda ctx: sorted((i, row["question_id"]) for i, row in ctx.decisions.items()),
    # Each partnership's first and last day.
    "periods": lambda ctx: sorted(ctx.periods.items()),
    # The decisions each partnership and question cites (filled in by the record rules).
    "cited": lambda ctx: sorted((c, sorted(ids.items())) for c, ids in ctx.cited.items()),
    # The section ids of each document's text, and the documents that could not be read.
    "sections": lambda ctx: (sorted(ctx.sections.items()), sorted(ctx.unread)),
}

# The fields of a YAML record that hold the id of another record (from the catalogue), and the
# collection or table that holds it, as ``Context.known`` names them.
REFERENCE_KEYS = tuple(REFERENCES)


def section_ids(document: Record) -> list:
    """The ids of a document's sections, as written (not always text)."""
    return [s.get("id") for s in document.data.get("sections", []) if isinstance(s, dict)]


def _shaped(records: dict[str, Record], misshapen: set[str]) -> dict[str, Record]:
    return {stem: r for stem, r in records.items() if r.path not in misshapen}


def holder(kind: str) -> str:
    """Where the records of a kind are: 'partnerships' (a folder) or 'decisions' (a table)."""
    return KIND[kind].folder or KIND[kind].schema


def find_keys(
    value: object, keys: tuple[str, ...], path: tuple = ()
) -> Iterator[tuple[tuple, str, str]]:
    """(path, key, text) of every text value under one of ``keys``, anywhere in a record."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                yield (*path, key), key, item
            elif isinstance(item, (dict, list)):  # a text or a number holds no keys
                yield from find_keys(item, keys, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield from find_keys(item, keys, (*path, i))


def at(record: Record, path: tuple, code: str, message: str) -> Problem:
    """A problem at the value ``path`` of a YAML record."""
    return Problem(record.path, record.doc.line(path), dotted(path), code, message)


def unresolved(record: Record, path: tuple, value: str, target: str) -> Problem:
    return at(
        record,
        path,
        "unknown-reference",
        f"'{value}' is not an id in {_where(target)}; correct it or add that record",
    )


def _where(target: str) -> str:
    """The file or folder an editor finds a kind's records in."""
    return f"{target}/" if target in COLLECTIONS else f"{target}.csv"
