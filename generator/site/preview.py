"""The live preview's pages: after a saved change, only the pages whose inputs changed are
rendered again.

A page's text is a function of its template, what the template is given (its context), the
parts of the dataset and of the derived figures it read, and a few things every page may read
(the site's address, the history, the field catalogue, the publisher, the guide). The first
preview renders every page and notes what each read (see ``model.tracked``). A later one
compares the new dataset with the last: where every global part is equal, a page whose context
and every read part are equal is not rendered; its file in the docs folder holds its text.
Anything not tracked is a global part, so a change to it renders every page again.

Parts are compared with ``==``, dicts in their order too, and a record in a tracked container
by its place (a page's reads of its fields are compared one by one). Records are frozen
dataclasses whose fields the schemas type, so equal parts print alike (a field does not hold
1 in one version and 1.0 in the next). The published site never uses this: ``portal build``
renders every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields

from jinja2 import Environment

from ..catalogue import Catalogue
from ..history.read import History
from ..kept import Kept
from ..model.dataset import Dataset
from ..model.tracked import ALL, LENGTH, TRACKED, derived, place, recording
from ..source.cache import Cache
from .citations import Citations
from .render import Site, environment, page_specs, renderer
from .views import Views

_MISSING = object()


@dataclass
class _Render:
    """One preview's inputs, and each page's template, context (its shape) and reads."""

    roots: dict[str, object]
    site: Site
    history: History
    pages: dict[str, tuple[str, object, frozenset]] = field(default_factory=dict)


class Preview:
    """The pages of the last preview and what each read."""

    def __init__(self) -> None:
        self.last: _Render | None = None
        self.history: tuple[tuple, History] | None = None  # (what it was read for, history)
        self.environment: tuple[Catalogue, Environment] | None = None
        self.rendered: list[str] = []  # the pages the last call of ``pages`` rendered
        self.checks: Cache | None = None  # the check cache, kept from the last save
        self.records = Kept()  # the typed records of the last save, by their files
        self.rows = Kept()  # the downloads' rows of each record, by the record
        self.citations = Citations()  # who cites each document, made again by record
        # The folders where downloads stopped by a newer save may have written files.
        self.unsure: tuple[str, ...] = ()

    def pages(
        self,
        data: Dataset,
        changed: dict[str, dt.date],
        tables: list | None,
        history: History,
        site: Site,
    ) -> Iterator[tuple[str, str | None]]:
        """Every page as (path, text), or (path, None) where the text is the one the last
        preview rendered. The dataset must have been made with tracking on."""
        views = Views(data, history, tables or (), self.citations)
        if self.environment is None or self.environment[0] != data.catalogue:
            self.environment = (data.catalogue, environment(data.catalogue))  # compiled once
        render = renderer(data, views, history, site, self.environment[1])
        now = _Render({"dataset": data, "views": views}, site, history)
        last, changes = self.last, _changes(self.last, now) if self.last else None
        # Until every page is done, the folder may hold pages of this preview that the last
        # one's reads do not describe: if this one stops, the next renders every page.
        self.last, self.rendered = None, []
        for path, template, context in page_specs(data, views, changed, tables is not None):
            shape = _shape(context)  # kept instead of the context: records by their place
            before = last.pages.get(path) if last and changes is not None else None
            if before and before[:2] == (template, shape) and before[2].isdisjoint(changes):
                now.pages[path] = (template, shape, before[2])  # let the last dataset go
                yield path, None
                continue
            with recording() as reads:
                text = render(path, template, context)
            now.pages[path] = (template, shape, frozenset(reads))
            self.rendered.append(path)
            yield path, text
        self.last = now


def _changes(old: _Render, new: _Render) -> set | None:
    """Every read whose value differs between two previews, found in one pass over what the
    dataset and the figures hold, so that a page is checked with one set operation; None
    where a part that is not tracked differs (the site, the history, the catalogue, …), or a
    container is not of the same kind, and every page is rendered again."""
    if old.site != new.site or old.history is not new.history:
        return None
    found: set = set()
    for name, before in old.roots.items():
        after = new.roots[name]
        if type(before) is not type(after):
            return None
        for attribute, value in vars(before).items():
            descriptor = getattr(type(before), attribute, None)
            if isinstance(value, TRACKED):
                now = getattr(after, attribute)
                if type(now) is not type(value):
                    return None
                found |= _differences(value.name, value, now)
            elif isinstance(descriptor, derived):  # computed now if need be
                if not _equal(value, getattr(after, attribute)):
                    found.add((descriptor.name, ALL))
            elif not any(value is r for r in old.roots.values()) and not _equal(
                value, vars(after).get(attribute, _MISSING)
            ):
                return None
    return found


def _differences(name: str, old, new) -> set:
    """The reads of container ``name`` that give another value in ``new`` than in ``old``
    (two containers of the same kind)."""
    found = {(name, LENGTH), (name, ALL)} if len(old) != len(new) else set()
    if not isinstance(old, dict):
        if not found and not _same(old, new):
            found.add((name, ALL))
        return found
    if list(dict.keys(old)) != list(dict.keys(new)):
        found.add((name, ALL))
    for key in dict.keys(old) | dict.keys(new):
        before, after = dict.get(old, key, _MISSING), dict.get(new, key, _MISSING)
        if before is after:  # the same record: made from a file that has not changed
            continue
        if place(before) and place(after):  # a record: what changed is told by its fields
            if before != after:
                found |= {(name, key, field) for field in _changed_fields(before, after)}
        elif not _same(before, after):
            found |= {(name, key), (name, ALL)}
    return found


def _changed_fields(old, new) -> list[str]:
    """The fields and properties of a record that differ, and every method (what it returns
    may depend on any field)."""
    names = [f.name for f in fields(old)]
    names += [
        n for n in dir(type(old)) if n[0] != "_" and isinstance(getattr(type(old), n), property)
    ]
    changed = [n for n in names if not _same(getattr(old, n), getattr(new, n))]
    others = [n for n in dir(type(old)) if n[0] != "_" and n not in names]
    return changed + others


def _shape(value: object) -> object:
    """``value`` to compare, with each record whose field reads are noted as its place in the
    dataset (what a page read of its fields is compared by itself), and each dict in order."""
    found = place(value)
    if found:
        return ("record", found)
    if isinstance(value, dict):
        return (type(value), [(k, _shape(v)) for k, v in dict.items(value)])
    if _sequence(value):
        return (type(value), [_shape(v) for v in value])
    return value


def _same(old: object, new: object) -> bool:
    """``_shape(old) == _shape(new)``, found without making either: the same object is the
    same (a record made from a file that has not changed), and the walk stops at the first
    difference."""
    if old is new:
        return True
    found = place(old)
    if found or place(new):
        return found == place(new)
    if isinstance(old, dict):
        return (
            type(old) is type(new)
            and dict.__len__(old) == dict.__len__(new)
            and all(
                a == b and _same(x, y)
                for (a, x), (b, y) in zip(dict.items(old), dict.items(new), strict=True)
            )
        )
    if _sequence(old) or _sequence(new):
        return type(old) is type(new) and len(old) == len(new) and all(map(_same, old, new))
    return not isinstance(new, dict) and old == new


def _sequence(value: object) -> bool:
    return type(value) in (list, tuple) or isinstance(value, TRACKED)


def _equal(old: object, new: object) -> bool:
    """Equal, and a dict in the same order (as a page lists it)."""
    return type(old) is type(new) and _same(old, new)
