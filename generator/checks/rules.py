"""Cross-record rules: references in both directions, dates and periods, ids and sections.

Each rule looks at every record once and uses dictionaries and sets for look-ups, so the work
grows linearly with the data. What the rules find in a record, and in the tables, is kept in the
check cache by the record's (or tables') text and the facts the rules read besides it (see
``Context.depends``): a save that changes one record checks that record again, and the tables
only where a fact they read changed.
"""

from __future__ import annotations

from dataclasses import astuple

from ..catalogue import REFERENCES
from ..problems import Problem
from ..source.load import Record
from .context import REFERENCE_KEYS, Context, at, find_keys, holder, unresolved
from .dates import PARTIAL_DATE, span
from .ids import record_page_id, route_page_ids
from .sections import document_problems, guide_sections, record_sections
from .tablerules import TABLE_FACTS, check_table_rules

# What the rules of a record read besides the record.
RECORD_FACTS = ("known", "answers", "sections")


def check_rules(ctx: Context) -> list[Problem]:
    problems = _records(ctx) + _back_links(ctx) + guide_sections(ctx) + route_page_ids(ctx)
    version = ctx.depends(*TABLE_FACTS)
    keys = [table.key for _, table in sorted(ctx.tables.items())]
    found = ctx.kept(lambda: [astuple(p) for p in check_table_rules(ctx)], "tables", version, *keys)
    return problems + [Problem(*p) for p in found]


def _records(ctx: Context) -> list[Problem]:
    """The rules of every partnership, skrivelse and document; fills in ``ctx.cited``."""
    version = ctx.depends(*RECORD_FACTS)
    problems = []
    for collection in ("partnerships", "questions", "documents"):
        cited = ctx.cited.setdefault(collection, {}) if collection != "documents" else {}
        for stem, record in getattr(ctx, collection).items():
            found, cited[stem] = ctx.kept(
                lambda record=record: _record(ctx, record), "record", version, record.key
            )
            problems += [Problem(*p) for p in found]
    return problems


def _record(ctx: Context, record: Record) -> tuple[list[tuple], list[str]]:
    """What the rules find in one record (as plain data), and the decisions it cites."""
    if record.collection == "documents":
        return [astuple(p) for p in _id_mismatch(record) + document_problems(ctx, record)], []
    problems = _id_mismatch(record) + record_page_id(record) + _references(ctx, record)
    problems += record_sections(ctx, record)
    if record.collection == "partnerships":
        problems += _period_problems(record) + _record_consistency(record)
    else:
        problems += _question_links(ctx, record)
    cited = sorted({value for _, _, value in find_keys(record.data, ("decision_id",))})
    return [astuple(p) for p in problems], cited


def _id_mismatch(record: Record) -> list[Problem]:
    value = record.data.get("id")
    if isinstance(value, str) and value != record.stem:
        return [
            at(
                record,
                ("id",),
                "id-mismatch",
                f"id '{value}' differs from the file name '{record.stem}.yaml'; "
                "make them equal (rename the file or change the id)",
            )
        ]
    return []


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


def _references(ctx: Context, record: Record) -> list[Problem]:
    """The references of a partnership or skrivelse point at records that exist."""
    problems = []
    for path, key, value in find_keys(record.data, REFERENCE_KEYS):
        target = holder(REFERENCES[key])
        if target in ctx.known and value not in ctx.known[target]:
            problems.append(unresolved(record, path, value, target))
    return problems


def _back_links(ctx: Context) -> list[Problem]:
    """Links between partnerships that both sides state."""
    problems = []
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
