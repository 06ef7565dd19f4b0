"""The privacy guard: what counts as a personnummer or samordningsnummer, and that no message
repeats one."""

from __future__ import annotations

import pytest

from generator.checks.privacy import MASK, contains_identity_number, mask
from generator.checks.validate import validate

# 811218-9876 is a personnummer with a valid check digit and 811278-1235 a samordningsnummer
# (day 18 + 60). Both are made up for the test.
FOUND = [
    "811218-9876",
    "8112189876",
    "811218+9876",
    "811218–9876",  # en dash, as word processors write it
    "811218 - 9876",
    "19811218-9876",
    "198112189876",
    "Kontakt: 811218-9876.",
    "811278-1235",
]
NOT_FOUND = [
    "811218-9875",  # wrong check digit
    "811318-9876",  # month 13
    "212000-0142",  # Stockholms stad's organisationsnummer
    "SE-ON-2120000142",
    "08-508 35 506",  # a phone number
    "2026-01-01—2027-12-31",
    "1400000",
    "23811218-9876",  # no such century
]


@pytest.mark.parametrize("text", FOUND)
def test_finds_identity_numbers(text):
    assert contains_identity_number(text)
    assert MASK in mask(text)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_leaves_other_numbers_alone(text):
    assert not contains_identity_number(text)
    assert mask(text) == text


def test_descriptor_keys_and_headers_are_scanned(dataset):
    root = dataset()
    descriptor = root / "datapackage.yaml"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8").replace(
            "title: Insyn i samverkan", "title: Insyn i samverkan 811218-9876", 1
        ),
        encoding="utf-8",
    )
    project = root / "partnerships" / "test-projekt.yaml"
    project.write_text(project.read_text(encoding="utf-8") + "811218-9876: x\n", encoding="utf-8")
    found = {(p.path, p.code) for p in validate(root, "data")}
    assert ("data/datapackage.yaml", "personal-identity-number") in found
    assert ("data/partnerships/test-projekt.yaml", "personal-identity-number") in found


def test_no_message_repeats_an_identity_number(dataset):
    root = dataset()
    orgs = root / "organisations.csv"
    orgs.write_text(
        orgs.read_text(encoding="utf-8").replace("802400-0005,SE-ON-8024000005", "811218-9876,"),
        encoding="utf-8",
    )
    problems = validate(root, "data")
    assert {p.code for p in problems} >= {"org-number-third-digit", "personal-identity-number"}
    for problem in problems:
        assert "9876" not in problem.format(), problem.format()
