"""Cross-record rules: references in both directions, dates and periods, organisation numbers.

Each rule looks at every record once and uses dictionaries and sets for look-ups, so the work
grows linearly with the data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterator

from stdnum import luhn

from ..problems import Problem
from ..source.load import Loaded, Record, Table
from ..source.yamlload import dotted

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ORG_NUMBER = re.compile(r"^(\d{6})-(\d{4})$")


def check_rules(loaded: Loaded) -> list[Problem]:
    from .routes import check_routes  # it uses this module's helpers

    ctx = _Context(loaded)
    problems: list[Problem] = []
    for check in (
        _ids,
        _partnership_dates,
        _links,
        _costs_and_results,
        _decisions,
        _organisations,
        check_routes,
    ):
        problems += check(ctx)
    return problems


class _Context:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.partnerships = loaded.records.get("partnerships", {})
        self.questions = loaded.records.get("questions", {})
        empty = Table("", "", [])
        self.tables = {
            name: loaded.tables.get(name, empty)
            for name in ("organisations", "decisions", "costs", "results")
        }
        self.organisation_ids = {r["id"] for r in self.tables["organisations"].rows}
        self.decisions = {r["id"]: r for r in self.tables["decisions"].rows}
        # What a reference may point at. A file that could not be read has no entry, and
        # references into it are not checked, since its own problem is reported already.
        self.known: dict[str, set[str]] = {
            "partnerships": loaded.stems.get("partnerships", set()),
            "questions": loaded.stems.get("questions", set()),
        }
        if "organisations" in loaded.tables:
            self.known["organisations"] = self.organisation_ids
        if "decisions" in loaded.tables:
            self.known["decisions"] = set(self.decisions)
        self.periods = {stem: _period(rec.data) for stem, rec in self.partnerships.items()}

    def rows(self, name: str) -> Iterator[tuple[dict[str, str], int, str]]:
        table = self.tables[name]
        for row, line in zip(table.rows, table.lines, strict=True):
            yield row, line, table.path


def _ids(ctx: _Context) -> list[Problem]:
    problems = []
    for record in [*ctx.partnerships.values(), *ctx.questions.values()]:
        value = record.data.get("id")
        if isinstance(value, str) and value != record.stem:
            problems.append(
                _at(
                    record,
                    ("id",),
                    "id-mismatch",
                    f"id '{value}' differs from the file name '{record.stem}.yaml'; "
                    "make them equal (rename the file or change the id)",
                )
            )
    return problems


def _partnership_dates(ctx: _Context) -> list[Problem]:
    problems = []
    for record in ctx.partnerships.values():
        bounds = {}
        for name in ("start_date", "end_date"):
            value = record.data.get(name)
            if not isinstance(value, str) or not _PARTIAL_DATE.match(value):
                continue
            span = _span(value)
            if span is None:
                problems.append(
                    _at(
                        record,
                        (name,),
                        "invalid-date",
                        f"{value} is not a date in the calendar",
                    )
                )
            else:
                bounds[name] = span
        if len(bounds) == 2 and bounds["end_date"][1] < bounds["start_date"][0]:
            problems.append(
                _at(
                    record,
                    ("end_date",),
                    "date-order",
                    "end_date is before start_date",
                )
            )
        target = record.data.get("target_group")
        ages = [target.get(k) for k in ("age_min", "age_max")] if isinstance(target, dict) else []
        if len(ages) == 2 and all(type(a) is int for a in ages) and ages[1] < ages[0]:
            problems.append(
                _at(
                    record,
                    ("target_group", "age_max"),
                    "invalid-value",
                    f"age_max {ages[1]} is below age_min {ages[0]}",
                )
            )
        for key in ("predecessor", "successor"):
            if record.data.get(key) == record.stem:
                problems.append(
                    _at(
                        record,
                        (key,),
                        "link-mismatch",
                        f"a partnership cannot be its own {key}",
                    )
                )
        if "iop_assessment" in record.data and record.data.get("form") != "iop":
            problems.append(
                _at(
                    record,
                    ("iop_assessment",),
                    "iop-assessment-not-iop",
                    "only a partnership with form iop has an iop_assessment; "
                    "remove it or correct the form",
                )
            )
    return problems


def _links(ctx: _Context) -> list[Problem]:
    """References from YAML records, and links that both sides state."""
    problems = []
    targets = {
        "organisation_id": "organisations",
        "decision_id": "decisions",
        "predecessor": "partnerships",
        "successor": "partnerships",
    }
    for record in [*ctx.partnerships.values(), *ctx.questions.values()]:
        for path, key, value in find_keys(record.data, REFERENCE_KEYS):
            target = targets[key]
            if target in ctx.known and value not in ctx.known[target]:
                problems.append(_unresolved(record, path, value, target))
        if record.collection == "questions":
            problems += _question_links(ctx, record)
    for stem, record in ctx.partnerships.items():
        for key, back in (("successor", "predecessor"), ("predecessor", "successor")):
            other = ctx.partnerships.get(record.data.get(key))
            if other is not None and other.stem != stem and other.data.get(back) != stem:
                problems.append(
                    _at(
                        record,
                        (key,),
                        "link-mismatch",
                        f"this record names {other.stem} as its {key}, but {other.stem}.yaml "
                        f"does not name {stem} as its {back}; add '{back}: {stem}' there",
                    )
                )
    return problems


def _question_links(ctx: _Context, record: Record) -> list[Problem]:
    problems = _question_numbers(record)
    for i, stem in enumerate(record.data.get("partnerships") or []):
        if isinstance(stem, str) and stem not in ctx.known["partnerships"]:
            problems.append(_unresolved(record, ("partnerships", i), stem, "partnerships"))
    answer = record.data.get("answer")
    decision = ctx.decisions.get(answer.get("decision_id")) if isinstance(answer, dict) else None
    if decision is not None and decision["question_id"] != record.stem:
        problems.append(
            _at(
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
                _at(
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
                _at(
                    record,
                    ("answer", "per_question", i, "number"),
                    "unknown-reference",
                    f"there is no question {number} in this skrivelse",
                )
            )
    return problems


REFERENCE_KEYS = ("organisation_id", "decision_id", "predecessor", "successor")


def find_keys(
    value: object, keys: tuple[str, ...], path: tuple = ()
) -> Iterator[tuple[tuple, str, str]]:
    """(path, key, text) of every text value under one of ``keys``, anywhere in a record."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                yield (*path, key), key, item
            else:
                yield from find_keys(item, keys, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from find_keys(item, keys, (*path, i))


_WHERE = {
    "organisations": "organisations.csv",
    "decisions": "decisions.csv",
    "partnerships": "partnerships/",
    "questions": "questions/",
}


def _at(record: Record, path: tuple, code: str, message: str) -> Problem:
    """A problem at the value ``path`` of a YAML record."""
    return Problem(record.path, record.doc.line(path), dotted(path), code, message)


def _unresolved(record: Record, path: tuple, value: str, target: str) -> Problem:
    return _at(
        record,
        path,
        "unknown-reference",
        f"'{value}' is not an id in {_WHERE[target]}; correct it or add that record",
    )


def _costs_and_results(ctx: _Context) -> list[Problem]:
    problems = []
    for row, line, path in ctx.rows("costs"):
        problems += _csv_partnership(ctx, row, line, path)
        period = ctx.periods.get(row["partnership_id"])
        if row["year"].isdigit():
            year = int(row["year"])
            if _outside(period, dt.date(year, 12, 31), dt.date(year, 1, 1)):
                problems.append(
                    Problem(
                        path,
                        line,
                        "year",
                        "outside-period",
                        f"{year} is outside the partnership's period "
                        f"{_describe_period(period, years=True)}",
                    )
                )
    for row, line, path in ctx.rows("results"):
        problems += _csv_partnership(ctx, row, line, path)
        start, end = _iso(row["period_start"]), _iso(row["period_end"])
        if start and end and end < start:
            problems.append(
                Problem(path, line, "period_end", "date-order", "period_end is before period_start")
            )
        period = ctx.periods.get(row["partnership_id"])
        for name, day in (("period_start", start), ("period_end", end)):
            if day and _outside(period, day, day):
                problems.append(
                    Problem(
                        path,
                        line,
                        name,
                        "outside-period",
                        f"{day} is outside the partnership's period {_describe_period(period)}",
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
        return [Problem(path, line, "value", "invalid-value", "value must be a number")]
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


def _csv_partnership(ctx: _Context, row: dict[str, str], line: int, path: str) -> list[Problem]:
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


def _decisions(ctx: _Context) -> list[Problem]:
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
            record = ctx.loaded.records.get(collection, {}).get(value)
            if record is not None and row["id"] not in _cited(record.data):
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


def _organisations(ctx: _Context) -> list[Problem]:
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


def _period(data: dict) -> tuple[dt.date | None, dt.date | None] | None:
    """(first day, last day) of a partnership; a side is None where the date is unknown.
    None when both are unknown or the period is inverted (reported as date-order)."""
    start, end = data.get("start_date"), data.get("end_date")
    first = _span(start)[0] if isinstance(start, str) and _span(start) else None
    last = _span(end)[1] if isinstance(end, str) and _span(end) else None
    if (first is None and last is None) or (first and last and last < first):
        return None
    return first, last


def _outside(period, first: dt.date, last: dt.date) -> bool:
    """Whether [first, last] reaches outside the partnership's period."""
    return bool(period) and (
        (period[0] is not None and first < period[0])
        or (period[1] is not None and last > period[1])
    )


def _describe_period(period, years: bool = False) -> str:
    def side(day):
        return "?" if day is None else str(day.year if years else day)

    return f"{side(period[0])}–{side(period[1])}"


def _span(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    match = _PARTIAL_DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return (dt.date(year, month, day),) * 2
        if month:
            return dt.date(year, month, 1), dt.date(
                year, month, calendar.monthrange(year, month)[1]
            )
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
