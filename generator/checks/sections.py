"""Source references down to the section: a document's text (documents/<id>.yaml) belongs to a
decision and has unique section ids, and every source reference to a decision whose text is in
the data names one of its sections, so that its link lands where the source says it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..problems import Problem
from ..source.load import Record
from .context import Context, at, unresolved

# Where a problem goes: given the field and the code and message, the problem.
Place = Callable[[str, str, str], Problem]


def check_sections(ctx: Context) -> list[Problem]:
    problems = []
    sections: dict[str, list[str]] = {}
    for stem, record in ctx.documents.items():
        if "decisions" in ctx.known and stem not in ctx.known["decisions"]:
            problems.append(unresolved(record, ("id",), stem, "decisions"))
        ids = [s.get("id") for s in record.data.get("sections", []) if isinstance(s, dict)]
        for i, value in enumerate(ids):
            if value in ids[:i]:
                problems.append(
                    at(
                        record,
                        ("sections", i, "id"),
                        "invalid-value",
                        f"section id '{value}' is used twice in this document; "
                        "give each section its own id",
                    )
                )
        sections[stem] = [v for v in ids if isinstance(v, str)]
    for row, line, path in ctx.rows("decisions"):
        if row["proposal_section"] and not row["proposal"].strip():
            problems.append(
                Problem(
                    path,
                    line,
                    "proposal_section",
                    "invalid-value",
                    "the decision states no proposal, so no section of it can be named; "
                    "empty proposal_section or fill in the proposal",
                )
            )
    # A document whose file could not be read has no entry; its references go unchecked.
    unread = ctx.loaded.stems.get("documents", set()) - set(sections)
    for decision_id, section, place in _references(ctx):
        if decision_id in unread or not isinstance(decision_id, str):
            continue
        problems += _section(sections, decision_id, section, place)
    return problems


def _section(sections: dict[str, list[str]], decision_id: str, section, place: Place) -> list:
    known = sections.get(decision_id)
    if known is None:
        if section:
            return [
                place(
                    "section-without-text",
                    f"the text of {decision_id} is not in the data (no documents/"
                    f"{decision_id}.yaml), so no section can be named; empty it, or add the "
                    "document's text",
                )
            ]
        return []
    choices = ", ".join(dict.fromkeys(known))
    if not section:
        return [
            place(
                "section-missing",
                f"documents/{decision_id}.yaml holds the text of {decision_id}; name the "
                f"section that states this, one of: {choices}",
            )
        ]
    if section not in known:
        return [
            place(
                "unknown-reference",
                f"'{section}' is not a section of documents/{decision_id}.yaml; use one of: "
                f"{choices}",
            )
        ]
    return []


def _references(ctx: Context) -> Iterator[tuple[str, str, Place]]:
    """(decision id, section, where a problem goes) for every source reference."""
    for record in [*ctx.partnerships.values(), *ctx.questions.values()]:
        for path, source in _sources(record.data):
            yield source.get("decision_id"), source.get("section", ""), _yaml(record, path)
    guide = ctx.routes.data if ctx.routes else {}
    decisions = {
        s.get("id"): s.get("decision_id")
        for s in guide.get("sources") or []
        if isinstance(s, dict) and s.get("decision_id")
    }
    for path, statement in _statements(guide):
        decision_id = decisions.get(statement.get("source"))
        if decision_id:
            yield decision_id, statement.get("section", ""), _yaml(ctx.routes, path)
    for table, id_column in (("costs", "decision_id"), ("results", "source")):
        for row, line, path in ctx.rows(table):
            yield row[id_column], row["section"], _csv(path, line, "section")
    for row, line, path in ctx.rows("decisions"):
        if row["proposal"].strip():
            yield row["id"], row["proposal_section"], _csv(path, line, "proposal_section")


def _sources(data: dict) -> Iterator[tuple[tuple, dict]]:
    """Every source of a partnership or question: a mapping with a decision_id, except the
    answer (which is the whole decision)."""
    for path, mapping in _mappings(data):
        if isinstance(mapping.get("decision_id"), str) and path[-1:] != ("answer",):
            yield path, mapping


def _statements(data: dict) -> Iterator[tuple[tuple, dict]]:
    """Every statement of the guide that cites a source (its contact included)."""
    for path, mapping in _mappings(data):
        if isinstance(mapping.get("source"), str):
            yield path, mapping


def _mappings(value, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """(path, mapping) of every mapping in a record, the record itself first."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            if isinstance(item, (dict, list)):  # a text or a number holds no mapping
                yield from _mappings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield from _mappings(item, (*path, i))


def _yaml(record: Record, path: tuple) -> Place:
    return lambda code, message: at(record, (*path, "section"), code, message)


def _csv(path: str, line: int, column: str) -> Place:
    return lambda code, message: Problem(path, line, column, code, message)
