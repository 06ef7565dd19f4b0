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

from conftest import DATA, PUBLISHED_URL, ROOT

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
