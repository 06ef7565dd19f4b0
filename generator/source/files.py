"""File hygiene: size, encoding and characters, checked before any file is parsed.

UTF-8 is required. A byte-order mark and Windows line ends (CRLF) are accepted, because Excel
and Notepad write them; both are removed here so later stages see plain text. Characters that
no reader can see but that change what a reader is shown are refused, each with its line:
control characters (NUL and the like, which also cannot be stored in an Excel file), the
Unicode line and paragraph separators (which would shift every line number after them), and
the bidirectional controls (U+202E and its kind, which can make a title display reversed),
and the noncharacters U+FFFE and U+FFFF (which no XML file may hold: the workbook would show
them as the text "_xFFFE_").
Symbolic links are never followed (see load.py).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..problems import INVISIBLE, Problem

# Large enough for a national collection (issue: 10,000 partnerships ~ 80,000 cost rows),
# small enough that an accidental export of something else is refused quickly.
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024

BOM = "\ufeff"
# Bytes that Windows-1252 uses for the Swedish letters å ä ö Å Ä Ö é, which are never valid
# UTF-8 on their own.
_CP1252_SWEDISH = {0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9}
# A character of more than one byte, correctly encoded: the file is UTF-8 at heart.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
# Invisible characters no data may hold: the C0 controls but tab and line feed, a byte-order
# mark inside the text, and the others every message escapes (INVISIBLE).
FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\ufeff{INVISIBLE}]")


def read_text(path: Path, shown: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """Return the file's text (BOM removed, line ends normalised), or None with problems."""
    size = path.stat().st_size
    if size > max_bytes:
        return None, [
            Problem(
                shown,
                0,
                "",
                "file-too-large",
                f"the file is {size:,} bytes; at most {max_bytes:,} are accepted. "
                "Split it, or check that the right file was saved here",
            )
        ]
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        return None, [
            Problem(
                shown,
                0,
                "",
                "encoding-invalid",
                "this is an Excel workbook (.xlsx) or another zip file, not text. In Excel "
                "choose Spara som > 'CSV UTF-8 (kommaavgränsad)'",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(raw, exc, shown)]
    if text.startswith(BOM):
        text = text[1:]
    # Windows (CRLF) and old Mac (CR) line ends both become plain newlines.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = forbidden_characters(text, shown)
    return (None if problems else text), problems


def forbidden_characters(text: str, shown: str) -> list[Problem]:
    """A problem for each line that holds a character no data may hold."""
    if not FORBIDDEN.search(text):  # nearly always: then the lines need no look of their own
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        found = FORBIDDEN.search(line)
        if found:
            problems.append(
                Problem(
                    shown,
                    number,
                    "",
                    "control-character",
                    f"the line holds an invisible character ({describe(found.group())}), which "
                    "can hide or reverse text and cannot be published; delete it (it often "
                    "comes with text copied from Word, a PDF or a web page)",
                )
            )
    return problems


def describe(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    unnamed = "NONCHARACTER" if unicodedata.category(char) == "Cn" else "CONTROL CHARACTER"
    return f"U+{ord(char):04X} {unicodedata.name(char, unnamed)}"


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, shown: str) -> Problem:
    line = raw[: exc.start].count(b"\n") + 1
    bad = raw[exc.start]
    if not _UTF8_SEQUENCE.search(raw) and (bad in _CP1252_SWEDISH or _is_cp1252(raw)):
        return Problem(
            shown,
            line,
            "",
            "encoding-windows-1252",
            "the file is saved as Windows-1252 (Excel's 'CSV (semikolonavgränsad)' or "
            "an old editor), not UTF-8. In Excel choose Spara som > 'CSV UTF-8 "
            "(kommaavgränsad)'; in a text editor save with encoding UTF-8",
        )
    column = exc.start - raw.rfind(b"\n", 0, exc.start)
    return Problem(
        shown,
        line,
        "",
        "encoding-invalid",
        f"byte 0x{bad:02X} (character {column} of the line) is not valid UTF-8; delete it or "
        "type the character again, and save the file as UTF-8 text",
    )


def _is_cp1252(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True
