"""The benchmark's two interactive figures: how soon the live preview shows a saved change, and
what a visitor's browser transfers and waits for before the first search results."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Inflected forms: a rare word (only in the real data's "två processledare") and a word that
# the synthetic text repeats on nine pages in ten ("förening", "föreningen", "föreningarnas").
QUERIES = {"rare": "processledarna", "common": "föreningarna"}
# The search opened as its address is timed this many times, each with nothing cached: one
# navigation's time varies by a tenth or more from one to the next on the same machine.
LANDINGS = 5
_TEXT = (
    ".html",
    "/",
    ".css",
    ".js",
    ".json",
    ".xml",
    ".svg",
)  # an inflected form: the pages say "förening" and "föreningar"


ROOT = Path(__file__).resolve().parents[2]
PORTAL = [sys.executable, "-m", "generator.cli"]


def linked_project(folder: Path) -> Path:
    """A project folder that links this project's code, pages and configuration; its data/
    is for the caller to make."""
    folder.mkdir(parents=True)
    for name in ("content", "generator", "mkdocs.yml", "requirements"):
        (folder / name).symlink_to(ROOT / name)
    return folder


def serve_latency(
    project: Path,
    timeout: float = 3600,
    check: str = "",
    log: Path | None = None,
    portal: list[str] = PORTAL,
    shows: str = "",
    stop_while: Callable[[list[str]], bool] | None = None,
) -> float:
    """Seconds from saving a partnership to `portal serve` (run as ``portal``) serving the
    changed page; before the change, the page must hold ``shows`` and the page at the address
    ``check`` must be served too. What the preview says goes to ``log``, if given. It is asked to
    stop once the change is served, or, given ``stop_while``, once that is true of the command
    lines of its processes; it must then leave nothing running (its save's downloads would
    otherwise go on beside what is measured next)."""
    port = _free_port()
    path = sorted((project / "data" / "partnerships").glob("*.yaml"))[-1]
    url = f"http://127.0.0.1:{port}/partnerskap/{path.stem}/"
    said = log.open("wb") if log else subprocess.DEVNULL
    child = subprocess.Popen(
        [*portal, "serve", "--root", str(project), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=said,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        start_new_session=True,  # a process group of its own: what it starts is in it
    )
    try:
        _wait_for(url, shows, timeout, child)
        if check:
            _wait_for(f"http://127.0.0.1:{port}/{check}", "", timeout, child)
        time.sleep(2)  # let the watcher settle after the first build
        marker = f"Ändrad {time.time_ns()}"
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        path.write_text(text.replace("\ndescription: ", f"\ndescription: {marker}. ", 1), "utf-8")
        _wait_for(url, marker, timeout, child)
        seconds = round(time.perf_counter() - start, 2)
        deadline = time.perf_counter() + timeout
        while stop_while and not stop_while(running(child.pid)):
            if time.perf_counter() > deadline:
                raise SystemExit(
                    f"portal serve did not come to the point to stop at in {timeout} s"
                )
            time.sleep(0.02)
    finally:
        child.terminate()
        child.wait()
        left = stopped_group(child.pid)
        if log:
            said.close()
    if left:
        raise SystemExit(f"portal serve left {left} running once it had stopped")
    return seconds


def running(group: int) -> list[str]:
    """The command lines of the processes of process ``group`` that are running (not those
    that have ended and wait to be reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            state, _parent, pgrp = text[text.rindex(")") + 2 :].split()[:3]
            if int(pgrp) == group and state != "Z":
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ValueError):  # ended meanwhile
            continue
    return found


