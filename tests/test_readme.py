"""The README's two commands stay true: they exist, and `make site` works on the real data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#")[0].strip() for line in block.strip().splitlines()]


def test_readme_gives_exactly_the_two_commands():
    assert _readme_commands() == ["make site", "make test"]


def test_the_commands_are_make_targets_and_ci_runs_the_test_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("site", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_make_site_builds_the_real_data():
    venv = Path(sys.prefix)
    result = subprocess.run(
        ["make", "--no-print-directory", "site", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "built" in result.stderr
    assert (ROOT / "site" / "index.html").is_file()
    assert (ROOT / "site" / "partnerskap" / "min-framtid" / "index.html").is_file()
