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


class _Recorder:
    """Stands in for the rebuild signal: notes each rebuild asked for and each waited for."""

    def __init__(self) -> None:
        self.asked: list[int] = []
        self.waited: list[int] = []

    def request(self) -> int:
        self.asked.append(len(self.asked))
        return self.asked[-1]

    def wait(self, asked: int) -> None:
        self.waited.append(asked)


def test_a_save_is_done_only_when_mkdocs_has_built_it(tmp_path):
    """The next save's pages must not be written while MkDocs builds: MkDocs reads every page
    before it writes any, so a page saved in between looks older than its output and no later
    rebuild takes it up (a second edit in a row then never showed). So each rebuild the
    preview asks for is waited for before it takes the next save."""
    from generator.build import Paths
    from generator.serve import _regenerate
    from generator.site.preview import Preview

    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    rebuild = _Recorder()
    assert _regenerate(Paths.default(project), Preview(), rebuild)
    assert len(rebuild.asked) == 2
    assert rebuild.waited == rebuild.asked
