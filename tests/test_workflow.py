"""The CI workflow stays pinned and least-privilege: zizmor, run offline, finds nothing in
.github/ (every action pinned to a commit, no persisted credentials, narrow permissions, a
cooldown on Dependabot's updates)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _zizmor(folder: Path) -> list[dict]:
    found = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(found).exists():
        pytest.fail("zizmor is missing: install the test dependencies (make test does)")
    result = subprocess.run(
        [found, "--offline", "--persona", "pedantic", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr
    return json.loads(result.stdout or "[]")


def test_the_workflow_has_no_finding():
    findings = _zizmor(ROOT / ".github")
    assert [(f["ident"], f["determinations"]["severity"]) for f in findings] == []


def test_the_check_can_fail(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    found = {f["ident"] for f in _zizmor(tmp_path / ".github")}
    assert {"unpinned-uses", "artipacked", "excessive-permissions"} <= found
