"""The DCAT-AP-SE catalogue of the open data, as RDF/XML made with rdflib, so that Sveriges
dataportal can harvest it. Every catalogue, dataset, distribution, publisher and contact is a
named resource with an absolute URI under the site's base URL."""

from __future__ import annotations

import datetime as dt

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

ADMS_PUBLISHER = Namespace("http://purl.org/adms/publishertype/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_FILE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
IANA = "https://www.iana.org/assignments/media-types/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PUBLISHER = URIRef("http://dataportal.se/organisation/SE2120000142")
LICENSE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")

# (name, file-type code, media type, files)
FORMATS = (
    ("CSV", "CSV", "text/csv", "csv"),
    ("JSON", "JSON", "application/json", "json"),
    ("Excel", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ("SQLite", None, "application/vnd.sqlite3", "sqlite"),
    ("ZIP", "ZIP", "application/zip", "zip"),
)


def catalogue_rdf(
    base: str,
    files: list[str],
    contact: tuple[str, str],
    version: str,
    issued: dt.date,
    modified: dt.date,
    years: tuple[int, int] | None,
    about: dict[str, object],
) -> bytes:
    """RDF/XML for the catalogue. ``files`` are the download paths under the site root;
    ``contact`` is (function name, page for contact); ``about`` is the data package's title,
    description and keywords, as the field catalogue read them from the descriptor."""
    rdf = _Graph(base if base.endswith("/") else base + "/", issued, modified, about)
    rdf.catalog()
    rdf.publisher()
    rdf.contact(*contact)
    rdf.dataset(version, years)
    for name, file_type, media, suffix in FORMATS:
        matching = sorted(f for f in files if f.endswith(f".{suffix}"))
        if matching:
            rdf.distribution(name, file_type, media, suffix, matching)
    return _stable(rdf.g.serialize(format="xml"))


class _Graph:
    """The catalogue's graph, built part by part; every node has a URI under the base."""

    def __init__(self, base: str, issued: dt.date, modified: dt.date, about: dict) -> None:
        self.base, self.issued, self.modified = base, issued, modified
        self.title = {"sv": about["title"], "en": about["titleEn"]}
        self.description = {"sv": about["description"], "en": about["descriptionEn"]}
        self.keywords = about["keywords"]
        self.g = Graph()
        for prefix, space in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD)):
            self.g.bind(prefix, space)
        self.catalog_node = URIRef(f"{base}data/katalog.rdf#katalog")
        self.dataset_node = URIRef(f"{base}data/katalog.rdf#datamangd")
        self.contact_node = URIRef(f"{base}data/katalog.rdf#kontakt")

    def texts(self, subject, predicate, values: dict[str, str]) -> None:
        for language, text in values.items():
            self.g.add((subject, predicate, Literal(text, lang=language)))

    def date(self, subject, predicate, day: dt.date) -> None:
        self.g.add((subject, predicate, Literal(day.isoformat(), datatype=XSD.date)))

    def dates(self, subject) -> None:
        self.date(subject, DCTERMS.issued, self.issued)
        self.date(subject, DCTERMS.modified, self.modified)

    def catalog(self) -> None:
        g, node = self.g, self.catalog_node
        g.add((node, RDF.type, DCAT.Catalog))
        titles = {"sv": "Insyn i samverkan: öppna data", "en": "Insyn i samverkan: open data"}
        self.texts(node, DCTERMS.title, titles)
        self.texts(node, DCTERMS.description, self.description)
        g.add((node, DCTERMS.publisher, PUBLISHER))
        g.add((node, FOAF.homepage, URIRef(self.base)))
        g.add((node, DCTERMS.language, EU_LANGUAGE.SWE))
        g.add((node, DCTERMS.license, LICENSE))
        self.dates(node)
        g.add((node, DCAT.dataset, self.dataset_node))

    def publisher(self) -> None:
        self.g.add((PUBLISHER, RDF.type, FOAF.Agent))
        self.g.add((PUBLISHER, FOAF.name, Literal("Stockholms stad", lang="sv")))
        self.g.add((PUBLISHER, DCTERMS.type, ADMS_PUBLISHER.LocalAuthority))

    def contact(self, function: str, page: str) -> None:
        self.g.add((self.contact_node, RDF.type, VCARD.Organization))
        self.g.add((self.contact_node, VCARD.fn, Literal(function, lang="sv")))
        self.g.add((self.contact_node, VCARD.hasURL, URIRef(self.base + page)))

    def dataset(self, version: str, years: tuple[int, int] | None) -> None:
        g, node = self.g, self.dataset_node
        g.add((node, RDF.type, DCAT.Dataset))
        self.texts(node, DCTERMS.title, self.title)
        self.texts(node, DCTERMS.description, self.description)
        g.add((node, DCTERMS.publisher, PUBLISHER))
        g.add((node, DCAT.contactPoint, self.contact_node))
        g.add((node, DCTERMS.identifier, Literal(f"{self.base}data/katalog.rdf#datamangd")))
        g.add((node, DCAT.landingPage, URIRef(f"{self.base}oppna-data/")))
        g.add((node, DCAT.theme, EU_THEME.SOCI))
        g.add((node, DCAT.theme, EU_THEME.GOVE))
        g.add((node, DCTERMS.language, EU_LANGUAGE.SWE))
        g.add((node, OWL.versionInfo, Literal(version)))
        for keyword in self.keywords:
            g.add((node, DCAT.keyword, Literal(keyword, lang="sv")))
        self.dates(node)
        if years:
            period = BNode("period")
            g.add((node, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            self.date(period, DCAT.startDate, dt.date(years[0], 1, 1))
            self.date(period, DCAT.endDate, dt.date(years[1], 12, 31))

    def distribution(self, name, file_type, media, suffix, paths: list[str]) -> None:
        g = self.g
        node = URIRef(f"{self.base}data/katalog.rdf#distribution-{suffix}")
        g.add((self.dataset_node, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        titles = {"sv": f"Uppgifterna som {name}", "en": f"The data as {name}"}
        self.texts(node, DCTERMS.title, titles)
        g.add((node, DCAT.accessURL, URIRef(f"{self.base}oppna-data/")))
        for path in paths:
            g.add((node, DCAT.downloadURL, URIRef(self.base + path)))
        g.add((node, DCAT.mediaType, URIRef(IANA + media)))
        if file_type:
            g.add((node, DCTERMS.format, EU_FILE[file_type]))
        g.add((node, DCTERMS.license, LICENSE))


def _stable(xml: str) -> bytes:
    """rdflib writes triples in hash order, which changes from run to run. Order does not
    matter in RDF/XML, so every element's children are sorted to make the file byte-stable.
    (minidom keeps the namespace prefixes as written and changes no global state.)"""
    from xml.dom import minidom

    document = minidom.parseString(xml)

    def sort(node) -> None:
        children = [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]
        if not children:
            return
        for child in list(node.childNodes):
            node.removeChild(child)
        for child in children:
            sort(child)
        for child in sorted(children, key=lambda c: c.toxml()):
            node.appendChild(child)

    sort(document.documentElement)
    return document.toprettyxml(indent="  ", encoding="utf-8")
