"""Source references down to the section: a document's text (documents/<id>.yaml) belongs to a
decision and has unique section ids, and every source reference to a decision whose text is in
the data names one of its sections, so that its link lands where the source says it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..problems import Problem
from ..source.load import Record
from .context import Context, at, section_ids, unresolved

# Where a problem goes: given the field and the code and message, the problem.
Place = Callable[[str, str, str], Problem]


def document_problems(ctx: Context, record: Record) -> list[Problem]:
    """A document's text belongs to a decision and has unique section ids."""
    problems = []
    if "decisions" in ctx.known and record.stem not in ctx.known["decisions"]:
        problems.append(unresolved(record, ("id",), record.stem, "decisions"))
    ids = section_ids(record)
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
    return problems


def record_sections(ctx: Context, record: Record) -> list[Problem]:
    """The sources of a partnership or question name a section where the text is there."""
    return _checked(
        ctx,
        (
            (source.get("decision_id"), source.get("section", ""), _yaml(record, path))
            for path, source in _sources(record.data)
        ),
    )


def guide_sections(ctx: Context) -> list[Problem]:
    """The guide's statements name a section of the text of the decision they cite."""
    guide = ctx.routes.data if ctx.routes else {}
    decisions = {
        s.get("id"): s.get("decision_id")
        for s in guide.get("sources") or []
        if isinstance(s, dict) and s.get("decision_id")
    }
    references = (
        (decisions[statement["source"]], statement.get("section", ""), _yaml(ctx.routes, path))
        for path, statement in _statements(guide)
        if decisions.get(statement["source"])
    )
    return _checked(ctx, references)


def table_sections(ctx: Context) -> list[Problem]:
    """Costs, results and decisions' proposals name a section where the text is there; a
    section of a proposal only where the decision states one."""
    problems = []
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
    return problems + _checked(ctx, _table_references(ctx))


def _checked(ctx: Context, references: Iterable[tuple[object, str, Place]]) -> list[Problem]:
    problems = []
    for decision_id, section, place in references:
        if isinstance(decision_id, str) and decision_id not in ctx.unread:
            problems += _section(ctx.sections, decision_id, section, place)
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
    if section and section in known:
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
    return [
        place(
            "unknown-reference",
            f"'{section}' is not a section of documents/{decision_id}.yaml; use one of: {choices}",
        )
    ]


def _table_references(ctx: Context) -> Iterator[tuple[str, str, Place]]:
    """(decision id, section, where a problem goes) for every source reference of a table."""
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
