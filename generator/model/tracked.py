"""What a page reads of the dataset, so that the preview renders again only the pages whose
inputs changed.

With tracking on (``tracking()``), the dataset's collections and the figures derived from them
are containers that note each read: a record looked up by its key as (name, key), a container
read whole (iterated, copied) as (name, ``ALL``), its length as (name, ``LENGTH``). While a page
renders (``recording()``) the notes go to that page's set. A derived figure is computed once with
noting paused, so a page depends on the figure, not on everything the figure was computed from.
A record (a dataclass) in a tracked dict notes each of its fields a page reads, as (name, key,
field), so that a page showing a partnership's title does not depend on its description.

With tracking off (a build), ``track`` returns its value as it is and nothing is noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import is_dataclass
from typing import Any


class _Read:
    """What was read of a container besides one key: all of it, or how many it holds."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return self.what


ALL = _Read("the whole")
LENGTH = _Read("the length")

_state: dict[str, Any] = {"on": False, "paused": 0, "pages": []}


def note(name: str, key: object = ALL) -> None:
    pages = _state["pages"]
    if pages and not _state["paused"]:
        pages[-1].add((name, key))


@contextmanager
def tracking() -> Iterator[None]:
    """Containers made meanwhile (``track``, ``derived``) note what is read of them."""
    before = _state["on"]
    _state["on"] = True
    try:
        yield
    finally:
        _state["on"] = before


@contextmanager
def recording() -> Iterator[set]:
    """The set of (name, key) read while the block runs."""
    reads: set = set()
    pages = _state["pages"]
    pages.append(reads)
    if len(pages) == 1:
        _noting_reads(True)
    try:
        yield reads
    finally:
        pages.pop()
        if not pages:
            _noting_reads(False)


@contextmanager
def paused() -> Iterator[None]:
    _state["paused"] += 1
    try:
        yield
    finally:
        _state["paused"] -= 1


def _whole(base: type, name: str, what: _Read = ALL):
    method = getattr(base, name)

    def read(self, *args, **kwargs):
        note(self.name, what)
        return method(self, *args, **kwargs)

    read.__name__ = name
    return read


def _keyed(base: type, name: str):
    method = getattr(base, name)

    def read(self, key, *args):
        note(self.name, key)
        return method(self, key, *args)

    read.__name__ = name
    return read


_WHOLE = ("__iter__", "__reversed__", "__eq__", "__ne__", "__repr__", "copy")
_DICT_WHOLE = (*_WHOLE, "keys", "values", "items", "__or__", "__ror__")
_SEQUENCE_WHOLE = (*_WHOLE, "__getitem__", "__contains__", "__add__", "index", "count")


class TrackedDict(dict):
    """A dict that notes each key looked up, and a read of the whole."""

    __slots__ = ("name",)
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, name: str, items: dict) -> None:
        super().__init__(items)
        self.name = name


class TrackedList(list):
    """A list whose every read is a read of the whole."""

    __slots__ = ("name",)
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, name: str, items) -> None:
        super().__init__(items)
        self.name = name


class TrackedTuple(tuple):
    """A tuple whose every read is a read of the whole."""

    name: str

    def __new__(cls, name: str, items) -> TrackedTuple:
        made = super().__new__(cls, items)
        made.name = name
        return made

    def __hash__(self) -> int:
        note(self.name)
        return tuple.__hash__(self)


for _tracked, _base in ((TrackedDict, dict), (TrackedList, list), (TrackedTuple, tuple)):
    _tracked.__len__ = _whole(_base, "__len__", LENGTH)  # type: ignore[method-assign]
for _name in _DICT_WHOLE:
    setattr(TrackedDict, _name, _whole(dict, _name))
for _name in ("__getitem__", "get", "__contains__"):
    setattr(TrackedDict, _name, _keyed(dict, _name))
for _tracked, _base in ((TrackedList, list), (TrackedTuple, tuple)):
    for _name in (n for n in _SEQUENCE_WHOLE if hasattr(_base, n)):
        setattr(_tracked, _name, _whole(_base, _name))

TRACKED = (TrackedDict, TrackedList, TrackedTuple)


