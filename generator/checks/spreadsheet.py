"""Text a spreadsheet would run: a value that begins with =, +, -, @, a tab or a carriage
return becomes a live formula when a CSV file or a workbook is opened in Excel (OWASP "CSV
injection"). Such text is refused where an editor writes it, so every download holds exactly
the checked data and none of it runs; the workbook writer also stores all text as text."""

from __future__ import annotations

import re

from ..problems import Problem
from ..source.yamlload import YamlDoc, dotted

FORMULA_START = re.compile(r"[=+\-@\t\r]")

MESSAGE = (
    "the text begins with {char!r}, which Excel runs as a formula when the downloaded file is "
    "opened; begin it with a word or a number instead (an en dash – is fine for a list)"
)


def is_formula(text: str) -> bool:
    return bool(FORMULA_START.match(text))


def formula_problems(path: str, doc: YamlDoc) -> list[Problem]:
    """Text values of a YAML document that begin like a formula."""
    return [
        Problem(path, doc.line(where), dotted(where), "spreadsheet-formula", message(text))
        for where, text in _texts(doc.data, ())
        if is_formula(text)
    ]


def message(text: str) -> str:
    return MESSAGE.format(char=text[0])


def _texts(value: object, path: tuple):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))
    elif isinstance(value, str):
        yield path, value
