"""The Datasette metadata published beside the database, in Swedish.

``datasette insyn-i-samverkan.sqlite -m insyn-i-samverkan.metadata.json`` then shows the
database's title, description, licence and source; every table's and view's Swedish title and
description; every column's Swedish title and description (and its allowed values with their
labels) from the field catalogue; the column that names a row of each table, so that a key is
shown with the name of what it refers to; and a search box on each table with a full-text
index. The label tables are hidden from the list of tables, but Datasette still uses them to
show the label beside each code.
"""

from __future__ import annotations

import json

from ..catalogue import KIND
from .cells import Typed
from .database import SEARCH_ALL, SEARCHED, fts_table, primary_key
from .flatten import Column
from .joins import LABEL, View, label_column, label_table, views

_NOTE = (
    "I databasen är ett värde som källorna inte anger tomt (NULL), och radens kolumn "
    "unknown_reasons säger vilket fält som är okänt och varför. Tal är tal och datum är text i "
    "formen ÅÅÅÅ-MM-DD. Ett datum som källan bara anger som år eller månad står som källan "
    "skriver det, med två kolumner till för den första och den sista dag det kan avse. Varje "
    "kodad kolumn har en tabell med de svenska benämningarna (label_<tabell>_<kolumn>), och "
    "tabellen data_dictionary beskriver varje tabell och kolumn."
)
_DICTIONARY = {
    "title": "Kolumnernas betydelse",
    "description": "Varje tabells, vys och kolumns svenska titel och beskrivning, den "
    "engelska beskrivningen och typen. En rad utan kolumnnamn beskriver tabellen själv.",
    "columns": {
        "table_name": "Tabell: tabellens eller vyns namn i databasen.",
        "column_name": "Kolumn: kolumnens namn i databasen, tomt för tabellen själv.",
        "title": "Titel: den svenska titeln.",
        "description": "Beskrivning: den svenska beskrivningen.",
        "description_en": "Beskrivning på engelska.",
        "type": "Typ: typen som kod (Table Schema).",
        "type_name": "Typ i klartext.",
    },
}


def metadata_json(typed: list[Typed], descriptor: dict, database: str) -> bytes:
    """Datasette's metadata for the database file ``<database>.sqlite`` made from ``typed``."""
    tables: dict[str, dict] = {}
    for table in typed:
        tables[table.name] = _table(table)
        for column in table.columns:
            if column.meaning.categories:
                tables[label_table(table.name, column)] = _labels(table, column)
    for view in views(typed):
        tables[view.name] = _view(view)
    tables["data_dictionary"] = {**_DICTIONARY, "label_column": "title"}
    tables["search"] = _search(typed)
    about = _about(descriptor)
    metadata = {
        **about,
        "databases": {
            database: {"title": about["title"], "description": _NOTE, "tables": tables},
        },
    }
    text = json.dumps(metadata, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _about(descriptor: dict) -> dict[str, str]:
    """Title, description, licence and source of the whole, from the data package."""
    about = {
        "title": str(descriptor.get("title", "")),
        "description": " ".join(str(descriptor.get("description", "")).split()),
    }
    licences = [x for x in descriptor.get("licenses") or [] if isinstance(x, dict)]
    if licences:
        about["license"] = str(licences[0].get("name", ""))
        about["license_url"] = str(licences[0].get("path", ""))
    publishers = [
        c for c in descriptor.get("contributors") or []
        if isinstance(c, dict) and "publisher" in (c.get("roles") or [])
    ]  # fmt: skip
    if publishers:
        about["source"] = str(publishers[0].get("title", ""))
    if descriptor.get("homepage"):
        about["source_url"] = str(descriptor["homepage"])
    return about


def column_text(column: Column) -> str:
    """A column's Swedish title and description, and its allowed values with labels."""
    meaning = column.meaning
    text = f"{meaning.title}: {meaning.description}" if meaning.description else meaning.title
    if meaning.categories:
        allowed = "; ".join(f"{c.label} ({c.value})" for c in meaning.categories)
        text += f" Tillåtna värden: {allowed}."
    return text


def _table(table: Typed) -> dict[str, object]:
    spec: dict[str, object] = {
        "title": table.table.title,
        "description": table.table.description,
    }
    named = label_column(table)
    if named:
        spec["label_column"] = named
    if table.name in SEARCHED:
        spec["fts_table"] = fts_table(table.name)
        if not primary_key(table):
            spec["fts_pk"] = "rowid"
    spec["columns"] = {c.name: column_text(c) for c in table.columns}
    return spec


def _labels(table: Typed, column: Column) -> dict[str, object]:
    title = column.meaning.title
    return {
        "title": f"{title} i klartext ({table.table.title.lower()})",
        "description": f"De tillåtna värdena i kolumnen {column.name} i tabellen "
        f"{table.table.title.lower()} och deras svenska benämningar.",
        "label_column": LABEL,
        "hidden": True,
        "columns": {
            "value": f"Kod: värdet så som det står i kolumnen {column.name}.",
            LABEL: f"Benämning: {title.lower()} i klartext.",
        },
    }


def _view(view: View) -> dict[str, object]:
    return {
        "title": view.title,
        "description": view.description,
        "columns": {c.name: column_text(c) for c in view.columns},
    }


def _search(typed: list[Typed]) -> dict[str, object]:
    titles = {t.name: t.table.title.lower() for t in typed}
    searched = [titles[name] for _, name, _, _ in SEARCH_ALL if name in titles]
    kinds = "; ".join(f"{KIND[kind].name} ({kind})" for kind, _, _, _ in SEARCH_ALL)
    return {
        "title": "Sök i flera tabeller",
        "description": f"Ett sökindex över flera tabeller på en gång: {', '.join(searched)}. "
        "Varje sådan tabell har också en egen sökruta.",
        "label_column": "title",
        "columns": {
            "kind": f"Sort: vilken sorts post raden gäller. Tillåtna värden: {kinds}.",
            "id": "Id: postens id i sin tabell.",
            "title": "Rubrik: postens namn eller rubrik.",
            "text": "Text: den text som söks, till exempel beskrivning och mål.",
        },
    }
