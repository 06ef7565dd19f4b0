"""`portal serve`: the preview serves the site and shows a saved change to the data."""

from __future__ import annotations

import sys

from benchmark.measure import serve_latency
from conftest import ROOT, build_dataset


def test_preview_shows_a_saved_change(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "generator", "mkdocs.yml"):
        (project / name).symlink_to(ROOT / name)
    build_dataset(project / "data")
    portal = [sys.executable, "-m", "generator.cli"]
    # Raises if the page or the download is not served, or the change does not show.
    seconds = serve_latency(project, portal, timeout=120, check="data/costs.csv")
    assert seconds < 120
