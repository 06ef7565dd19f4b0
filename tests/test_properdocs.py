"""The exit stays open: ProperDocs, the maintained fork of MkDocs 1.6, builds the real site to
the same files as MkDocs, byte for byte, except the generator tag in each page's head. So
nothing in the portal ties it to something only MkDocs has."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import DATA, PUBLISHED_URL, ROOT, build_dataset, folder_files

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


def test_properdocs_builds_the_same_site(real_site, tmp_path):
    env = {**os.environ, SITE_URL_VARIABLE: PUBLISHED_URL}
    command = [sys.executable, "-c", BUILD, str(ROOT), str(DATA), str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[-1]) == {"mkdocs": "properdocs"}
    theirs, ours = folder_files(tmp_path / "site"), folder_files(real_site)
    assert sorted(theirs) == sorted(ours)
    tags = set()
    for name, content in ours.items():
        other = theirs[name]
        if name.endswith(".html"):
            tags.update(GENERATOR.findall(other))
            content, other = GENERATOR.sub(b"", content), GENERATOR.sub(b"", other)
        assert content == other, name
    assert any(b"ProperDocs" in tag for tag in tags)  # it was ProperDocs that built it


# A rebuild is MkDocs' dirty build over hard links to the last site, with the search index
# read again only in the parts that changed: under ProperDocs it must give what a build from
# scratch gives, and the warnings the portal itself makes fatal in it (ProperDocs logs them
# under its own name) must still fail it and keep the last good site.
REBUILD = """
import json, shutil, sys
from pathlib import Path
import properdocs.replacement  # noqa: F401
from generator.build import BuildError, Paths, build_site
root, data, out = (Path(a) for a in sys.argv[1:4])
shutil.copytree(root / "content", out / "content")
def paths(name):
    return Paths(data, out / "content", root / "mkdocs.yml", out / name, out / f"{name}-build")
def files(site):
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in site.rglob("*") if f.is_file()}
kept = paths("kept")
build_site(kept)
unchanged = kept.site / "skrivelser" / "test-fraga" / "index.html"
inode = unchanged.stat().st_ino
record = data / "partnerships" / "test-projekt.yaml"
record.write_text(record.read_text("utf-8").replace("description: ", "description: Nytt mål. "))
build_site(kept)
linked = unchanged.stat().st_ino == inode  # a rebuild: an unchanged page is the same file
fresh = paths("fresh")
build_site(fresh)
same = files(kept.site) == files(fresh.site)
before = files(kept.site)
page = out / "content" / "om-uppgifterna.md"
page.write_text("# Om\\n\\n[trasig länk](finns-inte.md)\\n", "utf-8")
try:
    build_site(kept)
    said = ""
except BuildError as exc:
    said = str(exc)
kept_site = files(kept.site) == before
print(json.dumps({"linked": linked, "same": same, "said": said, "kept": kept_site}))
"""


def test_under_properdocs_a_rebuild_equals_a_build_and_a_broken_link_fails_it(tmp_path):
    data = build_dataset(tmp_path / "data")
    command = [sys.executable, "-c", REBUILD, str(ROOT), str(data), str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["linked"] and outcome["same"], outcome
    assert outcome["said"].startswith("MkDocs failed"), outcome
    assert "finns-inte.md" in outcome["said"]
    assert outcome["kept"]
