"""Validate stage: every check over a data folder, all problems collected and sorted."""

from __future__ import annotations

import json
from dataclasses import astuple
from pathlib import Path

from .. import catalogue
from ..parallel import at_once, in_background
from ..problems import Problem, sort_problems
from ..source.cache import digest
from ..source.files import MAX_CSV_BYTES
from ..source.load import ROUTES_SCHEMA, Loaded, load
from .context import Context
from .descriptor import check_descriptor
from .privacy import check_document_privacy, check_table_privacy, check_yaml_privacy, mask
from .routes import check_routes
from .rules import check_rules
from .schema import check_records, schema_error
from .spreadsheet import formula_problems
from .tables import check_tables
from .versioning import check_version


def validate(
    root: Path,
    shown: str | None = None,
    max_csv_bytes: int = MAX_CSV_BYTES,
    parallel: bool = False,
) -> list[Problem]:
    """All problems in the data folder ``root``; paths are shown under ``shown``."""
    loaded = load(root, shown, max_csv_bytes)
    return sort_problems(check_loaded(loaded, parallel))


def check_loaded(loaded: Loaded, parallel: bool = False) -> list[Problem]:
    """Every check. With ``parallel`` the YAML documents are checked in a second process
    while this one checks the tables (see parallel.py for when that is safe)."""
    problems = list(loaded.problems)
    fields = catalogue.build(loaded.descriptor, loaded.schemas)
    documents = (in_background if parallel else at_once)(_check_documents, loaded, fields)
    problems += check_descriptor(loaded)
    if loaded.descriptor is None:
        loaded.tables = {}  # nothing to check them against
    problems += check_table_privacy(loaded)
    table_problems, clean = check_tables(loaded, fields)
    problems += table_problems
    # Rules read columns by name, so they only see tables whose header is right.
    loaded.tables = {name: table for name, table in loaded.tables.items() if name in clean}
    problems += check_version(loaded)
    document_problems, used = documents()
    loaded.cache.used.update(used)
    problems += document_problems
    # The rules compare records with each other, so they see only the YAML records whose shape
    # is right: a list where one id belongs, say, is reported by the schema check instead.
    # (CSV cells are always text, and the rules read them as such.)
    misshapen = {p.path for p in document_problems if p.code != "personal-identity-number"}
    context = Context(loaded, misshapen)
    problems += check_rules(context) + check_routes(context)
    # Messages quote data; never let them repeat an identity number into a log.
    return [_masked(p) for p in problems]


def _check_documents(loaded: Loaded, fields: catalogue.Catalogue) -> tuple[list[Problem], dict]:
    """The YAML records and routes against their schemas, and every document for identity
    numbers. Records whose text and schema were checked before take their findings from the
    cache. Returns the problems and the cache entries used (which a forked process hands
    back)."""
    problems = []
    for collection, kind in catalogue.COLLECTIONS.items():
        schema = loaded.schemas.get(kind.schema)
        version = digest(json.dumps(schema, sort_keys=True))
        unchecked = []
        for record in loaded.records.get(collection, {}).values():
            cached = loaded.cache.get(digest("checks", record.key, version))
            if cached is None:
                unchecked.append(record)
            else:
                problems += [Problem(*p) for p in cached]
        found: dict[str, list[Problem]] = {r.path: [] for r in unchecked}
        for problem in _schema_problems(unchecked, schema, fields, kind.key):
            found[problem.path].append(problem)
        for record in unchecked:
            new = found[record.path] + check_yaml_privacy(record.path, record.doc)
            new += formula_problems(record.path, record.doc)
            loaded.cache.put(digest("checks", record.key, version), [astuple(p) for p in new])
            problems += new
    routes = loaded.schemas.get(ROUTES_SCHEMA)
    if loaded.routes is not None:
        problems += _schema_problems([loaded.routes], routes, fields, catalogue.KIND["guide"].key)
        problems += formula_problems(loaded.routes.path, loaded.routes.doc)
    problems += check_document_privacy(loaded)
    return problems, loaded.cache.used


def _schema_problems(records, schema, fields, kind: str) -> list[Problem]:
    """Only a schema that is itself valid can check records; an invalid one is reported as
    such by the descriptor checks."""
    if not records or not isinstance(schema, dict) or schema_error(schema):
        return []
    return check_records(records, schema, fields, kind)


def _masked(problem: Problem) -> Problem:
    message, field = mask(problem.message), mask(problem.field)
    if (message, field) == (problem.message, problem.field):
        return problem
    return Problem(problem.path, problem.line, field, problem.code, message)
