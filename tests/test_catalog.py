"""The DCAT-AP-SE catalogue, read back with rdflib: every class has the properties DIGG's
profile makes mandatory and most of those it recommends, every node is named by a URI, the
contact channels appear only when set, and each distribution holds one format's files.

No maintained PyPI package ships the DCAT-AP 3 SHACL shapes (pySHACL ships none), so the
profile's property table is written here as data instead."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import build_dataset, site_paths
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from generator.build import build_site
from generator.model.records import Publisher
from generator.opendata.dcat import catalogue_rdf

DCAT, DCTERMS, FOAF, RDF = ns.DCAT, ns.DCTERMS, ns.FOAF, ns.RDF
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ORG = Namespace("http://www.w3.org/ns/org#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

# DIGG's DCAT-AP-SE 3.0.1 (docs.dataportal.se/dcat/3.0.1), for the classes this catalogue
# uses: each property the profile makes mandatory (O, "obligatorisk") or recommends (R).
PROFILE = [
    (DCAT.Catalog, DCTERMS.title, "O"),
    (DCAT.Catalog, DCTERMS.description, "O"),
    (DCAT.Catalog, DCTERMS.publisher, "O"),
    (DCAT.Catalog, DCTERMS.license, "O"),
    (DCAT.Catalog, DCAT.dataset, "O"),
    (DCAT.Catalog, DCTERMS.issued, "R"),
    (DCAT.Catalog, DCTERMS.modified, "R"),
    (DCAT.Catalog, DCTERMS.language, "R"),
    (DCAT.Catalog, FOAF.homepage, "R"),
    (DCAT.Catalog, DCTERMS.spatial, "R"),
    (DCAT.Catalog, DCAT.themeTaxonomy, "R"),
    (DCAT.Dataset, DCTERMS.title, "O"),
    (DCAT.Dataset, DCTERMS.description, "O"),
    (DCAT.Dataset, DCTERMS.publisher, "O"),
    (DCAT.Dataset, DCAT.contactPoint, "R"),
    (DCAT.Dataset, DCAT.keyword, "R"),
    (DCAT.Dataset, DCAT.theme, "R"),
    (DCAT.Dataset, DCTERMS.issued, "R"),
    (DCAT.Dataset, DCTERMS.conformsTo, "R"),
    (DCAT.Dataset, DCTERMS.spatial, "R"),
    (DCAT.Dataset, DCTERMS.temporal, "R"),
    (DCAT.Dataset, DCTERMS.accessRights, "R"),
    (DCAT.Distribution, DCAT.accessURL, "O"),
    (DCAT.Distribution, DCTERMS.format, "O"),
    (DCAT.Distribution, DCTERMS.description, "R"),
    (DCAT.Distribution, DCTERMS.license, "R"),
    (DCAT.Distribution, DCATAP.availability, "R"),
    (FOAF.Agent, FOAF.name, "O"),
    (FOAF.Agent, DCTERMS.type, "O"),
    (FOAF.Agent, DCTERMS.description, "R"),
    (FOAF.Agent, ORG.classification, "R"),
    (FOAF.Agent, DCTERMS.identifier, "R"),
    (VCARD.Organization, VCARD.fn, "O"),
    (VCARD.Organization, VCARD.hasEmail, "O"),
    (VCARD.Organization, VCARD.hasTelephone, "R"),
    (VCARD.Organization, VCARD.hasAddress, "R"),
]
# The issue asks for 80 % of the recommended properties on these. The publisher's are a
# description and a fee-financing mark that do not apply to the city's shared identity; the
# contact point's a telephone and an address the authority has not given.
COVERED = (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution)

BASE = "https://insyn.example.se/"
FILES = [
    "data/costs.csv",
    "data/costs.json",
    "data/datapackage.json",
    "data/datapackage.yaml",
    "data/insyn-i-samverkan.sqlite",
    "data/insyn-i-samverkan.xlsx",
    "data/insyn-i-samverkan.zip",
    "data/partnerships-full.json",
    "data/partnerships.csv",
    "data/partnerships.json",
    "data/partnerships/jobbvagen.yaml",
    "data/questions/liberalerna-pilotprogram-for-unga.yaml",
    "data/routes.yaml",
    "data/schemas/partnership.schema.json",
    "data/schemas/routes.schema.json",
]
# The descriptor and the schemas describe the data; every other file is a download.
DESCRIBING = {"data/datapackage.json", "data/datapackage.yaml"}
DESCRIBING |= {f for f in FILES if f.startswith("data/schemas/")}
ABOUT = {
    "title": "Insyn i samverkan",
    "titleEn": "Insight into partnerships",
    "description": "Partnerskap mellan arbetsmarknadsnämnden och civilsamhället.",
    "descriptionEn": "Partnerships between the labour-market board and civil society.",
    "keywords": ["arbetsmarknad", "IOP"],
}
# As in the real data: no e-mail, telephone or form yet.
UNREACHABLE = Publisher(
    name="Stockholms stad, arbetsmarknadsnämnden",
    organisation="Stockholms stad",
    org_number="212000-0142",
    contact_name="Arbetsmarknadsförvaltningen",
)
REACHABLE = dataclasses.replace(
    UNREACHABLE,
    email="arbetsmarknad@example.se",
    phone="08-508 000 00",
    form_url="https://example.se/kontakta-oss/",
)
# The suffix of the files in a distribution of each format.
SUFFIXES = {
    URIRef(EU + "file-type/CSV"): ".csv",
    URIRef(EU + "file-type/JSON"): ".json",
    URIRef(EU + "file-type/XLSX"): ".xlsx",
    URIRef(EU + "file-type/YAML"): ".yaml",
    URIRef(EU + "file-type/ZIP"): ".zip",
    URIRef(IANA + "application/vnd.sqlite3"): ".sqlite",
}


def catalogue(
    publisher: Publisher = UNREACHABLE, files: list[str] = FILES, years=(2019, 2025)
) -> bytes:
    issued, modified = dt.date(2024, 9, 3), dt.date(2025, 11, 11)
    return catalogue_rdf(BASE, files, publisher, "3.0.0", issued, modified, years, ABOUT)


def parsed(publisher: Publisher = UNREACHABLE, **kwargs) -> Graph:
    return Graph().parse(data=catalogue(publisher, **kwargs), format="xml")


def missing_mandatory(graph: Graph) -> set[tuple]:
    """(class, property) for each mandatory property some node of the class lacks."""
    return {
        (cls, prop)
        for cls, prop, level in PROFILE
        if level == "O"
        for node in graph.subjects(RDF.type, cls)
        if graph.value(node, prop) is None
    }


def coverage(graph: Graph, cls: URIRef) -> tuple[int, int]:
    """How many of the class's recommended properties every node of it has, of how many."""
    recommended = [prop for c, prop, level in PROFILE if c == cls and level == "R"]
    nodes = list(graph.subjects(RDF.type, cls))
    present = [p for p in recommended if all(graph.value(n, p) is not None for n in nodes)]
    return len(present), len(recommended)


