"""A CSV file read into text cells by column name, with the physical line of every row, and
the problems of its shape: blank rows, rows of the wrong length, broken quoting."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..problems import Problem


@dataclass
class Table:
    """One CSV resource, as text cells keyed by column name, with each row's first line."""

    name: str
    path: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    key: str = ""  # a hash of the file's path and text, for the check cache


def parse_csv(text: str, name: str, shown: str, key: str) -> tuple[Table | None, list[Problem]]:
    """The table in ``text`` (None when it cannot be parsed), and its problems; ``key`` is
    the hash of the file's path and text that load.py has made already."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text), strict=True)
    last_line = text.rstrip("\n").count("\n") + 1  # blank lines after it are ignored
    previous = 0
    try:
        header = next(reader, [])
        table = Table(name, shown, header, key=key)
        previous = reader.line_num
        for cells in reader:
            line = previous + 1
            previous = reader.line_num
            if not cells or not any(c.strip() for c in cells):
                if line <= last_line:
                    problems.append(
                        Problem(shown, line, "", "blank-row", "the row is empty; delete it")
                    )
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        "row-shape",
                        f"the row has {len(cells)} cells but "
                        f"the header has {len(header)} columns; check for a missing or extra "
                        "comma, and put text that contains commas in double quotes",
                    )
                )
                continue
            table.rows.append(dict(zip(header, cells, strict=True)))
            table.lines.append(line)
    except csv.Error as exc:
        problems.append(
            Problem(
                shown,
                previous + 1,
                "",
                "csv-syntax",
                f"CSV syntax error: {exc}; check "
                'that every double quote inside a cell is doubled ("")',
            )
        )
        return None, problems
    return table, problems
