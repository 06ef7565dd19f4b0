"""Zip files whose bytes depend on nothing but their content."""

from __future__ import annotations

import io
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(files: dict[str, bytes]) -> bytes:
    """A zip of ``files``, sorted by name, every entry dated 1980."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(
                zipfile.ZipInfo(name, ZIP_TIME), files[name], compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()
