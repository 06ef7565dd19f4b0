"""What the catalogue knows that no schema states: the kinds of record (where each is kept,
its Swedish name, its section of the site), the columns of the downloads that are made from the
records' structure, the fields that refer to other records, and the Swedish names of types."""

from __future__ import annotations

from .entries import DESCRIPTOR, Kind

_ID = ("string", (("required", True),))

# What an amount rests on (the derived column "basis" of costs), with its Swedish label. The
# labels are what every page shows next to such an amount.
BASES = (
    ("outcome", "Utfall"),
    ("decided", "Budget enligt nämndens beslut"),
    ("stated", "Budget enligt handlingen"),
    ("proposal", "Föreslagen budget – nämndens beslut finns inte i underlaget"),
    ("not_decided", "Föreslagen budget – nämnden biföll inte förslaget"),
)
PROPOSALS = frozenset({"proposal", "not_decided"})
_TEXT = ("string", ())


def _fixed(**columns: tuple[str, tuple]) -> tuple:
    return tuple((name, kind, constraints) for name, (kind, constraints) in columns.items())


KINDS: tuple[Kind, ...] = (
    Kind("partnership", "Partnerskap", "partnerskap", "partnership.schema.json", "partnerships"),
    Kind("question", "Politisk fråga", "skrivelser", "question.schema.json", "questions"),
    Kind("document", "Handlingens text", "handlingar", "document.schema.json", "documents"),
    Kind(
        "organisation",
        "Organisation",
        "organisationer",
        "organisations",
        fixed=_fixed(
            id=_ID, name=_ID, org_number=_TEXT, org_id=_TEXT, type=_TEXT, website=_TEXT, note=_TEXT
        ),
    ),
    Kind(
        "decision",
        "Handling",
        "beslut",
        "decisions",
        fixed=_fixed(
            id=_ID,
            date=("date", ()),
            body=_TEXT,
            case_number=_TEXT,
            type=_TEXT,
            title=_TEXT,
            partnership_id=_TEXT,
            question_id=_TEXT,
            proposal_section=_TEXT,
            outcome=_TEXT,
            document_url=_TEXT,
            summary=_TEXT,
            note=_TEXT,
        ),
    ),
    Kind(
        "cost",
        "Kostnad",
        "",
        "costs",
        fixed=_fixed(
            partnership_id=_ID,
            year=("year", (("required", True),)),
            funder_id=_ID,
            amount_sek=("integer", (("required", True), ("minimum", 0))),
            kind=_TEXT,
            category=_TEXT,
            decision_id=_ID,
            section=_TEXT,
            note=_TEXT,
        ),
    ),
    Kind(
        "result",
        "Resultat",
        "",
        "results",
        fixed=_fixed(
            partnership_id=_ID,
            period_start=("date", ()),
            period_end=("date", ()),
            indicator=_TEXT,
            value=("number", ()),
            target=("number", ()),
            unit=("string", (("required", True),)),
            suppressed=("boolean", (("required", True),)),
            source=_ID,
            section=_TEXT,
            note=_TEXT,
        ),
    ),
    Kind(
        "guide",
        "Vägar till samverkan",
        "vagar",
        "routes.schema.json",
        file="routes.yaml",
        reserved=("index", "iop-checklista"),
    ),
    Kind("package", "Datapaketet", "", "", file=DESCRIPTOR),
)
KIND = {kind.key: kind for kind in KINDS}
COLLECTIONS = {kind.folder: kind for kind in KINDS if kind.folder}

# Fields that no schema defines: the data package's version, and the columns of the downloads
# that are made from the records' structure: (title, description, English description, type,
# allowed values). The allowed values are (value, label) pairs, or the path of a partnership
# field whose parts are the values: "iop_assessment" has the parts criteria and legal, and
# "iop_assessment.*" the criteria and legal checks themselves.
DERIVED: dict[str, tuple[str, str, str, str, tuple[tuple[str, str], ...] | str]] = {
    "package.version": (
        "Version",
        "Datapaketets version. En ny huvudversion betyder att ett fält har tagits bort eller bytt "
        "namn, en ny delversion att något har tillkommit.",
        "The data package's version (semantic versioning).",
        "string",
        (),
    ),
    "position": (
        "Ordning",
        "1, 2, 3 … i den ordning som posten anger.",
        "1, 2, 3 … in the order of the record.",
        "integer",
        (),
    ),
    "side": (
        "Sida",
        "Om parten står bland de offentliga parterna eller bland de övriga parterna.",
        "public (public_parties) or partner (partners).",
        "string",
        (("public", "Offentlig part"), ("partner", "Övrig part")),
    ),
    "group": (
        "Grupp",
        "Om raden gäller ett av Forums kriterier eller ett av lagkraven.",
        "criteria (Forum's criteria) or legal (legal checks).",
        "string",
        "iop_assessment",
    ),
    "criterion": (
        "Kriterium",
        "Kriteriet eller lagkravet som bedömningen gäller.",
        "The criterion's key, as in the partnership schema.",
        "string",
        "iop_assessment.*",
    ),
    "partnership_id": (
        "Partnerskap",
        "Det partnerskap som raden gäller (id i tabellen partnerskap).",
        "The partnership (id in partnerships).",
        "string",
        (),
    ),
    "question_id": (
        "Skrivelse",
        "Den skrivelse som raden gäller (id i tabellen politiska frågor).",
        "The skrivelse (id in questions).",
        "string",
        (),
    ),
    "basis": (
        "Grund för beloppet",
        "Om beloppet är ett utfall, en budget som nämnden har beslutat eller ett förslag. Ett "
        "förslag i ett tjänsteutlåtande är inte ett beslut: nämnden kan ha beslutat något annat, "
        "och dess beslut finns då inte i underlaget.",
        "Whether the amount is an outcome, a budget the board decided, or a proposal (from a "
        "tjänsteutlåtande whose board decision is not in the material). Derived from the kind "
        "and the cited decision's type and outcome.",
        "string",
        BASES,
    ),
    "document_id": (
        "Handling",
        "Den handling vars text raden hör till (id i tabellen handlingarnas text, samma som i "
        "beslut och handlingar).",
        "The document whose text the row belongs to (id in documents and in decisions).",
        "string",
        (),
    ),
    "unknown_reasons": (
        "Skäl till okända värden",
        "För varje värde som källorna inte anger: fältet och skälet, åtskilda av semikolon.",
        "For each value given as unknown: 'field: reason', separated by '; '.",
        "string",
        (),
    ),
}

