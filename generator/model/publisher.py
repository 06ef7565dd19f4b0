"""Who publishes the data, how to reach them, and the site's base URL: read from the data
package's ``contributors`` and ``homepage`` (the one place they are set), with the deployment's
``PORTAL_SITE_URL`` taking precedence for the base URL."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from .records import Publisher

SITE_URL_VARIABLE = "PORTAL_SITE_URL"
LOCAL_URL = "http://127.0.0.1:8000/"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", ""}


def publisher(descriptor: Mapping) -> Publisher:
    """The publisher and its contact channels, from a descriptor that passed its checks."""

    def having(role: str) -> dict:
        found = [c for c in descriptor.get("contributors", []) if role in c.get("roles", [])]
        return found[0] if found else {}

    main, contact, registry = having("publisher"), having("contact"), having("registry")
    return Publisher(
        name=main["title"],
        organisation=main.get("organization", main["title"]),
        org_number=main.get("organizationNumber", ""),
        contact_name=contact.get("title", main["title"]),
        email=contact.get("email", ""),
        phone=contact.get("phone", ""),
        form_url=contact.get("path", ""),
        registry_name=registry.get("title", ""),
        registry_email=registry.get("email", ""),
    )


def base_url(descriptor: Mapping, environ: Mapping[str, str] = os.environ) -> str:
    """The address the site is published at, ending in '/': PORTAL_SITE_URL where the
    deployment sets it, else the data package's homepage, else the local preview address."""
    url = environ.get(SITE_URL_VARIABLE, "").strip() or str(descriptor.get("homepage", ""))
    url = url or LOCAL_URL
    return url if url.endswith("/") else url + "/"


def is_local(url: str) -> bool:
    """True for an address that only this machine can reach (or no web address at all)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return (
        parts.scheme not in ("http", "https")
        or host in _LOCAL_HOSTS
        or host.endswith(".localhost")
        or host.startswith("127.")
    )
