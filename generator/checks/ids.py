"""Ids that can be addresses: every record with a page of its own (partnerships, skrivelser,
organisations, documents, routes) needs an id short enough for a file name and different from
the other pages of its section (an organisation called "index" would replace the list)."""

from __future__ import annotations

from ..catalogue import COLLECTIONS, KIND, MAX_ID
from ..problems import Problem
from ..source.load import Record
from ..source.yamlload import dotted
from .context import Context, at


def record_page_id(record: Record) -> list[Problem]:
    """A partnership or skrivelse has an id that can be its address."""
    message = _unusable_id(KIND[COLLECTIONS[record.collection].key], record.stem)
    return [at(record, ("id",), "invalid-value", message)] if message else []


def table_page_ids(ctx: Context) -> list[Problem]:
    """Organisations and decisions have ids that can be their addresses."""
    found = []
    for kind, table in (("organisation", "organisations"), ("decision", "decisions")):
        found += [(kind, row["id"], path, line, ()) for row, line, path in ctx.rows(table)]
    return _problems(found)


def route_page_ids(ctx: Context) -> list[Problem]:
    """The guide's routes have ids that can be their addresses."""
    found = []
    routes = ctx.routes.data.get("routes") if ctx.routes else None
    for i, route in enumerate(routes if isinstance(routes, list) else []):
        if isinstance(route, dict) and isinstance(route.get("id"), str):
            where = ("routes", i, "id")
            found.append(("guide", route["id"], ctx.routes.path, ctx.routes.doc.line(where), where))
    return _problems(found)


def _problems(found: list[tuple[str, str, str, int, tuple]]) -> list[Problem]:
    """From (kind, id, path, line, field path) of each id, the problems of the unusable."""
    problems = []
    for kind, value, path, line, where in found:
        message = _unusable_id(KIND[kind], value)
        if message:
            problems.append(Problem(path, line, dotted(where) or "id", "invalid-value", message))
    return problems


def _unusable_id(kind, value: str) -> str:
    if len(value) > MAX_ID:
        return (
            f"the id is {len(value)} characters long; at most {MAX_ID} are allowed, since it "
            "becomes the address of the record's page"
        )
    if value in kind.reserved:
        return (
            f"'{value}' is the name of another page in the section /{kind.section}/; "
            "choose another id"
        )
    return ""
