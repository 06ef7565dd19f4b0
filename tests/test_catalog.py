"""The DCAT-AP-SE catalogue: parsed with rdflib, every class has its mandatory properties, and
catalogue, dataset, distributions, publisher and contact are named by absolute URIs."""

from __future__ import annotations

import pytest
from conftest import build_dataset, site_paths
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from generator.build import build_site

DCAT, DCTERMS, FOAF, RDF = ns.DCAT, ns.DCTERMS, ns.FOAF, ns.RDF
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MANDATORY = {
    DCAT.Catalog: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset],
    DCAT.Dataset: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.contactPoint],
    DCAT.Distribution: [DCAT.accessURL],
    FOAF.Agent: [FOAF.name],
    VCARD.Organization: [VCARD.fn],
}


@pytest.fixture(scope="module")
def graph(real_site) -> Graph:
    return Graph().parse(real_site / "data" / "katalog.rdf", format="xml")


def test_every_class_has_its_mandatory_properties(graph):
    for cls, properties in MANDATORY.items():
        subjects = list(graph.subjects(RDF.type, cls))
        assert subjects, cls
        for subject in subjects:
            assert isinstance(subject, URIRef) and str(subject).startswith("http"), subject
            for prop in properties:
                assert graph.value(subject, prop) is not None, (subject, prop)


def test_catalogue_and_dataset_in_swedish_and_english(graph):
    for cls in (DCAT.Catalog, DCAT.Dataset):
        subject = next(graph.subjects(RDF.type, cls))
        for prop in (DCTERMS.title, DCTERMS.description):
            languages = {o.language for o in graph.objects(subject, prop)}
            assert languages == {"sv", "en"}, (cls, prop)


def test_publisher_licence_themes_dates_and_coverage(graph):
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    publisher = URIRef("http://dataportal.se/organisation/SE2120000142")
    assert graph.value(dataset, DCTERMS.publisher) == publisher
    assert graph.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )
    assert set(graph.objects(dataset, DCAT.theme))
    assert isinstance(graph.value(dataset, DCTERMS.issued), Literal)
    assert isinstance(graph.value(dataset, DCTERMS.modified), Literal)
    period = graph.value(dataset, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) is not None
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) >= 5
    for distribution in distributions:
        assert graph.value(distribution, DCTERMS.license) == URIRef(
            "http://creativecommons.org/publicdomain/zero/1.0/"
        )
        assert list(graph.objects(distribution, DCAT.downloadURL))


def test_no_blank_nodes_but_the_period(graph):
    blank = {s for s in graph.subjects() if isinstance(s, BNode)}
    assert all((s, RDF.type, DCTERMS.PeriodOfTime) in graph for s in blank)


def test_base_url_comes_from_one_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SITE_URL", "https://data.example.org/insyn/")
    root = build_dataset(tmp_path / "data")
    build_site(site_paths(tmp_path, root))
    graph = Graph().parse(tmp_path / "site" / "data" / "katalog.rdf", format="xml")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert str(dataset).startswith("https://data.example.org/insyn/")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://data.example.org/insyn/"' in page  # the canonical link
