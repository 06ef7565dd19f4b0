"""Privacy guard: no personnummer or samordningsnummer may appear anywhere in the data.

A match is a run of 10 or 12 digits (with or without a separator before the last four) that
forms a real date, or a samordningsnummer's date (day plus 60), and whose last digit is the
Luhn check digit. The message never repeats the number, so it does not leak into logs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import astuple

from stdnum import luhn

from ..problems import Problem
from ..source.cache import digest
from ..source.csvfile import Table
from ..source.load import Loaded
from ..source.yamlload import YamlDoc, dotted

# Ten or twelve digits, with or without a separator (hyphen, plus, en or em dash, spaces).
_CANDIDATE = re.compile(r"(?<!\d)(\d{6}|\d{8})\s*[-+\u2013\u2014]?\s*(\d{4})(?!\d)")
MASK = "[personnummer borttaget]"
# The same without the look-arounds: a superset that Python's regex engine scans about three
# times faster, so text without any candidate is ruled out quickly.
_ANY_CANDIDATE = re.compile(r"\d{6}(?:\d\d)?\s*[-+\u2013\u2014]?\s*\d{4}")
_JOIN = "\x00"  # neither a digit, a space nor a separator, so no match spans two values


def is_identity_number(birth: str, serial: str) -> bool:
    """True for a valid personnummer or samordningsnummer (birth part YYMMDD or YYYYMMDD)."""
    if len(birth) == 8:
        if birth[:2] not in ("18", "19", "20"):
            return False
        centuries, birth = [int(birth[:2])], birth[2:]
    else:
        centuries = [19, 20]
    year, month, day = int(birth[:2]), int(birth[2:4]), int(birth[4:6])
    if day > 60:
        day -= 60  # samordningsnummer
    if not any(_is_date(c * 100 + year, month, day) for c in centuries):
        return False
    return luhn.is_valid(birth + serial)


def normalised(text: str) -> str:
    """The text as the guard reads it: compatibility forms folded (full-width digits, odd
    spaces), every kind of dash or minus written as a hyphen, and invisible characters (soft
    hyphens, zero-width spaces) dropped, so that a number written with a non-breaking hyphen
    is found too."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(c if c.isascii() else _FOLDED.get(unicodedata.category(c), c) for c in text)


# Unicode categories that ``normalised`` folds: dashes (and the minus sign, a math symbol, by
# its own entry) become a hyphen; format characters are dropped.
_FOLDED = {"Pd": "-", "Cf": ""}
_MINUS = str.maketrans({"\u2212": "-"})


def contains_identity_number(text: str) -> bool:
    text = normalised(text).translate(_MINUS)
    if not _ANY_CANDIDATE.search(text):
        return False
    return any(is_identity_number(m.group(1), m.group(2)) for m in _CANDIDATE.finditer(text))


def mask(text: str) -> str:
    """The text with every identity number replaced, for messages that quote data; text with
    none is returned as it is."""
    if not contains_identity_number(text):
        return text
    return _CANDIDATE.sub(
        lambda m: MASK if is_identity_number(m.group(1), m.group(2)) else m.group(),
        normalised(text).translate(_MINUS),
    )


def check_document_privacy(loaded: Loaded) -> list[Problem]:
    """Values and keys in the descriptor, the routes and the schemas. (The records are checked
    one by one with check_yaml_privacy, so that unchanged ones can come from the cache.)"""
    problems = []
    documents = []
    if loaded.descriptor_doc is not None:
        documents.append((loaded.show("datapackage.yaml"), loaded.descriptor_doc))
    if loaded.routes is not None:
        documents.append((loaded.routes.path, loaded.routes.doc))
    for path, doc in documents:
        problems += check_yaml_privacy(path, doc)
    for name, schema in loaded.schemas.items():
        for where, text in _strings(schema, ()):
            if contains_identity_number(text):
                problems.append(_found(loaded.show(f"schemas/{name}"), 0, dotted(where)))
    return problems


def check_yaml_privacy(path: str, doc: YamlDoc) -> list[Problem]:
    """Values and keys in one YAML document."""
    # Most files hold no candidate at all: one scan of all their text, joined by a character
    # that no match can span, rules them out before the per-value scan that says where.
    strings = list(_strings(doc.data, ()))
    if not contains_identity_number(doc.text) and not contains_identity_number(
        _JOIN.join(text for _, text in strings)
    ):
        return []
    found = [
        _found(path, doc.line(where), dotted(where))
        for where, text in strings
        if contains_identity_number(text)
    ]
    # What no value holds, a comment may: the source is public in the repository.
    told = {p.line for p in found}
    for number, line in enumerate(doc.text.split("\n"), start=1):
        if number not in told and contains_identity_number(line):
            found.append(_found(path, number, ""))
    return found


def check_table_privacy(loaded: Loaded) -> list[Problem]:
    """Cells and headers in the CSV tables. A table whose path and text were checked before
    takes its findings from the cache."""
    problems = []
    for table in loaded.tables.values():
        key = digest("privacy", table.key)
        cached = loaded.cache.get(key) if table.key else None
        if cached is None:
            cached = [astuple(p) for p in _table_findings(table)]
            if table.key:
                loaded.cache.put(key, cached)
        problems += [Problem(*p) for p in cached]
    return problems


def _table_findings(table: Table) -> list[Problem]:
    problems = []
    for column in table.header:
        if contains_identity_number(column):
            problems.append(_found(table.path, 1, ""))
    cells = (cell for row in table.rows for cell in row.values())
    if not contains_identity_number(_JOIN.join(cells)):
        return problems
    for row, line in zip(table.rows, table.lines, strict=True):
        for name, cell in row.items():
            if contains_identity_number(cell):
                problems.append(_found(table.path, line, name))
    return problems


def _found(path: str, line: int, field: str) -> Problem:
    return Problem(
        path,
        line,
        mask(field),
        "personal-identity-number",
        "contains what looks like a personnummer or samordningsnummer (a real date "
        "and a valid check digit); personal identity numbers must never be "
        "published: remove it",
    )


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), str(key)
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))
    elif isinstance(value, str | int) and not isinstance(value, bool):
        yield path, str(value)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
