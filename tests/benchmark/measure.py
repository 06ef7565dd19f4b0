"""The benchmark's two interactive figures: how soon the live preview shows a saved change, and
what a visitor's browser transfers and waits for before the first search results."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

QUERY = "föreningarna"  # an inflected form: the pages say "förening" and "föreningar"


def serve_latency(project: Path, portal: list[str], timeout: float = 3600) -> float:
    """Seconds from saving a partnership to `portal serve` serving the changed page."""
    port = _free_port()
    path = sorted((project / "data" / "partnerships").glob("syntetiskt-*.yaml"))[-1]
    url = f"http://127.0.0.1:{port}/partnerskap/{path.stem}/"
    child = subprocess.Popen(
        [*portal, "serve", "--root", str(project), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        _wait_for(url, "", timeout, child)
        time.sleep(2)  # let the watcher settle after the first build
        marker = f"Ändrad {time.time_ns()}"
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        path.write_text(text.replace("\ndescription: ", f"\ndescription: {marker}. ", 1), "utf-8")
        _wait_for(url, marker, timeout, child)
        return round(time.perf_counter() - start, 2)
    finally:
        child.terminate()
        child.wait()


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
    """In headless Chromium: open the search page, type the query, and measure the bytes
    transferred (page, assets and search index) and the time from the last keystroke to the
    first result on screen."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from browser import CHROMIUM, serve  # the test suite's local server and browser path
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        received: list[int] = []
        cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
        page.goto(f"{base}sok/")
        page.wait_for_selector(".pagefind-ui__search-input")
        page.wait_for_load_state("networkidle")
        page.type(".pagefind-ui__search-input", QUERY, delay=50)
        start = time.perf_counter()
        page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        elapsed = time.perf_counter() - start
        page.wait_for_timeout(200)  # count the fragments of the first result, too
        hits = page.eval_on_selector(".pagefind-ui__message", "e => e.textContent")
        browser.close()
    return {
        "search_kb": round(sum(received) / 1024),
        "search_ms": round(elapsed * 1000),
        "search_hits": hits.strip(),
    }
