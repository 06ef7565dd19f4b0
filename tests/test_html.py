"""Every page of the site is valid HTML: the Nu Html Checker (vnu, the checker behind
validator.w3.org/nu) finds no error on any of them. Warnings are not errors, and info messages
are not read. The check is also run on a page with an invalid attribute, to prove it can fail.

vnu comes from the npm registry (the package vnu-jar, which `make test` installs with npm ci)
and runs on Java (Debian: default-jre-headless).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
from browser import missing_tools

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_vnu() -> str:
    """The path of Java, with vnu beside it. In CI a missing checker fails the run; elsewhere
    the tests say how to install it."""
    java = shutil.which("java")
    if java and VNU.is_file():
        return java
    what = []
    if not java:
        what.append("Java: sudo apt-get install default-jre-headless")
    if not VNU.is_file():
        what.append("vnu-jar (node_modules/): make test installs it with npm ci")
    missing_tools("the HTML check needs " + " and ".join(what))


def vnu_errors(java: str, root: Path) -> list[str]:
    """vnu's errors in every HTML file under ``root``, as 'path:line: message' lines with the
    path relative to ``root``. One run of the checker for the whole folder."""
    command = [java, "-jar", str(VNU), "--format", "json", "--stdout", "--errors-only"]
    command += ["--exit-zero-always", "--no-langdetect", "--skip-non-html", str(root)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"vnu failed ({result.returncode}): {result.stderr.strip()}")
    errors = []
    for message in json.loads(result.stdout)["messages"]:
        # "error" is invalid markup; "non-document-error" a file vnu could not read.
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = Path(url2pathname(urlsplit(message.get("url", "")).path))
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        line = message.get("lastLine", "?")
        errors.append(f"{name}:{line}: {message.get('message', '').strip()}")
    return errors


@pytest.fixture(scope="session")
def java() -> str:
    """Java for vnu, looked for before the site is built, so a missing checker skips at once."""
    return require_vnu()


def test_every_page_is_valid_html(java, real_site):
    assert len(list(real_site.rglob("*.html"))) > 50
    errors = vnu_errors(java, real_site)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


def test_html_check_finds_an_invalid_attribute(java, real_site, tmp_path):
    """The same check reports an attribute that HTML does not allow, in the file that has it,
    and nothing in an unchanged copy of the same page."""
    page = (real_site / "partnerskap" / "min-framtid" / "index.html").read_text("utf-8")
    (tmp_path / "valid").mkdir()
    (tmp_path / "valid" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "broken").mkdir()
    broken = page.replace("<article", '<article markdown="0"', 1)
    assert broken != page
    (tmp_path / "broken" / "index.html").write_text(broken, encoding="utf-8")
    errors = vnu_errors(java, tmp_path)
    assert len(errors) == 1, errors
    assert errors[0].startswith("broken/index.html:"), errors
    assert "markdown" in errors[0] and "not allowed" in errors[0], errors
