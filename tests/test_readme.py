"""The README's two commands stay true: they exist, and `make site` works on the real data."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, build_dataset


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


def test_pre_commit_hook_stops_a_broken_data_file(tmp_path):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(
        h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "portal-validate"
    )
    assert hook["files"] == "^data/" and hook["pass_filenames"] is False
    command = shlex.split(hook["entry"])
    assert command[1:] == ["validate", "data"]
    build_dataset(tmp_path / "data", "foreign-key")
    portal = str(Path(sys.prefix) / "bin" / "portal")
    result = subprocess.run([portal, *command[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout.startswith("data/costs.csv:2: funder_id:")
