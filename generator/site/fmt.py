"""Swedish formatting and escaping for the pages: Babel for numbers and dates, plain-language
labels for coded values, and escaping of every text that comes from data."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from ..model.records import PartialDate, Unknown

LOCALE = "sv_SE"

LABELS: dict[str, dict[str, str]] = {
    "form": {
        "iop": "Idéburet offentligt partnerskap (IOP)",
        "esf_project": "ESF-projekt",
        "association_collaboration": "Samverkan med förening",
        "grant": "Bidrag",
        "procurement": "Upphandling",
        "pilot": "Försöksverksamhet",
        "other": "Annan form",
    },
    "status": {"planned": "Planerat", "active": "Pågår", "ended": "Avslutat"},
    "role": {
        "public_party": "Offentlig part",
        "partner": "Idéburen part",
        "implementer": "Genomför verksamheten",
        "project_owner": "Projektägare",
        "funder": "Finansiär",
        "co_financier": "Medfinansiär",
        "other": "Annan roll",
    },
    "finding": {
        "met": "Uppfyllt",
        "not_met": "Inte uppfyllt",
        "not_stated": "Inte prövat i källan",
    },
    "outcome": {
        "approved": "Bifall",
        "rejected": "Avslag",
        "referred_back": "Återremiss",
        "not_applicable": "Inget beslut (handlingen är inte ett beslut)",
    },
    "kind": {"budget": "Budget", "outcome": "Utfall"},
    "org_type": {
        "municipality": "Kommun",
        "government_agency": "Statlig myndighet",
        "non_profit": "Idéburen organisation",
        "company": "Företag",
        "eu_fund": "EU-fond",
        "other": "Annan",
    },
    "decision_type": {
        "beslut": "Beslut",
        "tjänsteutlåtande": "Tjänsteutlåtande",
        "skrivelse": "Skrivelse",
        "protokollsutdrag": "Protokollsutdrag",
        "avtal": "Avtal",
    },
    "unit": {"persons": "personer", "percent": "procent", "sek": "kronor", "count": "st."},
}

UNKNOWN_TEXT = "Uppgift saknas"


def label(kind: str, value: object) -> str:
    if isinstance(value, Unknown):
        return UNKNOWN_TEXT
    return LABELS[kind].get(str(value), str(value))


def number(value: float | int) -> str:
    """1 400 000, 12,5 (Swedish separators, no trailing zeros)."""
    return format_decimal(value, format="#,##0.##", locale=LOCALE)


def sek(amount: int) -> str:
    return f"{number(amount)}\u00a0kr"


def mnkr(amount: int) -> str:
    return f"{format_decimal(amount / 1_000_000, format='#,##0.#', locale=LOCALE)}\u00a0mnkr"


def date_text(value: dt.date | PartialDate | Unknown | None) -> str:
    """'11 november 2025', 'december 2025', '2021', or 'Uppgift saknas'."""
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


def date_iso(value: dt.date | PartialDate | Unknown | None) -> str:
    if value is None or isinstance(value, Unknown):
        return UNKNOWN_TEXT
    return value.iso() if isinstance(value, PartialDate) else value.isoformat()


# --- escaping ------------------------------------------------------------------------------

# Characters that mean something to Markdown (with the tables extension) or HTML. They are
# written as numeric character references, which the browser shows as the character itself and
# which neither Markdown nor HTML treats as syntax, so one escape serves in Markdown text, in
# raw HTML blocks and in attribute values alike.
_SPECIAL = re.compile(r"""[\\`*_{}\[\]()#+\-.!|~<>&"']""")
_SPACE = re.compile(r"[ \t\r\n]+")


def md(value: object) -> Markup:
    """Text from data, made inert for Markdown and HTML, on one line."""
    if isinstance(value, Markup):
        return value
    text = _SPACE.sub(" ", str(value)).strip()
    return Markup(_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text))


def url(value: str) -> Markup:
    """A URL from data as a Markdown link target: characters that would end the target or
    break out of HTML are percent-encoded. Only https links are accepted by the schemas."""
    return Markup(quote(str(value), safe="/:?=&#%+,;@~!*$'-._"))


def finalize(value: object) -> object:
    """Jinja's finalize: every expression is escaped unless a filter marked it safe."""
    if value is None:
        raise ValueError("a template printed None; use a default or a condition")
    return md(value)
