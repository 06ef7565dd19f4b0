"""Whether a build may be published: its address must be one others can reach, and the
installed packages must be the ones the site's SBOM lists."""

from __future__ import annotations

from pathlib import Path

import yaml

from .catalogue import DESCRIPTOR
from .model.publisher import SITE_URL_VARIABLE, base_url, is_local
from .opendata.software import SITE_LOCK, differences, pins


def _descriptor(data: Path) -> dict:
    """The data package descriptor as written, or {} when it cannot be read (the checks then
    say why)."""
    try:
        descriptor = yaml.safe_load((data / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        descriptor = None
    return descriptor if isinstance(descriptor, dict) else {}


def site_url(data: Path) -> str:
    """The site's base URL: PORTAL_SITE_URL, else the data package's homepage."""
    return base_url(_descriptor(data))


def publish_check(data: Path, root: Path) -> tuple[str, list[str]]:
    """Before a build of the data folder ``data`` in the project ``root`` that will be
    published: (why it must not be, or ""; warnings). A site whose address is local would
    point every link in the catalogue, the sitemap and the feed at the builder's own machine."""
    descriptor = _descriptor(data)
    url = base_url(descriptor)
    refusal = ""
    if is_local(url):
        refusal = (
            f"the site's address would be {url}, which only this machine can reach; set "
            f"{SITE_URL_VARIABLE} to the address the site is published at (or homepage in "
            f"data/{DESCRIPTOR}) and build again"
        )
    if not refusal:
        refusal = _unlocked(root)
    warnings = []
    contacts = [c for c in descriptor.get("contributors") or [] if isinstance(c, dict)]
    if not any(c.get("email") for c in contacts if "contact" in (c.get("roles") or [])):
        warnings.append(
            f"no contact e-mail address is set (a contributor with role contact in "
            f"data/{DESCRIPTOR}); the pages say that the contact detail is missing"
        )
    return refusal, warnings


def _unlocked(root: Path) -> str:
    """Why the installed packages are not the ones the site's SBOM lists, or ""."""
    try:
        locked = pins((root / SITE_LOCK).read_text(encoding="utf-8"))
    except OSError as exc:
        return f"{SITE_LOCK} cannot be read ({exc.strerror})"
    found = differences(locked)
    if not found:
        return ""
    shown = "; ".join(found[:5]) + ("; …" if len(found) > 5 else "")
    return f"the installed packages are not the locked ones ({shown}); make site installs them"
