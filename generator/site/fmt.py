"""Swedish formatting and escaping for the pages: Babel for numbers and dates, and escaping of
every text that comes from data. (The labels of coded values come from the field catalogue.)"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import quote

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from ..catalogue import UNKNOWN_LABEL
from ..model.records import PartialDate, Unknown

# Parsed once: Babel parses a locale given by name again on every call.
LOCALE = Locale.parse("sv_SE")

UNKNOWN_TEXT = UNKNOWN_LABEL


def label(field, value: object) -> str:
    """The Swedish label of a coded value, or 'Uppgift saknas' for an unknown one."""
    if isinstance(value, Unknown):
        return UNKNOWN_TEXT
    return field.label(value) if field is not None else str(value)


def number(value: float | int) -> str:
    """1 400 000, 12,5 (Swedish separators, no trailing zeros)."""
    if type(value) is int and value >= 0:
        # What Babel writes for a whole number in Swedish, without its cost on every page:
        # groups of three split by a no-break space (a test compares the two).
        return f"{value:,}".replace(",", "\u00a0")
    return format_decimal(value, format="#,##0.##", locale=LOCALE)


def sek(amount: int) -> str:
    return f"{number(amount)}\u00a0kr"


def mnkr(amount: int) -> str:
    return f"{format_decimal(amount / 1_000_000, format='#,##0.#', locale=LOCALE)}\u00a0mnkr"


@lru_cache(maxsize=1 << 14)
def date_text(value: dt.date | PartialDate | Unknown | None) -> str:
    """'11 november 2025', 'december 2025', '2021', or 'Uppgift saknas'. Every page writes
    dates from the same few thousand, so each is formatted once (Babel's cost is per call)."""
    if value is None or isinstance(value, Unknown):
        return UNKNOWN_TEXT
    if isinstance(value, PartialDate):
        if value.day:
            value = value.first
        elif value.month:
            return format_date(value.first, "LLLL y", locale=LOCALE)
        else:
            return str(value.year)
    return format_date(value, "d MMMM y", locale=LOCALE)


def month_text(value: dt.date) -> str:
    """'November 2026', for a heading."""
    text = format_date(value, "LLLL y", locale=LOCALE)
    return text[:1].upper() + text[1:]


def date_iso(value: dt.date | PartialDate | Unknown | None) -> str:
    if value is None or isinstance(value, Unknown):
        return UNKNOWN_TEXT
    return value.iso() if isinstance(value, PartialDate) else value.isoformat()


def date_iso_html(value: dt.date | PartialDate | Unknown | None) -> Markup:
    """An ISO date for a page, kept on one line: a browser would otherwise break it at a
    hyphen, splitting it across lines."""
    text = date_iso(value)
    if value is None or isinstance(value, Unknown):
        return md(text)
    return Markup(f'<span class="portal-nowrap">{md(text)}</span>')


# --- escaping ------------------------------------------------------------------------------

# Characters that mean something to Markdown (with the tables extension) or HTML. They are
# written as numeric character references, which the browser shows as the character itself and
# which neither Markdown nor HTML treats as syntax, so one escape serves in Markdown text, in
# raw HTML blocks and in attribute values alike.
_SPECIAL = "\\`*_{}[]()#+-.!|~<>&\"'"
_ESCAPED = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})
_SPACE = re.compile(r"[ \t\r\n]+")


def md(value: object) -> Markup:
    """Text from data, made inert for Markdown and HTML, on one line."""
    if isinstance(value, Markup):
        return value
    return _inert(str(value))


@lru_cache(maxsize=1 << 16)
def _inert(text: str) -> Markup:
    # Cached: the pages repeat the same names, titles and labels many thousand times.
    return Markup(_SPACE.sub(" ", text).strip().translate(_ESCAPED))


def url(value: str) -> Markup:
    """A URL from data as a Markdown link target: characters that would end the target or
    break out of HTML are percent-encoded. Only https links are accepted by the schemas."""
    return Markup(quote(str(value), safe="/:?=&#%+,;@~!*$'-._"))


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def anchor(value: str) -> Markup:
    """A heading's own id, for its ``id`` attribute; only a checked slug can be one."""
    if not _SLUG.fullmatch(value):
        raise ValueError(f"not an id for an anchor: {value!r}")
    return Markup(value)


def lines(value: str) -> Markup:
    """Text from data that keeps its line breaks (written as &#10;, for a textarea)."""
    return Markup("&#10;").join(
        md(line) if line.strip() else Markup("") for line in value.split("\n")
    )


def finalize(value: object) -> object:
    """Jinja's finalize: every expression is escaped unless a filter marked it safe."""
    if value is None:
        raise ValueError("a template printed None; use a default or a condition")
    return md(value)
