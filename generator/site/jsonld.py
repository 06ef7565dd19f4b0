"""schema.org metadata of the open data, as JSON-LD for the download page: the dataset, its
files and its publisher with the contact channels that are set."""

from __future__ import annotations

import json

from markupsafe import Markup

from ..model.dataset import Dataset


def dataset_jsonld(data: Dataset, partnerships: list, tables: list, base: str) -> Markup:
    """schema.org Dataset metadata for the download page, as JSON-LD; ``base`` is the
    site's address."""
    years = sorted({y for p in partnerships for y in p.years})
    about = data.catalogue.package
    files = [(f"{t.name}.csv", "text/csv") for t in tables]
    files += [(f"{t.name}.json", "application/json") for t in tables]
    files += [
        (
            "insyn-i-samverkan.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("insyn-i-samverkan.sqlite", "application/vnd.sqlite3"),
        ("insyn-i-samverkan.zip", "application/zip"),
    ]
    dataset = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": about["title"],
        "description": about["description"],
        "inLanguage": "sv",
        "version": data.version,
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "isAccessibleForFree": True,
        "publisher": _publisher(data, base),
        "keywords": about["keywords"],
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": f"{base}data/{name}",
                "encodingFormat": media,
            }
            for name, media in files
        ],
    }
    if years:
        dataset["temporalCoverage"] = f"{years[0]}/{years[-1]}"
    text = json.dumps(dataset, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def _publisher(data: Dataset, base: str) -> dict:
    pub = data.publisher
    contact = {"@type": "ContactPoint", "name": pub.contact_name, "contactType": "Frågor"}
    contact["url"] = pub.form_url or f"{base}rapportera-fel/"
    if pub.email:
        contact["email"] = pub.email
    if pub.phone:
        contact["telephone"] = pub.phone
    publisher = {"@type": "GovernmentOrganization", "name": pub.name, "contactPoint": contact}
    if pub.org_number:
        publisher["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "organisationsnummer",
            "value": pub.org_number,
        }
    return publisher
