"""Shared helpers: build a dataset from the synthetic base fixture plus one broken case."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.build import Paths, build_site
from generator.model.publisher import SITE_URL_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
CASES = FIXTURES / "cases"
GOLDEN = Path(__file__).resolve().parent / "golden"
# The address the real site is built for in the tests, as a deployment sets it.
PUBLISHED_URL = "https://insyn.example.se/"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files from the current output",
    )


def folder_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, {path relative to it: bytes}: a folder to compare whole."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_dataset(target: Path, case: str | None = None) -> Path:
    """A data folder at ``target``: the base fixture, the real descriptor and schemas, and
    the files of ``case`` laid over them."""
    shutil.copytree(BASE, target)
    shutil.copy(DATA / "datapackage.yaml", target / "datapackage.yaml")
    shutil.copytree(DATA / "schemas", target / "schemas")
    if case:
        source = CASES / case
        for file in sorted(source.rglob("*")):
            rel = file.relative_to(source)
            if file.is_dir() or rel.name in ("expected", "_delete"):
                continue
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target / rel)
        delete = source / "_delete"
        if delete.exists():
            for rel in delete.read_text().split():
                (target / rel).unlink()
    return target


@pytest.fixture
def dataset(tmp_path: Path):
    """Build a dataset under tmp_path/data; returns a function taking an optional case."""

    def make(case: str | None = None) -> Path:
        return build_dataset(tmp_path / "data", case)

    return make


def site_paths(tmp_path: Path, data: Path) -> Paths:
    """Build paths for a site from ``data``, with everything written under ``tmp_path``."""
    return Paths(data, ROOT / "content", ROOT / "mkdocs.yml", tmp_path / "site", tmp_path / "build")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The site built from the real data in data/, once per test session, as a deployment
    builds it: with its published address set."""
    tmp = tmp_path_factory.mktemp("real")
    before = os.environ.get(SITE_URL_VARIABLE)
    os.environ[SITE_URL_VARIABLE] = PUBLISHED_URL
    try:
        build_site(site_paths(tmp, DATA))
    finally:
        if before is None:
            del os.environ[SITE_URL_VARIABLE]
        else:
            os.environ[SITE_URL_VARIABLE] = before
    return tmp / "site"


# Injection payloads: script, HTML, Markdown link and template syntax.
PAYLOADS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    '<img src=x onerror="alert(2)">',
]


def inject(root: Path) -> None:
    """Put every payload into titles and free text of each kind of record in a dataset."""
    text = " ".join(PAYLOADS)
    for file, old in (
        ("partnerships/test-iop.yaml", "title: Testpartnerskapet (syntetiskt)"),
        ("partnerships/test-projekt.yaml", "description: Ett syntetiskt projekt för tester."),
        ("questions/test-fraga.yaml", "summary: En syntetisk fråga."),
    ):
        path = root / file
        key = old.split(":")[0]
        content = path.read_text(encoding="utf-8").replace(old, f"{key}: {text!r}")
        path.write_text(content, encoding="utf-8")
    for file, old in (
        ("decisions.csv", "Testbeslut om partnerskap"),
        ("organisations.csv", "Testföreningen (syntetisk)"),
        ("costs.csv", "Personal"),
    ):
        path = root / file
        quoted = '"' + text.replace('"', '""') + '"'
        path.write_text(path.read_text(encoding="utf-8").replace(old, quoted), encoding="utf-8")


def searched_pages_in_mkdocs_order(site: Path) -> list[str]:
    """The pages search finds, in the order MkDocs builds them (its sorted files)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    docs = site.parent / "build" / "docs"
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_url=PUBLISHED_URL)
    pages = [f.dest_uri for f in get_files(config).documentation_pages()]
    return [p for p in pages if "data-pagefind-body" in (site / p).read_text("utf-8")]


def refusing_pagefind(refused: str) -> str:
    """A stand-in for Pagefind's indexing service: it answers every request, except a page
    whose path contains ``refused``, which it answers with an error."""
    return f"""import base64, json, sys
def say(number, payload):
    data = json.dumps({{"message_id": number, "payload": payload}}).encode()
    sys.stdout.buffer.write(base64.b64encode(data) + b",")
    sys.stdout.flush()
for part in iter(lambda: sys.stdin.buffer.read1(1 << 16), b""):
    for message in part.split(b","):
        if message.strip():
            request = json.loads(base64.b64decode(message))
            kind = request["payload"]["type"]
            if kind == "AddFile" and {refused!r} in request["payload"]["file_path"]:
                say(request["message_id"], {{"type": "Error", "message": "page not parsed"}})
            else:
                say(request["message_id"], {{"type": kind, "index_id": 0, "files": []}})
"""


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Playwright), shared by a module's tests."""
    from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
