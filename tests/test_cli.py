"""Exact-output tests of the command line, in the style of sqlite-utils."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import DATA, build_dataset, folder_files

from generator.cli import main


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_ENV,
    )


_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def test_valid_exits_0(tmp_path):
    build_dataset(tmp_path / "data")
    result = run(["validate"], tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "data: valid\n")


def test_invalid_prints_every_problem_and_exits_1(tmp_path):
    build_dataset(tmp_path / "data", "outside-period")
    result = run(["validate", "data"], tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "data/costs.csv:3: year: 2028 is outside the partnership's period 2026–2027 "
        "[outside-period]\n"
        "data/results.csv:3: period_end: 2025-07-01 is outside the partnership's period "
        "2024-01-01–2025-06-30 [outside-period]\n"
    )
    assert result.stderr == "2 problems in 2 files\n"


def test_whole_file_problem_has_no_line(tmp_path):
    build_dataset(tmp_path / "data", "file-missing")
    result = run(["validate", "data"], tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "data/costs.csv: resource 'costs' names this file, but it does not exist [file-missing]\n"
    )
    assert result.stderr == "1 problem in 1 file\n"


def test_json_output(tmp_path):
    build_dataset(tmp_path / "data", "foreign-key")
    result = run(["validate", "data", "--json"], tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "path": "data/costs.csv",
            "line": 2,
            "field": "funder_id",
            "code": "foreign-key",
            "message": "'okand-kommun' is not an id in organisations.csv; add that row or "
            "correct it",
        }
    ]


def test_json_output_when_valid(tmp_path):
    build_dataset(tmp_path / "data")
    result = run(["validate", "data", "--json"], tmp_path)
    assert (result.returncode, result.stdout) == (0, "[]\n")


def test_missing_folder_is_a_usage_error(tmp_path):
    result = run(["validate", "nowhere"], tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "portal validate: error: nowhere is not a folder\n"


def test_unknown_option_is_a_usage_error(capsys):
    try:
        main(["validate", "--bogus"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("argparse should exit")
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_github_annotations(tmp_path):
    build_dataset(tmp_path / "data", "outside-period")
    result = run(["validate", "data", "--github"], tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=data/costs.csv,line=3,title=year [outside-period]::2028 is outside the "
        "partnership's period 2026–2027\n"
        "::error file=data/results.csv,line=3,title=period_end [outside-period]::2025-07-01 is "
        "outside the partnership's period 2024-01-01–2025-06-30\n"
    )


def test_build_timings_report_the_stages_and_the_peak_memory(tmp_path):
    """`portal build --timings` (what the benchmark reads): the pages, each stage's seconds,
    and the peak memory of the build's process and of the programs it ran."""
    from benchmark.measure import linked_project

    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    result = run(["build", "--root", str(project), "--timings"], tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["pages"] > 10
    stages = {"validate", "history", "pages", "downloads", "selections", "mkdocs", "search"}
    assert stages <= set(report["seconds"])
    memory = report["memory_mb"]
    assert set(memory) == {"build", "programs"}
    assert 30 < memory["build"] < 2000 and 0 < memory["programs"] < 2000


def test_a_build_asked_to_stop_stops_all_it_started_and_keeps_the_last_site(tmp_path):
    """Asked to stop (SIGTERM, as CI sends when a run is cancelled) while MkDocs and Pagefind
    build the new site, a build stops what it started beside it, says so and exits 143; the
    last site is as it was. (Before, the process ended at once and left them running.)"""
    from benchmark.measure import linked_project, stopped_group
    from benchmark.synthetic import make_dataset

    project = linked_project(tmp_path / "project")
    make_dataset(project / "data", 150, seed=2, real=DATA)
    assert run(["build", "--root", str(project)], tmp_path).returncode == 0
    site = folder_files(project / "site")
    record = sorted((project / "data" / "partnerships").glob("*.yaml"))[0]
    text = record.read_text("utf-8").replace("\ndescription: ", "\ndescription: Ny. ", 1)
    record.write_text(text, "utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(project)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_ENV,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not (project / "build" / "site.new").exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # until the new site is being built
    child.terminate()
    _, said = child.communicate(timeout=60)
    assert child.returncode == 143, said
    assert said.endswith("portal: stopped before it had finished\n"), said
    assert stopped_group(child.pid) == []
    assert folder_files(project / "site") == site
