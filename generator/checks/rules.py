"""Cross-record rules: references in both directions, dates and periods, organisation numbers.

Each rule looks at every record once and uses dictionaries and sets for look-ups, so the work
grows linearly with the data.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from stdnum import luhn

from ..catalogue import REFERENCES
from ..problems import Problem
from ..source.load import Record
from .context import REFERENCE_KEYS, Context, at, find_keys, holder, unresolved
from .dates import PARTIAL_DATE, describe_period, iso_date, outside, span
from .ids import check_page_ids
from .sections import check_sections

_ORG_NUMBER = re.compile(r"^(\d{6})-(\d{4})$")


def check_rules(ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    for check in (
        _ids,
        _partnership_dates,
        _links,
        _costs_and_results,
        _decisions,
        _organisations,
        check_page_ids,
        check_sections,
    ):
        problems += check(ctx)
    return problems


def _ids(ctx: Context) -> list[Problem]:
    problems = []
    for record in [*ctx.partnerships.values(), *ctx.questions.values(), *ctx.documents.values()]:
        value = record.data.get("id")
        if isinstance(value, str) and value != record.stem:
            problems.append(
                at(
                    record,
                    ("id",),
                    "id-mismatch",
                    f"id '{value}' differs from the file name '{record.stem}.yaml'; "
                    "make them equal (rename the file or change the id)",
                )
            )
    return problems


def _partnership_dates(ctx: Context) -> list[Problem]:
    problems = []
    for record in ctx.partnerships.values():
        problems += _period_problems(record) + _record_consistency(record)
    return problems


def _period_problems(record: Record) -> list[Problem]:
    """Start and end are dates in the calendar, and the end is not before the start."""
    problems = []
    bounds = {}
    for name in ("start_date", "end_date"):
        value = record.data.get(name)
        if not isinstance(value, str) or not PARTIAL_DATE.match(value):
            continue
        bound = span(value)
        if bound is None:
            problems.append(
                at(record, (name,), "invalid-date", f"{value} is not a date in the calendar")
            )
        else:
            bounds[name] = bound
    if len(bounds) == 2 and bounds["end_date"][1] < bounds["start_date"][0]:
        problems.append(at(record, ("end_date",), "date-order", "end_date is before start_date"))
    return problems


def _record_consistency(record: Record) -> list[Problem]:
    """Ages in order, no partnership its own predecessor, an assessment only for an IOP."""
    problems = []
    target = record.data.get("target_group")
    ages = [target.get(k) for k in ("age_min", "age_max")] if isinstance(target, dict) else []
    if len(ages) == 2 and all(type(a) is int for a in ages) and ages[1] < ages[0]:
        problems.append(
            at(
                record,
                ("target_group", "age_max"),
                "invalid-value",
                f"age_max {ages[1]} is below age_min {ages[0]}",
            )
        )
    for key in ("predecessor", "successor"):
        if record.data.get(key) == record.stem:
            problems.append(
                at(record, (key,), "link-mismatch", f"a partnership cannot be its own {key}")
            )
    if "iop_assessment" in record.data and record.data.get("form") != "iop":
        problems.append(
            at(
                record,
                ("iop_assessment",),
                "iop-assessment-not-iop",
                "only a partnership with form iop has an iop_assessment; "
                "remove it or correct the form",
            )
        )
    return problems


def _links(ctx: Context) -> list[Problem]:
    """References from YAML records, and links that both sides state."""
    problems = []
    for record in [*ctx.partnerships.values(), *ctx.questions.values()]:
        for path, key, value in find_keys(record.data, REFERENCE_KEYS):
            target = holder(REFERENCES[key])
            if target in ctx.known and value not in ctx.known[target]:
                problems.append(unresolved(record, path, value, target))
        if record.collection == "questions":
            problems += _question_links(ctx, record)
    for stem, record in ctx.partnerships.items():
        for key, back in (("successor", "predecessor"), ("predecessor", "successor")):
            other = ctx.partnerships.get(record.data.get(key))
            if other is not None and other.stem != stem and other.data.get(back) != stem:
                problems.append(
                    at(
                        record,
                        (key,),
                        "link-mismatch",
                        f"this record names {other.stem} as its {key}, but {other.stem}.yaml "
                        f"does not name {stem} as its {back}; add '{back}: {stem}' there",
                    )
                )
    return problems


def _question_links(ctx: Context, record: Record) -> list[Problem]:
    problems = _question_numbers(record)
    for i, stem in enumerate(record.data.get("partnerships") or []):
        if isinstance(stem, str) and stem not in ctx.known["partnerships"]:
            problems.append(unresolved(record, ("partnerships", i), stem, "partnerships"))
    answer = record.data.get("answer")
    decision = ctx.decisions.get(answer.get("decision_id")) if isinstance(answer, dict) else None
    if decision is not None and decision["question_id"] != record.stem:
        problems.append(
            at(
                record,
                ("answer", "decision_id"),
                "link-mismatch",
                f"decision {decision['id']} answers this question, but its "
                f"question_id in decisions.csv is '{decision['question_id']}'; set it to "
                f"{record.stem}",
            )
        )
    return problems


def _question_numbers(record: Record) -> list[Problem]:
    problems = []
    seen: set[int] = set()
    for i, item in enumerate(record.data.get("questions") or []):
        number = item.get("number") if isinstance(item, dict) else None
        if number in seen:
            problems.append(
                at(
                    record,
                    ("questions", i, "number"),
                    "invalid-value",
                    f"question {number} appears twice; number the questions 1, 2, 3 …",
                )
            )
        seen.add(number)
    answer = record.data.get("answer")
    per_question = answer.get("per_question") if isinstance(answer, dict) else None
    for i, item in enumerate(per_question or []):
        number = item.get("number") if isinstance(item, dict) else None
        if isinstance(number, int) and number not in seen:
            problems.append(
                at(
                    record,
                    ("answer", "per_question", i, "number"),
                    "unknown-reference",
                    f"there is no question {number} in this skrivelse",
                )
            )
    return problems


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
    cited: dict[str, set[str]] = {}  # the decisions each record cites, by its path
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
            record = {"partnerships": ctx.partnerships, "questions": ctx.questions}[collection].get(
                value
            )
            if record is None:
                continue
            if record.path not in cited:
                cited[record.path] = _cited(record.data)
            if row["id"] not in cited[record.path]:
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


def _cited(data: dict) -> set[str]:
    return {value for _, _, value in find_keys(data, ("decision_id",))}


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
