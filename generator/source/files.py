"""File hygiene: size and encoding, checked before any file is parsed.

UTF-8 is required. A byte-order mark and Windows line ends (CRLF) are accepted, because Excel
and Notepad write them; both are removed here so later stages see plain text.
"""

from __future__ import annotations

from pathlib import Path

from ..problems import Problem

# Large enough for a national collection (issue: 10,000 partnerships ~ 80,000 cost rows),
# small enough that an accidental export of something else is refused quickly.
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024

BOM = "\ufeff"
# Bytes that Windows-1252 uses for the Swedish letters å ä ö Å Ä Ö é, which are never valid
# UTF-8 on their own.
_CP1252_SWEDISH = {0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9}


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
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start]
        if bad in _CP1252_SWEDISH or _is_cp1252(raw):
            return None, [
                Problem(
                    shown,
                    line,
                    "",
                    "encoding-windows-1252",
                    "the file is saved as Windows-1252 (Excel's 'CSV (semikolonavgränsad)' or "
                    "an old editor), not UTF-8. In Excel choose Spara som > 'CSV UTF-8 "
                    "(kommaavgränsad)'; in a text editor save with encoding UTF-8",
                )
            ]
        return None, [
            Problem(
                shown,
                line,
                "",
                "encoding-invalid",
                f"byte 0x{bad:02X} is not valid UTF-8; save the file as UTF-8 text",
            )
        ]
    if text.startswith(BOM):
        text = text[1:]
    # Windows (CRLF) and old Mac (CR) line ends both become plain newlines.
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _is_cp1252(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True