# Fields that hold the id of another record, by name, and the kind of record they point at.
# (A table's foreign keys say the same for its columns, and are read from the descriptor.)
REFERENCES = {
    "organisation_id": "organisation",
    "funder_id": "organisation",
    "decision_id": "decision",
    "partnership_id": "partnership",
    "question_id": "question",
    "predecessor": "partnership",
    "successor": "partnership",
    "partnerships": "partnership",
}

# The downloads' tables that are made from the YAML records: (title, description, English
# description). The tables of the CSV files have theirs in the descriptor.
TABLES = {
    "partnerships": (
        "Partnerskap",
        "En rad per partnerskap (ur partnerships/*.yaml). Parterna och bedömningen som IOP finns "
        "i tabellerna Parter i partnerskapen och Bedömningar av IOP, källorna i Källor för "
        "partnerskapen.",
        "One row per partnership (from partnerships/*.yaml). Parties, the IOP assessment and "
        "the sources are in partnership_parties, iop_assessments and partnership_sources.",
    ),
    "partnership_parties": (
        "Parter i partnerskapen",
        "Parterna i varje partnerskap, en rad per part, i postens ordning.",
        "The parties of each partnership, one row each, in the order of the record.",
    ),
    "partnership_sources": (
        "Källor för partnerskapen",
        "Källorna till varje partnerskap, en rad per källa i postens ordning: handlingen, "
        "avsnittet i den och vad som hämtas ur den.",
        "The sources of each partnership, one row each, in the order of the record: the "
        "document, its section and what is taken from it.",
    ),
    "iop_assessments": (
        "Bedömningar av IOP",
        "För varje IOP: Forums sju kriterier och de tre lagkraven, med bedömningen så som källan "
        "anger den.",
        "For each IOP: Forum's seven criteria and the three legal checks, with the assessment "
        "as the source states it.",
    ),
    "questions": (
        "Politiska frågor",
        "En rad per skrivelse (ur questions/*.yaml). Frågorna finns i tabellen Frågor i "
        "skrivelserna, källorna i Källor för politiska frågor.",
        "One row per skrivelse (from questions/*.yaml). Its questions are in question_items, "
        "its sources in question_sources.",
    ),
    "question_items": (
        "Frågor i skrivelserna",
        "Varje fråga i varje skrivelse, med svaret på den där ett sådant finns.",
        "Each question of each skrivelse, with the reply to it where one exists.",
    ),
    "question_sources": (
        "Källor för politiska frågor",
        "Källorna till varje skrivelse, en rad per källa i postens ordning: handlingen, "
        "avsnittet i den och vad som hämtas ur den.",
        "The sources of each skrivelse, one row each, in the order of the record: the "
        "document, its section and what is taken from it.",
    ),
    "documents": (
        "Handlingarnas text",
        "En rad per handling vars text finns i uppgifterna (ur documents/*.yaml), med hur texten "
        "är överförd. Texten, avsnitt för avsnitt, finns i tabellen Avsnitt i handlingarna.",
        "One row per document whose text is in the data (from documents/*.yaml), with how it "
        "was transcribed. The text, section by section, is in document_sections.",
    ),
    "document_sections": (
        "Avsnitt i handlingarna",
        "Varje avsnitt i varje handlings text, i ordning, med rubrik och text. Andra tabeller "
        "hänvisar till ett avsnitt med dess id.",
        "Each section of each document's text, in order, with heading and text. Other tables "
        "cite a section by its id.",
    ),
}

# Fields of the guide (routes.yaml) that hold the id of another part of the same file.
GUIDE_REFERENCES = {
    "start": "guide.question",
    "next": "guide.question",
    "routes": "guide.route",
    "source": "guide.source",
}

TYPE_NAMES = {
    "string": "text",
    "integer": "heltal",
    "number": "tal",
    "date": "datum (ÅÅÅÅ-MM-DD)",
    "year": "år (ÅÅÅÅ)",
    "boolean": "sant eller falskt (true eller false)",
    "array": "lista",
    "object": "grupp av fält",
    "partial-date": "datum så exakt som källan anger det (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)",
}
