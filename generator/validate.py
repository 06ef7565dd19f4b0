"""Validate stage: every check over a data folder, all problems collected and sorted."""

from __future__ import annotations

from pathlib import Path

from .files import MAX_CSV_BYTES
from .load import COLLECTIONS, ROUTES_SCHEMA, Loaded, load
from .privacy import check_privacy, mask
from .problems import Problem, sort_problems
from .rules import check_rules
from .schema import check_records
from .tables import check_tables
from .versioning import check_version


def validate(
    root: Path, shown: str | None = None, max_csv_bytes: int = MAX_CSV_BYTES
) -> list[Problem]:
    """All problems in the data folder ``root``; paths are shown under ``shown``."""
    loaded = load(root, shown, max_csv_bytes)
    return sort_problems(check_loaded(loaded))


def check_loaded(loaded: Loaded) -> list[Problem]:
    problems = list(loaded.problems)
    for collection, schema_file in COLLECTIONS.items():
        if schema_file in loaded.schemas:
            records = list(loaded.records.get(collection, {}).values())
            problems += check_records(records, loaded.schemas[schema_file])
    if loaded.routes is not None and ROUTES_SCHEMA in loaded.schemas:
        problems += check_records([loaded.routes], loaded.schemas[ROUTES_SCHEMA])
    problems += check_privacy(loaded)
    table_problems, clean = check_tables(loaded)
    problems += table_problems
    # Rules read columns by name, so they only see tables whose header is right.
    loaded.tables = {name: table for name, table in loaded.tables.items() if name in clean}
    problems += check_rules(loaded)
    problems += check_version(loaded)
    # Messages quote data; never let them repeat an identity number into a log.
    return [_masked(p) for p in problems]


def _masked(problem: Problem) -> Problem:
    message, field = mask(problem.message), mask(problem.field)
    if (message, field) == (problem.message, problem.field):
        return problem
    return Problem(problem.path, problem.line, field, problem.code, message)
