"""JSON Schema checks of the YAML records, with findings in the editor's terms."""

from __future__ import annotations

import difflib
import functools
import json
from typing import TYPE_CHECKING

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match

from ..catalogue import Catalogue
from ..problems import Problem
from ..source.yamlload import dotted

if TYPE_CHECKING:
    from ..source.load import Record


def schema_error(schema: object) -> str:
    """Why ``schema`` is not a valid JSON Schema ("" if it is). A preview asks at every save,
    so the answer is kept for each schema's text."""
    return _schema_error(json.dumps(schema, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _schema_error(text: str) -> str:
    try:
        Draft202012Validator.check_schema(json.loads(text))
    except SchemaError as exc:
        return exc.message
    return ""


def check_records(
    records: list[Record], schema: dict, fields: Catalogue | None = None, kind: str = ""
) -> list[Problem]:
    """Problems of each record against ``schema``. With the catalogue ``fields`` and the
    records' ``kind``, messages about allowed values also give each value's Swedish label."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    fields = fields or Catalogue()
    problems: list[Problem] = []
    for record in records:
        for error in validator.iter_errors(record.data):
            for specific in _specific(error):
                problems += _problems(record, specific, fields, kind)
    return problems


def _specific(error: ValidationError) -> list[ValidationError]:
    """For anyOf (a value or {unknown: ...}), the errors of the alternative the editor meant:
    the unknown form when the value has an 'unknown' key, else the first alternative whose
    type fits the value."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    by_alternative: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        by_alternative.setdefault(sub.relative_schema_path[0], []).append(sub)
    if isinstance(error.instance, dict) and "unknown" in error.instance:
        chosen = by_alternative.get(1, [])
    elif (
        isinstance(error.instance, dict)
        and len(by_alternative.get(1, [])) > 0
        and all(e.validator == "type" and not e.relative_path for e in by_alternative.get(0, []))
    ):
        chosen = by_alternative[1]  # a mapping where text was expected: a misspelt unknown
    else:
        fitting = [
            errors
            for _, errors in sorted(by_alternative.items())
            if not any(e.validator == "type" and not e.relative_path for e in errors)
        ]
        chosen = fitting[0] if fitting else by_alternative.get(0, [])
    if not chosen:
        return _specific(best_match(error.context))
    return [specific for sub in chosen for specific in _specific(sub)]


def _problems(
    record: Record, error: ValidationError, fields: Catalogue, kind: str
) -> list[Problem]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        problems = []
        for name in sorted(set(error.instance) - set(allowed)):
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
            problems.append(
                Problem(
                    record.path,
                    record.doc.line((*path, name)),
                    dotted((*path, name)),
                    "unknown-field",
                    f"'{name}' is not a known field, so it would be lost; {hint}",
                )
            )
        return problems
    return [_problem(record, error, path, fields.field(kind, dotted(path)))]


def _problem(record: Record, error: ValidationError, path: tuple, meaning) -> Problem:
    kind = error.validator
    if kind == "required":
        return _missing(record, error, path)
    if error.instance is None and kind == "type":
        return Problem(
            record.path,
            record.doc.line(path),
            dotted(path),
            "missing-value",
            "the value is empty; fill it in, or where the sources do not state it write "
            "{unknown: <reason>}",
        )
    code, message = _explained(error, path, meaning)
    return Problem(record.path, record.doc.line(path), dotted(path), code, message)


def _missing(record: Record, error: ValidationError, path: tuple) -> Problem:
    name = error.message.split("'")[1]
    sub = error.schema.get("properties", {}).get(name, {})
    can_be_unknown = any("unknown" in str(alt.get("$ref", "")) for alt in sub.get("anyOf", []))
    if can_be_unknown:
        hint = f"; if the sources do not state it, write '{name}: {{unknown: <reason>}}'"
    elif sub.get("$ref", "").endswith("/assessment_entry"):
        hint = (
            "; add it with finding (met, not_met or not_stated), statement and source. "
            "Use not_stated when the source does not address it"
        )
    else:
        hint = ""
    return Problem(
        record.path,
        record.doc.line(path),
        dotted((*path, name)),
        "missing-field",
        f"required field '{name}' is missing{hint}",
    )


def _explained(error: ValidationError, path: tuple, meaning) -> tuple[str, str]:
    """(code, message) for a value that breaks its schema."""
    kind, value = error.validator, error.instance
    if kind == "enum":
        allowed = ", ".join(_with_label(v, meaning) for v in error.validator_value)
        return "invalid-value", f"{value!r} is not allowed; use one of: {allowed}"
    if kind == "type":
        expected = error.validator_value
        message = f"expected {_type_words(expected)}, found {_describe(value)}"
        if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            message += f'; put it in quotes: "{value}"'
        elif expected in ("integer", "number") and isinstance(value, str) and value[:1].isdigit():
            message += (
                "; write a plain number with the digits 0–9, without leading zeros, underscores "
                "or colons, e.g. 16"
            )
        return "wrong-type", message
    if kind == "format" and error.validator_value == "date":
        return "invalid-date", f"{value!r} is not a date in the calendar"
    if kind == "pattern":
        description = error.schema.get("descriptionEn", f"the pattern {error.validator_value}")
        return "invalid-value", f"{value!r} has the wrong form: {description}"
    if kind == "minLength" and path and path[-1] == "unknown":
        message = "the reason is missing; say why the sources do not state this value, e.g. "
        return "unknown-without-reason", message + "'Källan anger inget datum.'"
    if kind in ("minLength", "minItems"):
        message = "must not be empty; fill it in"
        if _unknown_allowed(error):
            message += ", or where the sources do not state it write {unknown: <reason>}"
        return "missing-value", message
    return "invalid-value", error.message


def _unknown_allowed(error: ValidationError) -> bool:
    """Whether the value sits in an anyOf that offers {unknown: <reason>}."""
    parent = error.parent
    while parent is not None:
        if parent.validator == "anyOf" and any(
            "unknown" in str(alt.get("$ref", "")) for alt in parent.validator_value
        ):
            return True
        parent = parent.parent
    return False


def _type_words(expected: object) -> str:
    words = {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "array": "a list (lines starting with '- ')",
        "object": "a mapping (indented 'name: value' lines)",
        "boolean": "true or false",
    }
    if isinstance(expected, list):
        return " or ".join(words.get(e, e) for e in expected)
    return words.get(str(expected), str(expected))


def _describe(value: object) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return (
            "true or false (YAML reads yes, no, on, off, true and false that way; "
            "put the text in quotes)"
        )
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _with_label(value: object, meaning) -> str:
    """'met (Uppfyllt)': the code, and its Swedish label where the catalogue has one."""
    label = meaning.label(value) if meaning is not None else str(value)
    return f"{value} ({label})" if label != str(value) else str(value)