def track(name: str, value):
    """``value`` as a container that notes its reads under ``name``, with tracking on (a dict,
    list or tuple; anything else, and anything with tracking off, as it is)."""
    if not _state["on"]:
        return value
    if isinstance(value, dict):  # a defaultdict too: pages only read it
        for key, item in value.items():
            if is_dataclass(item) and not isinstance(item, type):
                _note_fields(item, (name, key))
        return TrackedDict(name, value)
    if type(value) in (list, tuple):  # not a named tuple, which is read by its fields
        return (TrackedList if type(value) is list else TrackedTuple)(name, value)
    return value


_PLACE = "_tracked_place"  # where a record with noted fields was found: (name, key)
_NOTING: dict[type, type] = {}  # a record's class: its class that notes field reads
_NOTING_CLASSES: set[type] = set()


def _note_fields(record, place: tuple[str, object]) -> None:
    """Make a record note each field read of it as (name, key, field)."""
    cls = type(record)
    if cls not in _NOTING_CLASSES:
        made = _NOTING.get(cls)
        if made is None:
            attributes = {
                "__slots__": (),
                "__eq__": _same_record,
                "__hash__": cls.__hash__,
                "__reduce_ex__": _as_plain,
            }
            made = _NOTING[cls] = type(cls.__name__, (cls,), attributes)
            made.__qualname__, made.__module__ = cls.__qualname__, cls.__module__
            _NOTING_CLASSES.add(made)
            _noting_reads(bool(_state["pages"]), made)
        object.__setattr__(record, "__class__", made)
    record.__dict__[_PLACE] = place


def _noting_reads(on: bool, *classes: type) -> None:
    """Records note their field reads only while a page is recorded: outside, reading a field
    costs what it costs a plain record (the preview's shared figures, downloads and checks read
    every record on every save)."""
    for cls in classes or _NOTING_CLASSES:
        if on:
            cls.__getattribute__ = _field_read
        elif "__getattribute__" in cls.__dict__:
            del cls.__getattribute__


def _field_read(self, attribute: str):
    if attribute[0] != "_" and _state["pages"] and not _state["paused"]:
        place = object.__getattribute__(self, "__dict__").get(_PLACE)
        if place:
            _state["pages"][-1].add((*place, attribute))
            if isinstance(getattr(type(self), attribute, None), property):
                with paused():  # a property is compared by its value, not what it reads
                    return object.__getattribute__(self, attribute)
    return object.__getattribute__(self, attribute)


def _as_plain(self, protocol: int) -> tuple:
    """Pickled as a record of its own class, which notes nothing (a preview hands the data of
    its downloads to a new process)."""
    fields = dict(object.__getattribute__(self, "__dict__"))
    fields.pop(_PLACE, None)
    return _plain, (type(self).__mro__[1], fields)


def _plain(cls: type, fields: dict):
    record = object.__new__(cls)
    record.__dict__.update(fields)
    return record


def _same_record(self, other) -> bool:
    """Equal fields (and place), compared without noting each field read."""
    if type(other) is not type(self):
        return NotImplemented
    return object.__getattribute__(self, "__dict__") == object.__getattribute__(other, "__dict__")


def place(value) -> tuple[str, object] | None:
    """Where a record that notes its field reads was found, or None."""
    return value.__dict__.get(_PLACE) if type(value) in _NOTING_CLASSES else None


class derived:
    """Like ``functools.cached_property``, for a figure derived from the dataset: computed once,
    without noting what it reads, then tracked under '<class>.<name>' ('dataset.costs').
    A data descriptor (it refuses to be set), so every read goes through it: a value that is
    not a container is noted whole on every read, not only on the one that computes it."""

    def __init__(self, compute) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = name
        self.name = f"{owner.__name__.lower()}.{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            value = obj.__dict__[self.attribute]
        except KeyError:
            with paused():
                value = track(self.name, self.compute(obj))
            obj.__dict__[self.attribute] = value
        if not isinstance(value, TRACKED):
            note(self.name)
        return value

    def __set__(self, obj, value) -> None:
        raise AttributeError(f"{self.attribute} is derived from the dataset")
