"""`portal serve`: the preview serves the site and shows a saved change to the data."""

from __future__ import annotations

from benchmark.measure import linked_project, serve_latency
from conftest import build_dataset


def test_preview_shows_a_saved_change(tmp_path):
    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    # Raises if the page or the download is not served, or the change does not show.
    seconds = serve_latency(project, timeout=120, check="data/costs.csv")
    assert seconds < 120
