"""Cross-record rules of the tables: costs and results fall in their partnership's period and
count people safely, decisions are cited back by the records they concern, organisation
numbers are well formed. Each rule looks at every row once."""

from __future__ import annotations

import datetime as dt
import math
import re

from stdnum import luhn

from ..problems import Problem
from .context import Context
from .dates import describe_period, iso_date, outside
from .ids import table_page_ids
from .sections import table_sections

_ORG_NUMBER = re.compile(r"^(\d{6})-(\d{4})$")


def check_table_rules(ctx: Context) -> list[Problem]:
    """Every rule of the tables. They read the facts ``TABLE_FACTS`` besides the tables."""
    problems: list[Problem] = []
    for check in (_costs_and_results, _decisions, _organisations, table_page_ids, table_sections):
        problems += check(ctx)
    return problems


TABLE_FACTS = ("known", "periods", "cited", "sections")


def _costs_and_results(ctx: Context) -> list[Problem]:
    problems = []
    for row, line, path in ctx.rows("costs"):
        problems += _csv_partnership(ctx, row, line, path)
        period = ctx.periods.get(row["partnership_id"])
        if re.fullmatch(r"[0-9]{4}", row["year"]) and int(row["year"]) >= 1:
            year = int(row["year"])
            if outside(period, dt.date(year, 12, 31), dt.date(year, 1, 1)):
                problems.append(
                    Problem(
                        path,
                        line,
                        "year",
                        "outside-period",
                        f"{year} is outside the partnership's period "
                        f"{describe_period(period, years=True)}",
                    )
                )
    for row, line, path in ctx.rows("results"):
        problems += _csv_partnership(ctx, row, line, path)
        start, end = iso_date(row["period_start"]), iso_date(row["period_end"])
        if start and end and end < start:
            problems.append(
                Problem(path, line, "period_end", "date-order", "period_end is before period_start")
            )
        period = ctx.periods.get(row["partnership_id"])
        for name, day in (("period_start", start), ("period_end", end)):
            if day and outside(period, day, day):
                problems.append(
                    Problem(
                        path,
                        line,
                        name,
                        "outside-period",
                        f"{day} is outside the partnership's period {describe_period(period)}",
                    )
                )
        problems += _result_value(row, line, path)
    return problems


def _result_value(row: dict[str, str], line: int, path: str) -> list[Problem]:
    suppressed = row["suppressed"].strip() == "true"
    if suppressed and row["value"].strip():
        return [
            Problem(
                path,
                line,
                "value",
                "suppressed-with-value",
                "the row is suppressed, so value must be empty; delete the value",
            )
        ]
    try:
        value = float(row["value"])
    except ValueError:
        return []
    if not math.isfinite(value):
        return []  # not a number as a publication writes it: the cell checks say so
    if row["unit"] in ("persons", "count") and (value < 0 or value != int(value)):
        return [
            Problem(
                path,
                line,
                "value",
                "invalid-value",
                f"a count must be a whole number of 0 or more, not {row['value']}",
            )
        ]
    if row["unit"] == "persons" and not suppressed and 1 <= value <= 4:
        return [
            Problem(
                path,
                line,
                "value",
                "small-count-not-suppressed",
                "a count of 1 to 4 people could identify someone; empty the value and "
                "set suppressed to true (the site shows 'färre än 5')",
            )
        ]
    return []


def _csv_partnership(ctx: Context, row: dict[str, str], line: int, path: str) -> list[Problem]:
    value = row.get("partnership_id", "")
    if value and value not in ctx.known["partnerships"]:
        return [
            Problem(
                path,
                line,
                "partnership_id",
                "unknown-reference",
                f"'{value}' is not a partnership (no partnerships/{value}.yaml)",
            )
        ]
    return []


def _decisions(ctx: Context) -> list[Problem]:
    """Decisions name the partnership and question they concern; those records must cite the
    decision back, as a source or as the answer."""
    problems = []
    for row, line, path in ctx.rows("decisions"):
        problems += _csv_partnership(ctx, row, line, path)
        for column, collection in (
            ("partnership_id", "partnerships"),
            ("question_id", "questions"),
        ):
            value = row[column]
            if value and collection == "questions" and value not in ctx.known["questions"]:
                problems.append(
                    Problem(
                        path,
                        line,
                        column,
                        "unknown-reference",
                        f"'{value}' is not a question (no questions/{value}.yaml)",
                    )
                )
            cited = ctx.cited.get(collection, {}).get(value)
            if cited is not None and row["id"] not in cited:
                problems.append(
                    Problem(
                        path,
                        line,
                        column,
                        "link-mismatch",
                        f"this decision concerns {value}, but {collection}/{value}.yaml does "
                        f"not cite it; add '- decision_id: {row['id']}' to its sources",
                    )
                )
    return problems


def _organisations(ctx: Context) -> list[Problem]:
    problems = []
    for row, line, path in ctx.rows("organisations"):
        number, org_id = row["org_number"], row["org_id"]
        match = _ORG_NUMBER.match(number)
        digits = "".join(match.groups()) if match else ""
        if digits and not luhn.is_valid(digits):
            problems.append(
                Problem(
                    path,
                    line,
                    "org_number",
                    "org-number-checksum",
                    f"{number} has a wrong check digit (the last digit); "
                    "copy the number again from the source",
                )
            )
        if digits and int(digits[2]) < 2:
            problems.append(
                Problem(
                    path,
                    line,
                    "org_number",
                    "org-number-third-digit",
                    f"{number} has {digits[2]} as its third digit; an "
                    "organisationsnummer has 2 or more there (is it a "
                    "personnummer?)",
                )
            )
        expected = f"SE-ON-{digits}" if digits else ""
        if (match or not number) and org_id != expected:
            want = f"'{expected}'" if expected else "empty, since org_number is empty"
            problems.append(
                Problem(path, line, "org_id", "org-id-mismatch", f"org_id must be {want}")
            )
    return problems
