"""What the site is built with: a CycloneDX software bill of materials (SBOM) of the locked
dependencies, and the versions of the parts that shape every page.

The SBOM is made when the locks are (``portal sbom``, run by ``make lock``): cyclonedx-bom
reads the Python lock of the site (``requirements/site.txt``, every package pinned with its
hashes), and the npm packages of ``package-lock.json`` are added with the scope "excluded",
since they only run the tests and never reach the site. The build publishes the file as it is
committed; a test makes it anew and compares, so it cannot drift from the locks.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.utils import canonicalize_name

SBOM = "sbom.cdx.json"  # the published file, at the site's root
SITE_LOCK = Path("requirements") / "site.txt"
TEST_LOCK = Path("requirements") / "test.txt"
LOCKED_SBOM = Path("requirements") / SBOM
NPM_LOCK = Path("package-lock.json")
# The parts a reader of the site may ask about: (package in the lock, name shown).
SHOWN = (("mkdocs", "MkDocs"), ("mkdocs-material", "Material for MkDocs"), ("pagefind", "Pagefind"))
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(lock_text: str) -> dict[str, str]:
    """The packages a hashed requirements file pins: normalised name → version."""
    return {canonicalize_name(name): v for name, v in _PIN.findall(lock_text)}


def differences(locked: dict[str, str]) -> list[str]:
    """Every locked package whose installed version is another one, or that is missing."""
    found = []
    for name, wanted in sorted(locked.items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            found.append(f"{name} {wanted} is not installed")
            continue
        if installed != wanted:
            found.append(f"{name} {installed} is installed, {wanted} is locked")
    return found


def shown_versions(sbom: bytes) -> tuple[tuple[str, str], ...]:
    """(name shown, version) of the parts in SHOWN, as the SBOM records them."""
    components = json.loads(sbom).get("components", [])
    by_name = {canonicalize_name(c["name"]): c.get("version", "") for c in components}
    return tuple((shown, by_name[package]) for package, shown in SHOWN if package in by_name)


def make_sbom(root: Path) -> bytes:
    """The SBOM of the project at ``root``: the same bytes for the same locks."""
    command = [sys.executable, "-m", "cyclonedx_py", "requirements", "--output-reproducible"]
    command += ["--output-format", "JSON", "--pyproject", str(root / "pyproject.toml")]
    command.append(str(root / SITE_LOCK))
    # The build sets SOURCE_DATE_EPOCH for MkDocs; with it cyclonedx-py would add a timestamp.
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"cyclonedx-py failed: {result.stderr.strip()}")
    bom = json.loads(result.stdout)
    npm = json.loads((root / NPM_LOCK).read_text(encoding="utf-8"))
    bom["components"] = bom.get("components", []) + _npm_components(npm)
    return (json.dumps(bom, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _npm_components(lock: dict) -> list[dict]:
    """The packages of an npm lock file (lockfileVersion 2 or 3) as CycloneDX components."""
    from packageurl import PackageURL  # with cyclonedx-bom: the locks' tools, not the build's

    components = []
    for where, package in sorted(lock.get("packages", {}).items()):
        if not where:
            continue  # the project itself
        name = where.rsplit("node_modules/", 1)[-1]
        purl = PackageURL("npm", *_npm_name(name), package["version"]).to_string()
        component = {
            "bom-ref": purl,
            "type": "library",
            "name": name,
            "version": package["version"],
            "scope": "excluded",
            "description": "Used by the tests only; not part of the published site.",
            "purl": purl,
        }
        if package.get("license"):
            component["licenses"] = [{"license": {"id": package["license"]}}]
        algorithm, _, digest = package.get("integrity", "").partition("-")
        if algorithm in ("sha512", "sha384", "sha256") and digest:
            content = base64.b64decode(digest).hex()
            component["hashes"] = [{"alg": f"SHA-{algorithm[3:]}", "content": content}]
        components.append(component)
    return components


def _npm_name(name: str) -> tuple[str | None, str]:
    """(namespace, name) of an npm package name such as "@scope/name" or "name"."""
    if name.startswith("@") and "/" in name:
        scope, _, bare = name.partition("/")
        return scope, bare
    return None, name
