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

TITLE = {
    "sv": "Insyn i samverkan – Arbetsmarknadsnämndens samverkan med civilsamhället",
    "en": "Insyn i samverkan – Stockholm's labour-market board and its partnerships with "
    "civil society",
}
DESCRIPTION = {
    "sv": "Partnerskap mellan Stockholms stads arbetsmarknadsnämnd och idéburna organisationer "
    "(IOP, ESF-projekt och samverkan med föreningar), med beslut, politiska frågor, kostnader "
    "och resultat. Hämtade ur stadens offentliga handlingar; varje rad anger sin källa.",
    "en": "Partnerships between the City of Stockholm's labour-market board and civil-society "
    "organisations (IOP, ESF projects and association collaborations), with the decisions, "
    "political questions, costs and results behind them, transcribed from the city's public "
    "documents; every row names its source.",
}
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
) -> bytes:
    """RDF/XML for the catalogue. ``files`` are the download paths under the site root;
    ``contact`` is (function name, page for contact)."""
    base = base if base.endswith("/") else base + "/"
    g = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD)):
        g.bind(prefix, namespace)
    catalog = URIRef(f"{base}data/katalog.rdf#katalog")
    dataset = URIRef(f"{base}data/katalog.rdf#datamangd")
    contact_node = URIRef(f"{base}data/katalog.rdf#kontakt")

    def texts(subject, predicate, values: dict[str, str]) -> None:
        for language, text in values.items():
            g.add((subject, predicate, Literal(text, lang=language)))

    def date(subject, predicate, day: dt.date) -> None:
        g.add((subject, predicate, Literal(day.isoformat(), datatype=XSD.date)))

    g.add((catalog, RDF.type, DCAT.Catalog))
    texts(
        catalog,
        DCTERMS.title,
        {"sv": "Insyn i samverkan: öppna data", "en": "Insyn i samverkan: open data"},
    )
    texts(catalog, DCTERMS.description, DESCRIPTION)
    g.add((catalog, DCTERMS.publisher, PUBLISHER))
    g.add((catalog, FOAF.homepage, URIRef(base)))
    g.add((catalog, DCTERMS.language, EU_LANGUAGE.SWE))
    g.add((catalog, DCTERMS.license, LICENSE))
    date(catalog, DCTERMS.issued, issued)
    date(catalog, DCTERMS.modified, modified)
    g.add((catalog, DCAT.dataset, dataset))

    g.add((PUBLISHER, RDF.type, FOAF.Agent))
    g.add((PUBLISHER, FOAF.name, Literal("Stockholms stad", lang="sv")))
    g.add((PUBLISHER, DCTERMS.type, ADMS_PUBLISHER.LocalAuthority))

    g.add((contact_node, RDF.type, VCARD.Organization))
    g.add((contact_node, VCARD.fn, Literal(contact[0], lang="sv")))
    g.add((contact_node, VCARD.hasURL, URIRef(base + contact[1])))

    g.add((dataset, RDF.type, DCAT.Dataset))
    texts(dataset, DCTERMS.title, TITLE)
    texts(dataset, DCTERMS.description, DESCRIPTION)
    g.add((dataset, DCTERMS.publisher, PUBLISHER))
    g.add((dataset, DCAT.contactPoint, contact_node))
    g.add((dataset, DCTERMS.identifier, Literal(f"{base}data/katalog.rdf#datamangd")))
    g.add((dataset, DCAT.landingPage, URIRef(f"{base}oppna-data/")))
    g.add((dataset, DCAT.theme, EU_THEME.SOCI))
    g.add((dataset, DCAT.theme, EU_THEME.GOVE))
    g.add((dataset, DCTERMS.language, EU_LANGUAGE.SWE))
    g.add((dataset, OWL.versionInfo, Literal(version)))
    for keyword in (
        "arbetsmarknad",
        "civilsamhälle",
        "idéburet offentligt partnerskap",
        "IOP",
        "ESF",
        "Stockholm",
    ):
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="sv")))
    date(dataset, DCTERMS.issued, issued)
    date(dataset, DCTERMS.modified, modified)
    if years:
        period = BNode("period")
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        date(period, DCAT.startDate, dt.date(years[0], 1, 1))
        date(period, DCAT.endDate, dt.date(years[1], 12, 31))

    for name, file_type, media, suffix in FORMATS:
        matching = sorted(f for f in files if f.endswith(f".{suffix}"))
        if not matching:
            continue
        distribution = URIRef(f"{base}data/katalog.rdf#distribution-{suffix}")
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        texts(
            distribution,
            DCTERMS.title,
            {"sv": f"Uppgifterna som {name}", "en": f"The data as {name}"},
        )
        g.add((distribution, DCAT.accessURL, URIRef(f"{base}oppna-data/")))
        for path in matching:
            g.add((distribution, DCAT.downloadURL, URIRef(base + path)))
        g.add((distribution, DCAT.mediaType, URIRef(IANA + media)))
        if file_type:
            g.add((distribution, DCTERMS.format, EU_FILE[file_type]))
        g.add((distribution, DCTERMS.license, LICENSE))
    return _stable(g.serialize(format="xml"))


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
