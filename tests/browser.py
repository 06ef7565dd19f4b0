"""Real-browser checks for the built site: headless Chromium driven by Playwright.

Each check is a plain function, so the tests can run it both on the real site and on a page
that breaks its rule, to prove the check can fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import posixpath
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Flags that keep Chromium from calling home (its own updates, sync, field trials).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """In CI a missing browser fails the run; elsewhere the tests say how to install it."""
    if CHROMIUM.is_file() and AXE.is_file():
        return
    what = []
    if not CHROMIUM.is_file():
        what.append(f"Chromium ({CHROMIUM}): sudo apt-get install chromium")
    if not AXE.is_file():
        what.append("axe-core (node_modules/): make test installs it with npm ci")
    missing_tools("browser tests need " + " and ".join(what))


def missing_tools(message: str) -> None:
    """A tool a test needs is missing: in CI that fails the run; elsewhere the test is skipped
    with ``message``, which says how to install it."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a browser that stops reading (an aborted request) is not an error here


@contextmanager
def serve(folder: Path, handler_class: type = QuietHandler) -> Iterator[str]:
    """Serve ``folder`` on a free localhost port; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def guard(page, requests: list[str]) -> None:
    """Record every request the page makes; let through only those to this machine, so no
    test ever sends anything elsewhere."""

    def handle(route):
        url = route.request.url
        requests.append(url)
        if urlparse(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)


# Records every breach of the page's Content-Security-Policy in window.__csp.
RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push([e.violatedDirective, e.blockedURI, e.sample].join(' ')));
"""


def csp_breaches(page) -> list[str]:
    """What the page's Content-Security-Policy blocked since the page loaded."""
    return page.evaluate("() => window.__csp || []")


def external(requests: list[str]) -> list[str]:
    return [
        url
        for url in requests
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname not in LOCAL_HOSTS
    ]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page, as 'rule: target' lines."""
    # Evaluated through the browser's developer protocol, which the page's
    # Content-Security-Policy does not govern (a script tag added to the page would be blocked).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def overflows(page) -> bool:
    """Whether the page scrolls sideways."""
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


def broken_words(page) -> list[str]:
    """Words in table cells that the browser broke across lines inside the word. A break
    at a hyphen or dash, as in "2021–2023" or a hyphenated name, is a break between words.
    Cells too small to see (the visually hidden headers of a phone's stacked list) are left out.
    """
    return page.evaluate(
        r"""() => {
          const found = [];
          for (const cell of document.querySelectorAll('main td, main th')) {
            const box = cell.getBoundingClientRect();
            if (box.width < 2 || box.height < 2) continue;
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const part of node.data.matchAll(/[^\s\-–—]+/g)) {
                const range = document.createRange();
                range.setStart(node, part.index);
                range.setEnd(node, part.index + part[0].length);
                const lines = new Set([...range.getClientRects()]
                  .filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) found.push(part[0]);
              }
            }
          }
          return found;
        }"""
    )


def spilled_tables(page) -> list[str]:
    """Tables whose visible part reaches past the right edge of the main content (and so under
    the table of contents): a table in a box that scrolls counts as the box."""
    return page.evaluate(
        """() => {
          const main = document.querySelector('.md-content') || document.querySelector('main');
          const edge = main.getBoundingClientRect().right;
          const found = [];
          for (const table of main.querySelectorAll('table')) {
            let shown = table;
            for (let p = table.parentElement; p && p !== main; p = p.parentElement) {
              if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) { shown = p; break; }
            }
            const over = shown.getBoundingClientRect().right - edge;
            if (over > 1) found.push((table.caption ? table.caption.textContent : 'tabell') +
              ': ' + Math.round(over) + ' px');
          }
          return found;
        }"""
    )


def injected(page) -> list[str]:
    """Elements that injected markup would create."""
    return page.evaluate(
        """() => {
          const found = [];
          for (const s of document.scripts) {
            if (s.textContent.includes('alert(')) found.push('script');
          }
          for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
              const value = a.value.trim().toLowerCase();
              if (a.name.startsWith('on') || value.startsWith('javascript:')) {
                found.push(el.tagName + ' ' + a.name);
              }
            }
          }
          for (const img of document.querySelectorAll('img[src="x"]')) found.push('img');
          return found;
        }"""
    )


def search_results(page, base: str, query: str) -> list[str]:
    """The result links the search page shows for ``query``: the first ten results' titles."""
    page.goto(f"{base}sok/?q={query}")
    # The message ("… gav 17 träffar") comes when the search is done; the first ten results
    # follow when their text has loaded.
    page.wait_for_function(
        """() => {
          const message = document.querySelector('.portal-find__status');
          const count = message && message.textContent.match(/gav (\\d+) träff/);
          if (!count) return false;
          const shown = document.querySelectorAll('.portal-find__title a').length;
          return shown >= Math.min(Number(count[1]), 10);
        }"""
    )
    return page.eval_on_selector_all(".portal-find__title a", "els => els.map(e => e.href)")


class _Links(HTMLParser):
    """The ids of a page, and every local URL it links to or loads."""

    ATTRIBUTES = ("href", "src")

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in self.ATTRIBUTES and value and tag != "form":
                self.urls.append(value)
            if name == "srcset" and value:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def broken_links(site: Path) -> list[str]:
    """Every internal link, resource and anchor in the built files that does not resolve, as
    'page -> url'. Links to other hosts are not followed: nothing goes over the network."""
    pages: dict[str, _Links] = {}
    for file in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(file.read_text(encoding="utf-8"))
        pages[file.relative_to(site).as_posix()] = parser
    broken = []
    for page, parser in pages.items():
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:")):
                continue
            base = "" if parts.path.startswith("/") else posixpath.dirname(page)
            target = posixpath.normpath(posixpath.join(base, parts.path.lstrip("/")))
            if parts.path == "":
                target = page
            elif url.split("#")[0].split("?")[0].endswith("/") or (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            target = target.removeprefix("./")
            if target.startswith("..") or not (site / target).is_file():
                broken.append(f"{page} -> {url}")
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                broken.append(f"{page} -> {url} (no such anchor)")
    return broken