def test_every_class_is_there_and_every_node_is_named():
    graph = parsed(REACHABLE)
    for cls in {cls for cls, _, _ in PROFILE}:
        nodes = list(graph.subjects(RDF.type, cls))
        assert nodes, cls
        assert all(isinstance(n, URIRef) and str(n).startswith("http") for n in nodes), nodes
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_every_mandatory_property_on_every_node():
    assert missing_mandatory(parsed(REACHABLE)) == set()


def test_without_an_email_only_the_email_is_missing():
    # DIGG makes vcard:hasEmail mandatory, but no address is invented while the authority
    # has given none: the contact point then has its web address only.
    assert missing_mandatory(parsed(UNREACHABLE)) == {(VCARD.Organization, VCARD.hasEmail)}


@pytest.mark.parametrize("publisher", [UNREACHABLE, REACHABLE])
@pytest.mark.parametrize("cls", COVERED)
def test_most_recommended_properties(publisher, cls):
    present, total = coverage(parsed(publisher), cls)
    assert present / total >= 0.8, (cls, present, total)


def test_email_and_telephone_only_when_set():
    contact = URIRef(BASE + "data/katalog.rdf#kontakt")
    graph = parsed(UNREACHABLE)
    assert graph.value(contact, VCARD.hasEmail) is None
    assert graph.value(contact, VCARD.hasTelephone) is None
    graph = parsed(REACHABLE)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:arbetsmarknad@example.se")
    phone = graph.value(contact, VCARD.hasTelephone)
    assert isinstance(phone, URIRef)
    assert graph.value(phone, VCARD.hasValue) == URIRef("tel:+46850800000")


def test_contact_web_address_always():
    contact = URIRef(BASE + "data/katalog.rdf#kontakt")
    for publisher, page in [
        (UNREACHABLE, BASE + "rapportera-fel/"),
        (REACHABLE, "https://example.se/kontakta-oss/"),
    ]:
        graph = parsed(publisher)
        assert (contact, RDF.type, VCARD.Organization) in graph
        assert graph.value(contact, VCARD.fn) == Literal("Arbetsmarknadsförvaltningen", lang="sv")
        assert list(graph.objects(contact, VCARD.hasURL)) == [URIRef(page)]


