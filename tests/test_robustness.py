"""Bad input never gives a traceback: seeded random edits of the fixture always yield problems
in the documented format, never an exception."""

from __future__ import annotations

import random

import pytest

from generator.checks.validate import validate
from generator.problems import CODES, Problem

EDITS = ["delete-line", "duplicate-line", "garble", "truncate", "binary", "indent", "quote"]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    edit = rng.choice(EDITS)
    if edit == "delete-line":
        del lines[i]
    elif edit == "duplicate-line":
        lines.insert(i, lines[i])
    elif edit == "garble" and lines[i]:
        j = rng.randrange(len(lines[i]))
        lines[i] = (
            lines[i][:j] + rng.choice([b",", b":", b'"', b"- ", b"{", b"[", b"&a"]) + lines[i][j:]
        )
    elif edit == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    elif edit == "binary":
        return data[: len(data) // 2] + bytes([rng.randrange(128, 256)]) + data[len(data) // 2 :]
    elif edit == "indent":
        lines[i] = b"  " + lines[i]
    elif edit == "quote":
        lines[i] = lines[i].replace(b",", b',"', 1)
    return b"\n".join(lines)


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("ROBUST_N", "40"))))
def test_random_edit_never_crashes(dataset, seed):
    rng = random.Random(seed)
    root = dataset()
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml"))
    for _ in range(3):
        file = rng.choice(files)
        file.write_bytes(_mutate(file.read_bytes(), rng))
    problems = validate(root, "data")
    for problem in problems:
        assert isinstance(problem, Problem) and problem.code in CODES
        assert problem.path.startswith("data/") and problem.line >= 0


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Titel\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Titel\x07", "U+0007 CONTROL CHARACTER"),
        ("Titel\ufffe", "U+FFFE NONCHARACTER"),  # the workbook would show it as "_xFFFE_"
        ("\uffffTitel", "U+FFFF NONCHARACTER"),
    ],
)
def test_a_character_no_data_may_hold_is_refused_on_its_line(text, named):
    """Invisible characters that hide or reverse text, or that no XML file (so no workbook and
    no feed) may hold, are refused on their line, and named."""
    from generator.source.files import forbidden_characters

    problems = forbidden_characters(f"id: x\ntitle: {text}\n", "data/partnerships/x.yaml")
    assert [(p.line, p.code) for p in problems] == [(2, "control-character")]
    assert f"({named})" in problems[0].message
