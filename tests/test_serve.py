"""`portal serve`: the preview serves the site and shows a saved change to the data."""

from __future__ import annotations

from benchmark.measure import linked_project, serve_latency
from conftest import build_dataset


def test_preview_shows_a_saved_change(tmp_path):
    """The change shows, and what the preview says is about the editor's files: no warning
    from MkDocs about the rebuild the preview asked for."""
    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    log = tmp_path / "said.txt"
    # Raises if the page or the download is not served, or the change does not show.
    seconds = serve_latency(project, timeout=120, check="data/costs.csv", log=log)
    assert seconds < 120
    said = log.read_text("utf-8")
    assert "portal serve: updated" in said
    assert "WARNING" not in said and "dirty" not in said, said


class _Server:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def unwatch(self, path: str) -> None:
        self.watched.remove(path)


def test_in_the_preview_mkdocs_rebuilds_when_the_generator_asks(tmp_path, monkeypatch):
    """Under `portal serve` MkDocs watches the signal file, not each file the generator
    writes, and says when a build has finished; under a plain `mkdocs serve`, nothing
    changes."""
    from types import SimpleNamespace

    from generator.site import reload

    config = SimpleNamespace(docs_dir=str(tmp_path / "docs"))
    server = _Server()
    server.watch(config.docs_dir)
    monkeypatch.delenv(reload.SIGNAL, raising=False)
    assert reload.on_serve(server, config).watched == [config.docs_dir]

    signal = tmp_path / "signal"
    monkeypatch.setenv(reload.SIGNAL, str(signal))
    assert reload.on_serve(server, config).watched == [str(signal)]
    assert not (tmp_path / "signal.built").exists()
    reload.on_post_build(config=config)
    assert (tmp_path / "signal.built").exists()
