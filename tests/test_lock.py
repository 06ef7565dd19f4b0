"""The same commit builds from the same locked parts: the locks pin every Python package with
its hashes and agree with pyproject.toml, make installs exactly them, and the SBOM the site
publishes is the one the locks make."""

from __future__ import annotations

import html
import json
import subprocess
import tomllib
from importlib.metadata import distributions
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from generator.opendata.software import LOCKED_SBOM, SITE_LOCK, TEST_LOCK, make_sbom, pins

PROJECT = "insyn-i-samverkan"


def _pins(lock: Path) -> dict[str, str]:
    return pins((ROOT / lock).read_text(encoding="utf-8"))


def _installed(python: str) -> dict[str, str]:
    """Every distribution installed for ``python``: normalised name → version."""
    code = (
        "import json, importlib.metadata as m;"
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    found = json.loads(subprocess.check_output([python, "-c", code], text=True))
    return {canonicalize_name(name): version for name, version in found.items()}


def test_every_pin_has_hashes():
    for lock in (SITE_LOCK, TEST_LOCK):
        text = (ROOT / lock).read_text(encoding="utf-8")
        entries = [e for e in text.split("\n") if e and not e.startswith((" ", "#"))]
        assert entries and len(entries) == len(_pins(lock)), lock
        for entry in text.split("\n==")[1:]:
            assert "--hash=sha256:" in entry.split("\n    #")[0], (lock, entry[:60])


def test_the_locks_satisfy_pyproject_and_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    site, test = _pins(SITE_LOCK), _pins(TEST_LOCK)
    needed = [(SITE_LOCK, site, r) for r in project["project"]["dependencies"]]
    needed += [(SITE_LOCK, site, r) for r in project["build-system"]["requires"]]
    needed += [(TEST_LOCK, test, r) for r in project["project"]["optional-dependencies"]["test"]]
    for lock, locked, text in needed:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {lock}: run make lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{lock} pins {name} {locked[name]}, outside {requirement.specifier}: run make lock"
        )
    # The tests run the very versions that build the site.
    assert {name: test[name] for name in site} == site


def test_the_tests_run_on_exactly_the_test_lock():
    """The environment running these tests (made by make test) holds the test lock, and
    nothing else but the project itself."""
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    installed.pop(PROJECT, None)
    assert installed == _pins(TEST_LOCK)


def test_make_site_installs_exactly_the_site_lock(tmp_path):
    venv = tmp_path / "venv"
    result = subprocess.run(
        ["make", "--no-print-directory", f"{venv}/.installed-site", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    installed = _installed(str(venv / "bin" / "python"))
    assert (
        installed.pop(PROJECT)
        == tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "version"
        ]
    )
    assert installed == _pins(SITE_LOCK)


def test_make_refuses_a_file_whose_hash_is_not_the_locked_one(tmp_path):
    """make installs with hashes required: a lock whose hash does not match the package's file
    installs nothing."""
    version = _pins(SITE_LOCK)["pyyaml"]
    lock = tmp_path / "lock.txt"
    lock.write_text(f"pyyaml=={version} --hash=sha256:{'0' * 64}\n", encoding="utf-8")
    venv = tmp_path / "venv"
    command = ["make", "--no-print-directory", f"{venv}/.installed-site", f"VENV={venv}"]
    result = subprocess.run(
        [*command, f"SITE_LOCK={lock}"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DO NOT MATCH THE HASHES" in result.stderr
    assert not (venv / ".installed-site").exists()
    assert "pyyaml" not in _installed(str(venv / "bin" / "python"))


def test_the_published_sbom_is_the_one_the_locks_make():
    assert (ROOT / LOCKED_SBOM).read_bytes() == make_sbom(ROOT), (
        f"{LOCKED_SBOM} is out of date: run make lock (or portal sbom) and commit it"
    )


@pytest.fixture(scope="module")
def sbom() -> dict:
    return json.loads((ROOT / LOCKED_SBOM).read_text(encoding="utf-8"))


def test_sbom_is_valid_cyclonedx_with_every_locked_package(sbom):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = (ROOT / LOCKED_SBOM).read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    python = {
        canonicalize_name(c["name"]): c["version"]
        for c in sbom["components"]
        if c["purl"].startswith("pkg:pypi/")
    }
    assert python == _pins(SITE_LOCK)
    npm = {c["name"]: c for c in sbom["components"] if c["purl"].startswith("pkg:npm/")}
    packages = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert set(npm) == {where.rsplit("node_modules/", 1)[-1] for where in packages if where}
    assert all(c["scope"] == "excluded" and c["hashes"] for c in npm.values())
    assert sbom["metadata"]["component"]["name"] == PROJECT


def test_the_site_publishes_the_sbom_and_names_the_versions(real_site, sbom):
    assert (real_site / "sbom.cdx.json").read_bytes() == (ROOT / LOCKED_SBOM).read_bytes()
    page = html.unescape((real_site / "oppna-data" / "index.html").read_text(encoding="utf-8"))
    versions = {c["name"]: c["version"] for c in sbom["components"]}
    for package, shown in (("mkdocs", "MkDocs"), ("mkdocs-material", "Material for MkDocs")):
        assert f'<span lang="en">{shown}</span> {versions[package]}' in page
    assert f'<span lang="en">Pagefind</span> {versions["pagefind"]}' in page
    assert 'href="../sbom.cdx.json"' in page
    about = (real_site / "om-uppgifterna" / "index.html").read_text(encoding="utf-8")
    assert 'href="../oppna-data/#programvaran"' in about
