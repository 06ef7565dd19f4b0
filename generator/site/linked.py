"""A MkDocs hook (``hooks:`` in mkdocs.yml): the files MkDocs copies unchanged from the docs
folder into the site (the downloads, the data files, images) are hard links instead of copies.

At 10,000 partnerships those files are 1.5 GB, which MkDocs would read and write again on every
full build. A link is safe because nothing writes into a file of the docs folder: the generator
writes a changed file as a new file that replaces the old one (``build.write_file``), so the
site keeps the bytes it was built with, and a failed build leaves the published site as it was.
Where the site cannot link to the docs folder (another file system), MkDocs copies as before.
MkDocs itself leaves a file alone that a plugin has already put into the site.
"""

from __future__ import annotations

import os
from pathlib import Path


def on_env(env, config, files, **_):
    docs = Path(config.docs_dir)
    for file in files:
        if file.is_documentation_page() or not file.inclusion.is_included():
            continue
        source = file.abs_src_path
        if file.generated_by or source is None or not Path(source).is_relative_to(docs):
            continue  # made by a plugin, or the theme's own file
        if not link(source, file.abs_dest_path):
            break  # no links here: MkDocs copies them all
    return env


def link(source: str, target: str) -> bool:
    """Make ``target`` a link to ``source``; False if this file system has no links."""
    try:
        if os.path.samefile(source, target):
            return True
        os.unlink(target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        return False
    return True
