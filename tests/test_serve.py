"""`portal serve`: the preview serves the site and shows a saved change to the data."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import queue
import sys
import threading
import time
from types import SimpleNamespace

import pytest
from benchmark.measure import PORTAL, linked_project, serve_latency
from benchmark.synthetic import make_dataset
from conftest import DATA, build_dataset

# The preview run by ProperDocs, the maintained fork of MkDocs 1.6, which then answers every
# import of mkdocs: the exit stays open for the editors' preview too.
_PROPERDOCS = [
    sys.executable,
    "-c",
    "import sys, properdocs.replacement; from generator.cli import main; sys.exit(main())",
]


@pytest.mark.parametrize(
    ("portal", "shows"),
    [(PORTAL, 'content="mkdocs-1.'), (_PROPERDOCS, 'content="mkdocs-ProperDocs ')],
    ids=["mkdocs", "properdocs"],
)
def test_preview_shows_a_saved_change(tmp_path, portal, shows):
    """The change shows, and what the preview says is about the editor's files: no warning
    from MkDocs about the rebuild the preview asked for."""
    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    log = tmp_path / "said.txt"
    # Raises if the page (built by the engine named in its generator tag) or the download is
    # not served, or the change does not show.
    seconds = serve_latency(
        project, timeout=120, check="data/costs.csv", log=log, portal=portal, shows=shows
    )
    assert seconds < 120
    said = log.read_text("utf-8")
    assert "portal serve: updated" in said
    assert "WARNING" not in said and "dirty" not in said, said


def test_a_preview_asked_to_stop_while_it_makes_downloads_leaves_nothing_running(tmp_path):
    """Asked to stop (SIGTERM, as a service manager or a script sends) while a save's downloads
    are made in a process of their own, the preview stops them before it ends: nothing goes on
    writing into the docs folder once the preview has gone. (Before, the downloads went on
    alone, for minutes at 10,000 partnerships.)"""
    project = linked_project(tmp_path / "project")
    make_dataset(project / "data", 300, seed=1, real=DATA)  # downloads of a second or more
    # Raises if anything of the preview is still running two seconds after it ended.
    serve_latency(project, timeout=300, stop_while=_making_downloads)


def _making_downloads(running: list[str]) -> bool:
    """A process of the preview's own, started anew to make a save's downloads."""
    return any("multiprocessing.spawn" in line for line in running)


class _Server:
    def __init__(self) -> None:
        self.watched: list[str] = []
        self.builder = lambda: None

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def unwatch(self, path: str) -> None:
        self.watched.remove(path)


def test_in_the_preview_mkdocs_rebuilds_when_the_generator_asks(tmp_path, monkeypatch):
    """Under `portal serve` MkDocs watches the signal file, not each file the generator
    writes, and says when a build has finished; under a plain `mkdocs serve`, nothing
    changes."""
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
        self.files: list[str] = []  # every file a rebuild was asked for

    def request(self, changed: list[str] | None = None) -> int:
        self.asked.append(len(self.asked))
        self.files += changed or []
        return self.asked[-1]

    def wait(self, asked: int) -> None:
        self.waited.append(asked)


def test_a_save_is_shown_before_the_cycle_collector_runs_and_leaves_no_garbage(
    tmp_path, monkeypatch
):
    """A full pass of Python's cycle collector looks at every object the preview holds (two
    datasets during a save: seconds at 10,000 partnerships), so it is held back from a save
    until MkDocs has shown it, and the save's garbage is collected afterwards: a preview kept
    open for a day of edits does not grow. The first preview, which renders every page, runs
    with the collector."""
    from generator import serve
    from generator.build import Paths
    from generator.site.preview import Preview

    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    collecting: list[tuple[str, bool]] = []
    generate = serve.generate_into

    def noted(*args, **kwargs):
        collecting.append(("pages", gc.isenabled()))
        return generate(*args, **kwargs)

    monkeypatch.setattr(serve, "generate_into", noted)
    rebuild = _Recorder()
    rebuild.wait = lambda asked: collecting.append(("shown", gc.isenabled()))
    preview, paths = Preview(), Paths.default(project)
    assert serve._regenerate(paths, preview, rebuild)
    record = sorted((paths.data / "partnerships").glob("*.yaml"))[0]
    text = record.read_text("utf-8").replace("\ndescription: ", "\ndescription: Ny. ", 1)
    record.write_text(text, "utf-8")
    assert serve._regenerate(paths, preview, rebuild)
    assert preview.rendered  # the change was rendered
    first, save = collecting[:3], collecting[3:]
    assert first == [("pages", True), ("shown", True), ("shown", True)]
    assert save == [("pages", False), ("shown", False), ("shown", True)]
    assert gc.isenabled()
    assert gc.collect() == 0


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


def test_a_newer_save_stops_the_downloads_and_the_next_makes_every_one(tmp_path):
    """At 10,000 partnerships a save's downloads take minutes. A newer save stops them, so that
    its own pages are shown at once, not after them. The next save that makes the downloads
    to the end writes every one, and counts as changed each file the stopped ones may have
    written (its bytes are then already there), so that MkDocs takes it up."""
    from generator.build import Paths, generate
    from generator.serve import _regenerate
    from generator.site.preview import Preview

    project = linked_project(tmp_path / "project")
    build_dataset(project / "data")
    paths, preview, rebuild = Paths.default(project), Preview(), _Recorder()
    assert _regenerate(paths, preview, rebuild)
    record = sorted((paths.data / "partnerships").glob("*.yaml"))[0]
    text = record.read_text("utf-8").replace("\ndescription: ", "\ndescription: Nyhetsord ", 1)
    record.write_text(text, "utf-8")
    downloads = {f: f.read_bytes() for f in (paths.docs / "data").rglob("*") if f.is_file()}

    asked = len(rebuild.asked)
    assert _regenerate(paths, preview, rebuild, superseded=lambda: True)
    assert "Nyhetsord" in (paths.docs / "partnerskap" / f"{record.stem}.md").read_text("utf-8")
    assert len(rebuild.asked) == asked + 1  # the pages shown, and nothing after them
    assert multiprocessing.active_children() == []
    assert {f: f.read_bytes() for f in downloads} == downloads  # the downloads as they were

    # What the stopped downloads had written of the new ones, say the partnerships' table.
    made = generate(paths, parallel=False)
    assert made["data/partnerships.csv"] != downloads[paths.docs / "data/partnerships.csv"]
    (paths.docs / "data/partnerships.csv").write_bytes(made["data/partnerships.csv"])
    rebuild.files.clear()
    assert _regenerate(paths, preview, rebuild)
    for rel, content in made.items():
        if rel.startswith("data/"):
            assert (paths.docs / rel).read_bytes() == content, rel
    assert "data/partnerships.csv" in rebuild.files
    rebuild.files.clear()
    assert _regenerate(paths, preview, rebuild)  # the downloads made to the end: none changed
    assert rebuild.files == []


def test_saves_are_taken_once_mkdocs_serves_and_a_newer_one_supersedes_the_last(
    tmp_path, monkeypatch
):
    """The saves are noted from the start of the preview, by a thread of their own. Those made
    before MkDocs serves are taken once it does; one made while the last is regenerated makes
    that regeneration superseded, and is taken right after it."""
    from generator import serve

    saves: queue.Queue = queue.Queue()

    def watch(*folders, stop_event):
        while not stop_event.is_set():
            with contextlib.suppress(queue.Empty):  # no save yet
                yield {("modified", saves.get(timeout=0.05))}

    stop, saved = threading.Event(), threading.Event()
    taken: list[tuple[str, bool]] = []

    def regenerate(paths, preview, rebuild, superseded):
        taken.append((saves_made[-1], superseded()))
        if len(taken) == 1:
            saves_made.append("second")
            saves.put("second")
            deadline = time.monotonic() + 10
            while not superseded() and time.monotonic() < deadline:
                time.sleep(0.05)
            taken.append(("superseded", superseded()))
        else:
            stop.set()
        return True

    monkeypatch.setattr(serve, "watch", watch)
    monkeypatch.setattr(serve, "_regenerate", regenerate)
    paths = SimpleNamespace(data=tmp_path, content=tmp_path)
    rebuild = serve.Rebuild(tmp_path / "signal")
    saves_made = ["first"]
    threading.Thread(target=serve._note_saves, args=(paths, saved, stop), daemon=True).start()
    saves.put("first")
    watcher = threading.Thread(target=serve._watch, args=(paths, None, rebuild, saved, stop))
    watcher.start()
    time.sleep(1)
    assert taken == []  # MkDocs does not serve yet: its hook makes the signal file then
    rebuild.path.touch()
    watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert taken == [("first", False), ("superseded", True), ("second", False)]
