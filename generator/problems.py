"""The one problem type every validation finding uses.

Modelled on frictionless-py's error model: a stable ``code``, the file ``path``, the physical
``line`` in that file (1-based; the CSV header is line 1; 0 when the problem concerns the whole
file), the ``field`` it concerns (dotted path, empty when none) and a ``message`` that tells an
editor how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

# Every code the validator can emit, with a one-line description. Tests check that each one is
# covered by a broken fixture; the data dictionary can list them for editors.
CODES: dict[str, str] = {
    # File hygiene
    "file-too-large": "The file is larger than the validator accepts.",
    "file-missing": "A file the data package names does not exist.",
    "unexpected-file": "A file in data/ that the portal would not read.",
    "encoding-windows-1252": "The file is saved as Windows-1252 (Excel's default), not UTF-8.",
    "encoding-invalid": "The file is not valid UTF-8 text.",
    "control-character": "A control, separator or bidirectional character that no data may hold.",
    "symlink": "A symbolic link in data/, which the portal does not follow.",
    "yaml-syntax": "The YAML cannot be parsed.",
    "yaml-duplicate-key": "The same key appears twice in one YAML mapping.",
    "yaml-anchor": "YAML anchors and aliases (&name, *name) are not allowed.",
    "yaml-tag": "YAML tags (!name, !!type) are not allowed.",
    "yaml-not-mapping": "A YAML record must be a mapping of field names to values.",
    "csv-semicolon": "The CSV uses semicolons as separators (Swedish Excel).",
    "csv-excel-number": "A number is written the Swedish Excel way (decimal comma, spaces).",
    "csv-syntax": "The CSV cannot be parsed.",
    # Structure (JSON Schema for YAML, Table Schema for CSV)
    "unknown-field": "A field or column the schema does not know.",
    "missing-field": "A required field or column is missing.",
    "column-order": "The columns are not in the order of the schema.",
    "wrong-type": "A value has the wrong type.",
    "invalid-value": "A value is not one of the allowed values or breaks a constraint.",
    "invalid-date": "A date that does not exist in the calendar.",
    "type-error": "A CSV cell cannot be read as the column's type.",
    "constraint-error": "A CSV cell breaks a constraint of its column.",
    "primary-key": "Two rows share the same key.",
    "foreign-key": "A CSV cell refers to a row that does not exist.",
    "row-shape": "A CSV row has more or fewer cells than the header.",
    "blank-row": "A CSV row is empty.",
    "whitespace": "A CSV cell starts or ends with a space.",
    "spreadsheet-formula": "Text that begins like a formula (=, +, -, @) and would run in Excel.",
    "descriptor-invalid": "The data package descriptor is not valid.",
    "version-not-bumped": "The schemas changed but the data package version did not.",
    # A workbook brought back with portal import
    "workbook-unreadable": "The file cannot be read as an Excel workbook.",
    "workbook-sheet-missing": "A sheet of the published workbook is missing or renamed.",
    "workbook-column-missing": "A column of the published workbook is missing from its sheet.",
    "workbook-column-unknown": "A column heading that the sheet does not have (renamed or new).",
    # Unknown values
    "missing-value": "A value is left empty; state it or mark it as unknown.",
    "unknown-not-allowed": "This field cannot be marked unknown.",
    "unknown-without-reason": "A value is marked unknown but the row gives no reason.",
    # Cross-record rules
    "id-mismatch": "The record's id differs from its file name.",
    "unknown-reference": "A reference to a record that does not exist.",
    "link-mismatch": "Two records that refer to each other disagree.",
    "date-order": "An end date lies before its start date.",
    "outside-period": "A cost year or result period lies outside the partnership's period.",
    "org-number-checksum": "The organisationsnummer's check digit is wrong.",
    "org-number-third-digit": "The third digit of an organisationsnummer must be 2 or more.",
    "org-id-mismatch": "org_id does not match org_number.",
    "iop-assessment-not-iop": "Only a partnership with form iop carries an iop_assessment.",
    "section-missing": "A source whose text is in the data must name the section it cites.",
    "section-without-text": "A section is named for a document whose text is not in the data.",
    # Privacy
    "personal-identity-number": "A personnummer or samordningsnummer must never be published.",
    "small-count-not-suppressed": "A count of 1 to 4 people must be suppressed.",
    "suppressed-with-value": "A suppressed result must not carry its value.",
}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code: {self.code}")
        # Every problem is one line of plain text, whatever the data it quotes holds.
        object.__setattr__(self, "message", one_line(self.message))
        object.__setattr__(self, "field", one_line(self.field))

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message} [{self.code}]"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the file's line."""

        def escape(text: str, *extra: str) -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            for char in extra:
                text = text.replace(char, f"%{ord(char):02X}")
            return text

        where = f"file={escape(self.path, ',', ':')}"
        if self.line:
            where += f",line={self.line}"
        title = escape(f"{self.field} [{self.code}]" if self.field else f"[{self.code}]", ",", ":")
        return f"::error {where},title={title}::{escape(self.message)}"

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items()}


# Characters no reader sees but that change what is shown, besides the C0 controls (a
# character class's inside): DEL and the C1 controls, the line and paragraph separators, the
# bidi controls and the two noncharacters XML refuses. Data may hold none of them
# (source/files.py); a message shows each as its escape.
INVISIBLE = "\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufffe\uffff"
_UNPRINTABLE = re.compile(f"[\x00-\x1f{INVISIBLE}]")


def one_line(text: str) -> str:
    """``text`` with every control, separator and bidi character written as an escape
    (a line break as \\n), so that it prints on one line and shows what is there."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Sorted and with exact repeats removed, so output is stable."""
    return sorted(set(problems))