def stopped_group(group: int, grace: float = 2.0) -> list[str]:
    """What of process ``group`` is still running ``grace`` seconds after its leader ended (the
    command lines), then killed, so that it runs no longer."""
    deadline = time.monotonic() + grace
    while (left := running(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    return left


def _wait_for(url: str, text: str, timeout: float, child: subprocess.Popen) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if child.poll() is not None:
            raise SystemExit("portal serve stopped")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {text!r} within {timeout} s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browse(site: Path) -> dict:
    """The search figures for each of QUERIES."""
    results = {}
    for name, query in QUERIES.items():
        for key, value in _search(site, query).items():
            results[f"search_{name}_{key}"] = value
    # The benchmark checks its own measurement: the common word must find more pages.
    if not results["search_common_count"] > results["search_rare_count"] > 0:
        raise SystemExit(f"the search figures cannot be right: {results}")
    return results


# True once the results shown are those of the whole query (the message names the query it
# answers), not those of its first letters; then the time since the page's navigation began.
_SHOWN = """query => {
  const message = document.querySelector('.portal-find__status');
  return message && message.textContent.trim().startsWith(query + ' ')
    && document.querySelector('.portal-find__title a') && performance.now();
}"""


def _search(site: Path, query: str) -> dict:
    """In headless Chromium: open the search page, type the query, and measure the bytes the
    server sent (page, assets and search index; gzipped text, as static hosting sends it, and
    uncompressed, and what the search loads after the page) and the time from the last
    keystroke to the first result on screen. Then, with nothing cached, open the search's
    address with the query (as the header's search form and a shared link do) and measure the
    bytes and the time from the start of the navigation until the results are shown: LANDINGS
    times, each in a browser context of its own, for the median time and the most bytes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from browser import CHROMIUM  # the test suite's browser path
    from playwright.sync_api import sync_playwright

    sent: list[tuple[int, int]] = []
    with _counting_server(site, sent) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page()
        page.goto(f"{base}sok/")
        page.wait_for_selector(".portal-find__input")
        page.wait_for_load_state("networkidle")
        loaded = len(sent)  # the page and the theme: what any page of the site costs
        page.type(".portal-find__input", query, delay=50)
        start = time.perf_counter()
        page.wait_for_function(_SHOWN, arg=query, timeout=600_000, polling=10)
        elapsed = time.perf_counter() - start
        raw, packed = (sum(sizes) for sizes in zip(*sent, strict=True))
        searched = sum(size for _, size in sent[loaded:])
        hits = page.eval_on_selector(".portal-find__status", "e => e.textContent").strip()
        landed_ms, landed_kb = [], []
        for _ in range(LANDINGS):
            sent.clear()
            landing = browser.new_page()  # a context of its own: nothing cached
            landing.goto(f"{base}sok/?q={urllib.parse.quote(query)}", wait_until="commit")
            shown = landing.wait_for_function(_SHOWN, arg=query, timeout=600_000, polling=10)
            landed_ms.append(round(shown.json_value()))
            landed_kb.append(round(sum(size for _, size in sent) / 1024))
            landing.close()
        browser.close()
    return {
        "query": query,
        "kb": round(packed / 1024),
        "kb_uncompressed": round(raw / 1024),
        "kb_after_page": round(searched / 1024),  # the search's own files
        "ms": round(elapsed * 1000),
        "hits": hits,
        "count": int("".join(re.findall(r"\d", hits.removeprefix(query))) or 0),
        "address_kb": max(landed_kb),
        "address_ms": round(statistics.median(landed_ms)),
        "address_ms_range": f"{min(landed_ms)} to {max(landed_ms)}",
    }


@contextmanager
def _counting_server(folder: Path, sent: list[tuple[int, int]]) -> Iterator[str]:
    """The test suite's local static server, recording the size of every response body, as
    sent and as static hosting sends it: text gzipped (Pagefind's files are compressed
    already)."""
    from browser import QuietHandler, serve

    class Counting(QuietHandler):
        def copyfile(self, source, outputfile) -> None:
            data = source.read()
            text = urllib.parse.urlsplit(self.path).path.endswith(_TEXT)  # "/sok/?q=…" is a page
            packed = len(gzip.compress(data, 6)) if text else len(data)
            sent.append((len(data), packed))
            outputfile.write(data)

    with serve(folder, Counting) as base:
        yield base
