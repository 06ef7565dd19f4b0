"""The exit stays open: ProperDocs, the maintained fork of MkDocs 1.6, builds the real site to
the same files as MkDocs, byte for byte, except the generator tag in each page's head. So
nothing in the portal ties it to something only MkDocs has."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import DATA, PUBLISHED_URL, ROOT, build_dataset

from generator.model.publisher import SITE_URL_VARIABLE

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')

# In a process of its own: ProperDocs answers every import of mkdocs from then on.
BUILD = """
import json, sys
from pathlib import Path
import properdocs.replacement  # noqa: F401
import mkdocs
from generator.build import Paths, build_site
root, data, out = (Path(a) for a in sys.argv[1:4])
build_site(Paths(data, root / "content", root / "mkdocs.yml", out / "site", out / "build"))
print(json.dumps({"mkdocs": mkdocs.__name__}))
"""


def _files(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in site.rglob("*") if f.is_file()}


def test_properdocs_builds_the_same_site(real_site, tmp_path):
    env = {**os.environ, SITE_URL_VARIABLE: PUBLISHED_URL}
    command = [sys.executable, "-c", BUILD, str(ROOT), str(DATA), str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[-1]) == {"mkdocs": "properdocs"}
    theirs, ours = _files(tmp_path / "site"), _files(real_site)
    assert sorted(theirs) == sorted(ours)
    tags = set()
    for name, content in ours.items():
        other = theirs[name]
        if name.endswith(".html"):
            tags.update(GENERATOR.findall(other))
            content, other = GENERATOR.sub(b"", content), GENERATOR.sub(b"", other)
        assert content == other, name
    assert any(b"ProperDocs" in tag for tag in tags)  # it was ProperDocs that built it


# A rebuild is MkDocs' dirty build, whose warnings the portal itself makes fatal: they must be
# caught under ProperDocs too, which logs them under its own name.
REBUILD = """
import json, shutil, sys
from pathlib import Path
import properdocs.replacement  # noqa: F401
from generator.build import BuildError, Paths, build_site
root, data, out = (Path(a) for a in sys.argv[1:4])
shutil.copytree(root / "content", out / "content")
paths = Paths(data, out / "content", root / "mkdocs.yml", out / "site", out / "build")
build_site(paths)
def files():
    return {f.as_posix(): f.read_bytes() for f in paths.site.rglob("*") if f.is_file()}
before = files()
page = out / "content" / "om-uppgifterna.md"
page.write_text("# Om\\n\\n[trasig länk](finns-inte.md)\\n", "utf-8")
try:
    build_site(paths)
    said = ""
except BuildError as exc:
    said = str(exc)
print(json.dumps({"said": said, "kept": files() == before}))
"""


def test_under_properdocs_a_rebuild_with_a_broken_link_fails_and_keeps_the_site(tmp_path):
    data = build_dataset(tmp_path / "data")
    command = [sys.executable, "-c", REBUILD, str(ROOT), str(data), str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["said"].startswith("MkDocs failed"), outcome
    assert "finns-inte.md" in outcome["said"]
    assert outcome["kept"]
