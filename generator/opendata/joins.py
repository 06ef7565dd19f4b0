"""The database's views: the common joins, ready to read without writing SQL.

Datasette shows the name of what a key refers to beside the key in a table, but not in a query
or a view, and a reader with plain SQL gets neither. Each view here is a table with, after each
key, the name or title of the row it refers to, and after each coded column the value's Swedish
label. Every column of a view has its own Swedish title, made from the catalogue's titles of the
key and of the column shown, so that two keys that both point at a name never read the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue import Field
from .cells import Typed
from .flatten import Column

# The tables that get a view, in the order of the views.
VIEWED = ("costs", "results", "partnership_parties", "iop_assessments")
# The column a row is known by, in the order tried; label tables are known by their label.
_LABELS = ("title", "name", "heading")
LABEL = "label"


@dataclass(frozen=True)
class View:
    name: str
    title: str  # Swedish
    description: str  # Swedish
    description_en: str
    columns: tuple[Column, ...]
    sql: str


def label_table(table: str, column: Column) -> str:
    return f"label_{table}_{column.name}"


def label_column(table: Typed) -> str | None:
    """The column that names a row of the table, for Datasette and the views."""
    names = [c.name for c in table.columns]
    return next((name for name in _LABELS if name in names), None)


def views(tables: list[Typed]) -> list[View]:
    by_name = {t.name: t for t in tables}
    return [_view(by_name[name], by_name) for name in VIEWED if name in by_name]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _view(table: Typed, by_name: dict[str, Typed]) -> View:
    keys = {column: (target, key) for column, target, key in table.table.foreign_keys}
    selected: list[str] = []
    joins: list[str] = []
    columns: list[Column] = []
    shown: list[str] = []
    for column in table.columns:
        selected.append(f"t.{_q(column.name)}")
        columns.append(column)
        target = by_name.get(keys.get(column.name, ("", ""))[0])
        named = label_column(target) if target else None
        if target and named:
            alias, key = f"j{len(joins)}", keys[column.name][1]
            joins.append(f"LEFT JOIN {_q(target.name)} AS {alias} ON {alias}.{_q(key)} = "
                         f"t.{_q(column.name)}")  # fmt: skip
            extra = _named(column, target, named)
            selected.append(f"{alias}.{_q(named)} AS {_q(extra.name)}")
            columns.append(extra)
            shown.append(target.table.title)
        elif column.meaning.categories:
            alias = f"j{len(joins)}"
            joins.append(f"LEFT JOIN {_q(label_table(table.name, column))} AS {alias} ON "
                         f"{alias}.\"value\" = t.{_q(column.name)}")  # fmt: skip
            extra = _labelled(column)
            selected.append(f"{alias}.{_q(LABEL)} AS {_q(extra.name)}")
            columns.append(extra)
    sql = f"SELECT {', '.join(selected)} FROM {_q(table.name)} AS t " + " ".join(joins)
    title = table.table.title
    return View(
        f"{table.name}_with_names",
        f"{title} med namn och klartext",
        f"Tabellen {title.lower()} med namnet på det som varje rad hänvisar till "
        f"({', '.join(s.lower() for s in shown)}) och de kodade värdena i klartext.",
        f"The table {table.name} with the names of what each row refers to and the Swedish "
        "labels of its coded values.",
        tuple(columns),
        sql.strip(),
    )


def _named(key: Column, target: Typed, named: str) -> Column:
    """The name or title of the row that ``key`` refers to, titled after both."""
    shown = next(c for c in target.columns if c.name == named).meaning
    title = key.meaning.title
    field = Field(
        key.meaning.kind,
        f"{key.name.removesuffix('_id')}_{named}",
        f"{title} ({shown.title.lower()})",
        f"{shown.title} ur tabellen {target.table.title.lower()} för den rad som "
        f"{title.lower()} ({key.name}) hänvisar till.",
        f"{named} of the row in {target.name} that {key.name} refers to.",
        "string",
    )
    return Column(field.path, field)


def _labelled(column: Column) -> Column:
    title = column.meaning.title
    field = Field(
        column.meaning.kind,
        f"{column.name}_label",
        f"{title} (klartext)",
        f"{title} i klartext: den svenska benämningen av koden i kolumnen {column.name}.",
        f"The Swedish label of the code in {column.name}.",
        "string",
    )
    return Column(field.path, field)
