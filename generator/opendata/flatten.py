"""Flatten the typed dataset into tables for the downloads: the four CSV resources as they
are, and the YAML records with their lists split into tables of their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..model.records import Dataset, PartialDate, Unknown

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type
    description: str  # in English
    title: str = ""  # a short description in Swedish, for the public data dictionary
    allowed: tuple[str, ...] = ()  # the allowed values, where the schema lists them


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: tuple[tuple[str, ...], ...]  # cells as text, exactly as in the CSV
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (field, resource, field)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _reasons(pairs: list[tuple[str, object]]) -> str:
    return "; ".join(f"{name}: {v.reason}" for name, v in pairs if isinstance(v, Unknown))


F = Field
_PARTNERSHIP_FIELDS = (
    F("id", "string", "Stable identifier of the partnership."),
    F("title", "string", "The partnership's name."),
    F(
        "form",
        "string",
        "iop, esf_project, association_collaboration, grant, procurement, "
        "pilot, other, or unknown.",
    ),
    F("status", "string", "planned, active, ended, or unknown."),
    F("status_as_of", "date", "The date of the source that states the status."),
    F(
        "start_date",
        "string",
        "First day, at the precision the source gives (YYYY, YYYY-MM, YYYY-MM-DD), or unknown.",
    ),
    F("end_date", "string", "Last day, at the precision the source gives, or unknown."),
    F("target_group", "string", "The target group in the source's words, or unknown."),
    F("age_min", "string", "Lowest age in the target group, or unknown."),
    F("age_max", "string", "Highest age in the target group, or unknown."),
    F("goal", "string", "The goal as the sources state it, or unknown."),
    F("description", "string", "What the partnership does."),
    F("follow_up", "string", "How it is followed up, as the sources state it."),
    F("predecessor", "string", "The partnership this one continues."),
    F("successor", "string", "The partnership that continues this one."),
    F(
        "sources",
        "string",
        "Ids in decisions.csv of the documents the record rests on, separated by '; '.",
    ),
    F(
        "unknown_reasons",
        "string",
        "For each value given as unknown: 'field: reason', separated by '; '.",
    ),
    F("note", "string", "Anything a reader should know about the record."),
)


def tables(
    data: Dataset, source: dict[str, tuple[list[str], list[dict[str, str]]]], descriptor: dict
) -> list[Table]:
    """Every table of the downloads. ``source`` holds the CSV resources as validated
    ({name: (header, rows)}); ``descriptor`` is the data package descriptor of data/."""
    result = []
    # Links into the YAML records, which the published package can state as foreign keys.
    record_keys = {
        "decisions": (("partnership_id", "partnerships", "id"), ("question_id", "questions", "id")),
        "costs": (("partnership_id", "partnerships", "id"),),
        "results": (("partnership_id", "partnerships", "id"),),
    }
    for resource in descriptor["resources"]:
        header, rows = source[resource["name"]]
        schema = resource["schema"]
        result.append(
            Table(
                resource["name"],
                resource.get("title", resource["name"]),
                " ".join(resource.get("description", "").split()),
                tuple(
                    F(
                        f["name"],
                        f["type"],
                        " ".join(f.get("description", "").split()),
                        f.get("title", ""),
                        tuple(map(str, f.get("constraints", {}).get("enum", ()))),
                    )
                    for f in schema["fields"]
                ),
                tuple(tuple(row[c] for c in header) for row in rows),
                tuple(schema.get("primaryKey", [])),
                tuple(
                    (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
                    for fk in schema.get("foreignKeys", [])
                )
                + record_keys.get(resource["name"], ()),
            )
        )
    partnerships = sorted(data.partnerships.values(), key=lambda p: p.id)
    result.append(
        Table(
            "partnerships",
            "Partnerskap",
            "One row per partnership (from partnerships/*.yaml). Parties and the IOP assessment "
            "are in partnership_parties and iop_assessments.",
            _PARTNERSHIP_FIELDS,
            tuple(
                tuple(
                    _text(v)
                    for v in (
                        p.id,
                        p.title,
                        p.form,
                        p.status,
                        p.status_as_of,
                        p.start_date,
                        p.end_date,
                        p.target_text,
                        p.age_min,
                        p.age_max,
                        p.goal,
                        p.description,
                        p.follow_up,
                        p.predecessor,
                        p.successor,
                        "; ".join(s.decision_id for s in p.sources),
                        _reasons(
                            [
                                ("form", p.form),
                                ("status", p.status),
                                ("start_date", p.start_date),
                                ("end_date", p.end_date),
                                ("public_parties", p.public_parties),
                                ("partners", p.partners),
                                ("target_group", p.target_text),
                                ("age_min", p.age_min),
                                ("age_max", p.age_max),
                                ("goal", p.goal),
                            ]
                        ),
                        p.note,
                    )
                )
                for p in partnerships
            ),
            ("id",),
            (),
        )
    )
    result.append(
        Table(
            "partnership_parties",
            "Parter i partnerskapen",
            "The parties of each partnership, one row each, in the order of the record.",
            (
                F("partnership_id", "string", "The partnership."),
                F("position", "integer", "1, 2, 3 … in the order of the record."),
                F("organisation_id", "string", "The organisation (organisations.csv)."),
                F("side", "string", "public (public_parties) or partner (partners)."),
                F(
                    "role",
                    "string",
                    "public_party, partner, implementer, project_owner, funder, "
                    "co_financier or other.",
                ),
                F("body", "string", "The board, administration or unit that takes part."),
                F("contribution", "string", "What the party contributes, as the source states it."),
            ),
            tuple(
                (
                    p.id,
                    str(i),
                    party.organisation_id,
                    "public" if party in _known(p.public_parties) else "partner",
                    party.role,
                    party.body,
                    party.contribution,
                )
                for p in partnerships
                for i, party in enumerate(p.parties, start=1)
            ),
            ("partnership_id", "position"),
            (("partnership_id", "partnerships", "id"), ("organisation_id", "organisations", "id")),
        )
    )
    result.append(
        Table(
            "iop_assessments",
            "Bedömningar av IOP",
            "For each IOP: Forum's seven criteria and the three legal checks, with the assessment "
            "as the source states it.",
            (
                F("partnership_id", "string", "The partnership."),
                F("group", "string", "criteria (Forum's criteria) or legal (legal checks)."),
                F("criterion", "string", "The criterion's key, as in the partnership schema."),
                F("finding", "string", "met, not_met or not_stated."),
                F("statement", "string", "The assessment in the source's words."),
                F("decision_id", "string", "The source document (decisions.csv)."),
                F("section", "string", "Where in the document."),
            ),
            tuple(
                (
                    p.id,
                    a.group,
                    a.key,
                    a.finding,
                    a.statement,
                    a.source.decision_id,
                    a.source.section,
                )
                for p in partnerships
                for a in p.iop_assessment
            ),
            ("partnership_id", "group", "criterion"),
            (("partnership_id", "partnerships", "id"), ("decision_id", "decisions", "id")),
        )
    )
    questions = sorted(data.questions.values(), key=lambda q: q.id)
    result.append(
        Table(
            "questions",
            "Politiska frågor",
            "One row per skrivelse (from questions/*.yaml). Its questions are in question_items.",
            (
                F("id", "string", "Stable identifier."),
                F("title", "string", "The title."),
                F("party", "string", "The party group that wrote it."),
                F("date", "string", "The date (YYYY-MM-DD), or unknown."),
                F("addressed_to", "string", "The board it is addressed to, or unknown."),
                F("summary", "string", "What it is about."),
                F("answer_decision_id", "string", "The decision that answers it, or unknown."),
                F("answer_summary", "string", "The reply in brief."),
                F(
                    "partnerships",
                    "string",
                    "Ids of the partnerships it concerns, separated by '; '.",
                ),
                F("unknown_reasons", "string", "For each value given as unknown: 'field: reason'."),
                F("note", "string", "Anything a reader should know about the record."),
            ),
            tuple(
                (
                    q.id,
                    q.title,
                    q.party,
                    _text(q.date),
                    _text(q.addressed_to),
                    q.summary,
                    _text(q.answer) if isinstance(q.answer, Unknown) else q.answer.decision_id,
                    "" if isinstance(q.answer, Unknown) else q.answer.summary,
                    "; ".join(q.partnerships),
                    _reasons(
                        [("date", q.date), ("addressed_to", q.addressed_to), ("answer", q.answer)]
                    ),
                    q.note,
                )
                for q in questions
            ),
            ("id",),
            (),
        )
    )
    result.append(
        Table(
            "question_items",
            "Frågor i skrivelserna",
            "Each question of each skrivelse, with the reply to it where one exists.",
            (
                F("question_id", "string", "The skrivelse (questions)."),
                F("number", "integer", "The question's number."),
                F("text", "string", "The question as written."),
                F(
                    "answer_summary",
                    "string",
                    "The reply to this question in brief, where one exists.",
                ),
            ),
            tuple(
                (
                    q.id,
                    str(n),
                    text,
                    "" if isinstance(q.answer, Unknown) else q.answer.per_question.get(n, ""),
                )
                for q in questions
                for n, text in q.questions
            ),
            ("question_id", "number"),
            (("question_id", "questions", "id"),),
        )
    )
    return [_in_swedish(table) for table in result]


# Swedish descriptions of the flattened tables' columns (the CSV resources carry theirs in the
# descriptor as each field's title).
SWEDISH = {
    "partnerships": {
        "id": "Partnerskapets id",
        "title": "Partnerskapets namn",
        "form": "Form: IOP, ESF-projekt, samverkan med förening, bidrag, upphandling, "
        "försöksverksamhet, annan, eller unknown",
        "status": "Status: planerat, pågår, avslutat, eller unknown",
        "status_as_of": "Datum för källan som anger statusen",
        "start_date": "Första dag, så exakt som källan anger den, eller unknown",
        "end_date": "Sista dag, så exakt som källan anger den, eller unknown",
        "target_group": "Målgruppen med källans ord, eller unknown",
        "age_min": "Lägsta ålder i målgruppen, eller unknown",
        "age_max": "Högsta ålder i målgruppen, eller unknown",
        "goal": "Målet enligt källorna, eller unknown",
        "description": "Vad partnerskapet gör",
        "follow_up": "Hur partnerskapet följs upp, enligt källorna",
        "predecessor": "Partnerskapet som det här fortsätter",
        "successor": "Partnerskapet som fortsätter det här",
        "sources": "Handlingarna som uppgifterna bygger på, åtskilda av semikolon",
        "unknown_reasons": "Skälet till varje unknown, som 'fält: skäl'",
        "note": "Kommentar till posten",
    },
    "partnership_parties": {
        "partnership_id": "Partnerskapet",
        "position": "Ordning i posten: 1, 2, 3 …",
        "organisation_id": "Organisationen",
        "side": "public (offentlig part) eller partner",
        "role": "Roll: offentlig part, idéburen part, genomför, projektägare, finansiär, "
        "medfinansiär eller annan",
        "body": "Nämnd, förvaltning eller enhet som deltar",
        "contribution": "Vad parten bidrar med, enligt källan",
    },
    "iop_assessments": {
        "partnership_id": "Partnerskapet",
        "group": "criteria (Forums kriterier) eller legal (lagkrav)",
        "criterion": "Kriteriets nyckel i partnerskapsschemat",
        "finding": "met (uppfyllt), not_met (inte uppfyllt) eller not_stated (inte prövat)",
        "statement": "Bedömningen med källans ord",
        "decision_id": "Handlingen som bedömningen kommer från",
        "section": "Var i handlingen",
    },
    "questions": {
        "id": "Skrivelsens id",
        "title": "Rubrik",
        "party": "Partiet som skrev den",
        "date": "Datum, eller unknown",
        "addressed_to": "Nämnden som den riktas till, eller unknown",
        "summary": "Vad skrivelsen handlar om",
        "answer_decision_id": "Handlingen som besvarar den, eller unknown",
        "answer_summary": "Svaret i korthet",
        "partnerships": "Partnerskapen som den gäller, åtskilda av semikolon",
        "unknown_reasons": "Skälet till varje unknown, som 'fält: skäl'",
        "note": "Kommentar till posten",
    },
    "question_items": {
        "question_id": "Skrivelsen",
        "number": "Frågans nummer",
        "text": "Frågan ordagrant",
        "answer_summary": "Svaret på frågan i korthet, när det finns",
    },
}


def _in_swedish(table: Table) -> Table:
    titles = SWEDISH.get(table.name, {})
    fields = tuple(f if f.title else replace(f, title=titles[f.name]) for f in table.fields)
    return replace(table, fields=fields)


def _known(value):
    return () if isinstance(value, Unknown) else value