def test_one_distribution_per_format_with_only_its_files():
    graph = parsed()
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    distributions = list(graph.objects(dataset, DCAT.distribution))
    formats = [graph.value(d, DCTERMS.format) for d in distributions]
    assert sorted(formats) == sorted(SUFFIXES)
    downloads = set()
    for distribution, form in zip(distributions, formats, strict=True):
        urls = [str(u) for u in graph.objects(distribution, DCAT.downloadURL)]
        assert urls and all(u.endswith(SUFFIXES[form]) for u in urls), (form, urls)
        downloads |= {u.removeprefix(BASE) for u in urls}
    assert downloads == set(FILES) - DESCRIBING


def test_descriptor_and_schemas_are_linked_as_what_the_files_follow():
    graph = parsed()
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    descriptor = URIRef(BASE + "data/datapackage.json")
    schemas = {URIRef(BASE + f) for f in DESCRIBING if f.startswith("data/schemas/")}
    assert graph.value(dataset, FOAF.page) == descriptor
    assert graph.value(dataset, DCTERMS.conformsTo) == URIRef(
        "https://datapackage.org/standard/data-package/"
    )
    follows = {
        SUFFIXES[graph.value(d, DCTERMS.format)]: set(graph.objects(d, DCTERMS.conformsTo))
        for d in graph.objects(dataset, DCAT.distribution)
    }
    assert follows[".csv"] == {descriptor}
    assert follows[".yaml"] == schemas
    assert follows[".json"] == {descriptor} | schemas
    for standard in {descriptor} | schemas:
        assert (standard, RDF.type, DCTERMS.Standard) in graph
        assert {t.language for t in graph.objects(standard, DCTERMS.title)} == {"sv", "en"}


def test_authority_uris():
    graph = parsed()
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    stockholm = URIRef("http://www.wikidata.org/entity/Q506250")
    assert graph.value(catalog, DCTERMS.spatial) == stockholm
    assert graph.value(dataset, DCTERMS.spatial) == stockholm
    assert (stockholm, RDF.type, DCTERMS.Location) in graph
    assert graph.value(catalog, DCAT.themeTaxonomy) == URIRef(EU + "data-theme")
    assert all(str(t).startswith(EU + "data-theme/") for t in graph.objects(dataset, DCAT.theme))
    assert graph.value(dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
    licence = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    assert graph.value(catalog, DCTERMS.license) == licence
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        assert graph.value(distribution, DCTERMS.license) == licence
        stable = URIRef(EU + "planned-availability/STABLE")
        assert graph.value(distribution, DCATAP.availability) == stable


def test_publisher_named_by_its_organisation_number():
    for number, uri in [
        ("212000-0142", "http://dataportal.se/organisation/SE2120000142"),
        ("202100-5489", "http://dataportal.se/organisation/SE2021005489"),
    ]:
        publisher = dataclasses.replace(UNREACHABLE, org_number=number, organisation="Kommunen")
        graph = parsed(publisher)
        agent = URIRef(uri)
        for cls in (DCAT.Catalog, DCAT.Dataset):
            assert graph.value(next(graph.subjects(RDF.type, cls)), DCTERMS.publisher) == agent
        assert (agent, RDF.type, FOAF.Agent) in graph
        assert graph.value(agent, FOAF.name) == Literal("Kommunen", lang="sv")
        local_authority = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
        assert graph.value(agent, DCTERMS.type) == local_authority


def test_texts_in_swedish_and_english():
    graph = parsed()
    for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution):
        for node in graph.subjects(RDF.type, cls):
            for prop in (DCTERMS.title, DCTERMS.description):
                languages = {o.language for o in graph.objects(node, prop)}
                assert languages == {"sv", "en"}, (node, prop)


def test_period_and_byte_stable_output():
    graph = parsed()
    period = graph.value(next(graph.subjects(RDF.type, DCAT.Dataset)), DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(dt.date(2019, 1, 1))
    assert graph.value(period, DCAT.endDate) == Literal(dt.date(2025, 12, 31))
    assert catalogue(files=list(reversed(FILES))) == catalogue()
    assert (None, DCTERMS.temporal, None) not in parsed(years=None)


def test_base_url_comes_from_one_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SITE_URL", "https://data.example.org/insyn/")
    root = build_dataset(tmp_path / "data")
    build_site(site_paths(tmp_path, root))
    graph = Graph().parse(tmp_path / "site" / "data" / "katalog.rdf", format="xml")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert str(dataset).startswith("https://data.example.org/insyn/")
    # The catalogue the build writes is as complete as the one above.
    assert missing_mandatory(graph) <= {(VCARD.Organization, VCARD.hasEmail)}
    assert all(coverage(graph, cls)[0] / coverage(graph, cls)[1] >= 0.8 for cls in COVERED)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://data.example.org/insyn/"' in page  # the canonical link
