"""The DCAT-AP-SE 3.0.1 catalogue of the open data, as RDF/XML made with rdflib, so that Sveriges
dataportal can harvest it. Every catalogue, dataset, distribution, publisher and contact point is
a named resource with an absolute URI: no blank nodes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ..model.records import Publisher

EU = "http://publications.europa.eu/resource/authority/"
EU_THEME = Namespace(EU + "data-theme/")
EU_FILE = Namespace(EU + "file-type/")
EU_LANGUAGE = Namespace(EU + "language/")
THEME_TAXONOMY = URIRef(EU + "data-theme")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
ADMS_PUBLISHER = Namespace("http://purl.org/adms/publishertype/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
# Sveriges dataportal names an organisation by "SE" and its organisation number's digits.
ORGANISATIONS = "http://dataportal.se/organisation/SE"
# Stockholms kommun (code 0180) in Wikidata. DIGG's profile takes any URI for dct:spatial; this
# one is the municipality itself, where Geonames' "Stockholm" (2673730) is the populated place.
STOCKHOLM = URIRef("http://www.wikidata.org/entity/Q506250")
DATA_PACKAGE = URIRef("https://datapackage.org/standard/data-package/")
# DCAT 3's dcat:version, which rdflib's DCAT namespace does not list yet.
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
DESCRIPTOR = "data/datapackage.json"
SCHEMAS = "data/schemas/"


@dataclass(frozen=True)
class Format:
    """One distribution: the files ending in ``.suffix``, with their dct:format and IANA
    media type. ``follows`` is which schemas the files follow: "tables" (datapackage.json),
    "records" (the JSON Schemas of the YAML records) or "both"."""

    suffix: str
    name: str
    file_type: URIRef
    media: str
    follows: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SQLITE = "application/vnd.sqlite3"
FORMATS = (
    Format("csv", "CSV", EU_FILE.CSV, "text/csv", "tables"),
    Format("json", "JSON", EU_FILE.JSON, "application/json", "both"),
    Format("xlsx", "Excel", EU_FILE.XLSX, XLSX, "tables"),
    # The EU file-type table has no code for SQLite (SQL is a script, GPKG a GeoPackage), so
    # dct:format is the IANA media type, which DCAT-AP 3 accepts as a dct:MediaTypeOrExtent.
    Format("sqlite", "SQLite", URIRef(IANA + SQLITE), SQLITE, "tables"),
    Format("yaml", "YAML", EU_FILE.YAML, "application/yaml", "records"),
    Format("zip", "ZIP", EU_FILE.ZIP, "application/zip", "both"),
)
# What each distribution holds: (Swedish, English).
DESCRIPTIONS = {
    "csv": ("En CSV-fil per tabell, i UTF-8.", "One CSV file per table, in UTF-8."),
    "json": (
        "En JSON-fil per tabell med raderna i CSV-filerna, och hela posterna i *-full.json.",
        "One JSON file per table with the rows of the CSV files, and full records in *-full.json.",
    ),
    "xlsx": (
        "Alla tabeller i en Excel-arbetsbok, ett blad per tabell och ett som förklarar kolumnerna.",
        "All tables in one Excel workbook, a sheet per table and one that explains the columns.",
    ),
    "sqlite": ("Alla tabeller i en SQLite-databas.", "All tables in one SQLite database."),
    "yaml": ("Källfilerna som tabellerna byggs från.", "The source files behind the tables."),
    "zip": (
        "Alla filer i ett zip-arkiv, med datapackage.json och JSON-schemana.",
        "All the files in one zip archive, with datapackage.json and the JSON Schemas.",
    ),
}


def catalogue_rdf(
    base: str,
    files: list[str],
    publisher: Publisher,
    version: str,
    issued: dt.date,
    modified: dt.date,
    years: tuple[int, int] | None,
    about: dict[str, object],
) -> bytes:
    """RDF/XML for the catalogue. ``files`` are the download paths under the site root;
    ``publisher`` is who publishes the data and how to reach them; ``about`` is the data
    package's title, description and keywords, as the field catalogue read them from the
    descriptor."""
    rdf = _Graph(base if base.endswith("/") else base + "/", issued, modified, about)
    rdf.publisher(publisher)
    rdf.catalog()
    rdf.contact(publisher)
    rdf.dataset(version, years)
    schemas = rdf.schemas(files)
    # The data package descriptor (datapackage.json and its YAML source) and the JSON Schemas
    # describe the data rather than hold it. Listed with the data JSON they would make the
    # JSON distribution a mix of two kinds of file, where a distribution is the same data in
    # one format (DIGG's recommendation 3). So they are no distribution's download: each
    # distribution links the schemas its files follow (dct:conformsTo) and the dataset links
    # the descriptor as its documentation (foaf:page). The zip archive still holds them.
    data = [f for f in files if not _describes_data(f)]
    for form in FORMATS:
        matching = sorted(f for f in data if f.endswith(f".{form.suffix}"))
        if matching:
            rdf.distribution(form, matching, schemas[form.follows])
    return _stable(rdf.g.serialize(format="xml"))


def _describes_data(path: str) -> bool:
    """Files that describe the data rather than hold it: the descriptor, the schemas and the
    database's Datasette metadata."""
    name = path.rsplit("/", 1)[-1]
    return (
        name.startswith("datapackage.")
        or name.endswith(".metadata.json")
        or path.startswith(SCHEMAS)
    )


def _telephone(number: str) -> str:
    """A tel: URI with the country code, as DIGG asks: "08-508 000 00" -> tel:+46850800000."""
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+46" + digits[1:]
    return "tel:" + digits


class _Graph:
    """The catalogue's graph, built part by part; every node has a URI."""

    def __init__(self, base: str, issued: dt.date, modified: dt.date, about: dict) -> None:
        self.base, self.issued, self.modified = base, issued, modified
        self.title = {"sv": about["title"], "en": about["titleEn"]}
        self.description = {"sv": about["description"], "en": about["descriptionEn"]}
        self.keywords = about["keywords"]
        self.g = Graph()
        spaces = {"dcat": DCAT, "dct": DCTERMS, "dcatap": DCATAP, "foaf": FOAF, "vcard": VCARD}
        for prefix, space in spaces.items():
            self.g.bind(prefix, space)
        self.catalog_node = self.node("katalog")
        self.dataset_node = self.node("datamangd")
        self.contact_node = self.node("kontakt")
        self.agent = self.node("utgivare")

    def node(self, fragment: str) -> URIRef:
        return URIRef(f"{self.base}data/katalog.rdf#{fragment}")

    def texts(self, subject, predicate, values: dict[str, str]) -> None:
        for language, text in values.items():
            self.g.add((subject, predicate, Literal(text, lang=language)))

    def date(self, subject, predicate, day: dt.date) -> None:
        self.g.add((subject, predicate, Literal(day.isoformat(), datatype=XSD.date)))

    def dates(self, subject) -> None:
        self.date(subject, DCTERMS.issued, self.issued)
        self.date(subject, DCTERMS.modified, self.modified)

    def typed(self, node: URIRef, kind: URIRef, titles: dict, label=DCTERMS.title) -> URIRef:
        self.g.add((node, RDF.type, kind))
        self.texts(node, label, titles)
        return node

    def common(self, node: URIRef) -> None:
        """What the catalogue and the dataset share: publisher, place and language."""
        self.g.add((node, DCTERMS.publisher, self.agent))
        self.g.add((node, DCTERMS.spatial, STOCKHOLM))
        self.g.add((node, DCTERMS.language, EU_LANGUAGE.SWE))
        self.dates(node)

    def catalog(self) -> None:
        g, node = self.g, self.catalog_node
        g.add((node, RDF.type, DCAT.Catalog))
        titles = {"sv": "Insyn i samverkan: öppna data", "en": "Insyn i samverkan: open data"}
        self.texts(node, DCTERMS.title, titles)
        self.texts(node, DCTERMS.description, self.description)
        self.common(node)
        g.add((node, FOAF.homepage, URIRef(self.base)))
        g.add((node, DCTERMS.license, LICENSE))
        g.add((node, DCAT.themeTaxonomy, THEME_TAXONOMY))
        g.add((node, DCAT.dataset, self.dataset_node))
        places = {"sv": "Stockholms kommun", "en": "Stockholm Municipality"}
        self.typed(STOCKHOLM, DCTERMS.Location, places, SKOS.prefLabel)

    def publisher(self, publisher: Publisher) -> None:
        """The organisation, under dataportal.se's URI for its organisation number."""
        digits = re.sub(r"\D", "", publisher.org_number)
        if digits:
            self.agent = URIRef(ORGANISATIONS + digits)
            self.g.add((self.agent, DCTERMS.identifier, Literal(digits)))
        self.g.add((self.agent, RDF.type, FOAF.Agent))
        self.g.add((self.agent, FOAF.name, Literal(publisher.organisation, lang="sv")))
        self.g.add((self.agent, DCTERMS.type, ADMS_PUBLISHER.LocalAuthority))

    def contact(self, publisher: Publisher) -> None:
        """Where questions and error reports go: e-mail and telephone only where the authority
        has given them; a web address always (its form, else the site's report page)."""
        g, node = self.g, self.contact_node
        g.add((node, RDF.type, VCARD.Organization))
        g.add((node, VCARD.fn, Literal(publisher.contact_name, lang="sv")))
        if publisher.email.strip():
            g.add((node, VCARD.hasEmail, URIRef("mailto:" + publisher.email.strip())))
        if publisher.phone.strip():
            # DIGG's form of a number: a vcard:Voice whose vcard:hasValue is the tel: URI.
            phone = self.node("telefon")
            g.add((node, VCARD.hasTelephone, phone))
            g.add((phone, RDF.type, VCARD.Voice))
            g.add((phone, VCARD.hasValue, URIRef(_telephone(publisher.phone))))
        page = publisher.form_url.strip() or self.base + "rapportera-fel/"
        g.add((node, VCARD.hasURL, URIRef(page)))

    def dataset(self, version: str, years: tuple[int, int] | None) -> None:
        g, node = self.g, self.dataset_node
        g.add((node, RDF.type, DCAT.Dataset))
        self.texts(node, DCTERMS.title, self.title)
        self.texts(node, DCTERMS.description, self.description)
        self.common(node)
        g.add((node, DCAT.contactPoint, self.contact_node))
        g.add((node, DCTERMS.identifier, Literal(str(node))))
        g.add((node, DCAT.landingPage, URIRef(f"{self.base}oppna-data/")))
        g.add((node, DCAT.theme, EU_THEME.SOCI))
        g.add((node, DCAT.theme, EU_THEME.GOVE))
        g.add((node, DCTERMS.accessRights, PUBLIC))
        g.add((node, DCAT_VERSION, Literal(version)))
        for keyword in self.keywords:
            g.add((node, DCAT.keyword, Literal(keyword, lang="sv")))
        standard = {"sv": "Standarden Data Package", "en": "The Data Package standard"}
        g.add((node, DCTERMS.conformsTo, self.typed(DATA_PACKAGE, DCTERMS.Standard, standard)))
        if years:
            period = self.node("tidsperiod")
            g.add((node, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            self.date(period, DCAT.startDate, dt.date(years[0], 1, 1))
            self.date(period, DCAT.endDate, dt.date(years[1], 12, 31))

    def schemas(self, files: list[str]) -> dict[str, list[URIRef]]:
        """The schemas the files follow, as standards: datapackage.json for the tables (it
        holds each table's Table Schema), the JSON Schemas for the YAML records. The
        descriptor is also the dataset's documentation."""
        tables = []
        if DESCRIPTOR in files:
            node = URIRef(self.base + DESCRIPTOR)
            titles = {"sv": "Tabellernas scheman", "en": "The tables' schemas"}
            tables.append(self.typed(node, DCTERMS.Standard, titles))
            self.g.add((node, RDF.type, FOAF.Document))
            self.g.add((self.dataset_node, FOAF.page, node))
        records = []
        for path in sorted(f for f in files if f.startswith(SCHEMAS)):
            name = path.removeprefix(SCHEMAS)
            titles = {"sv": f"JSON-schemat {name}", "en": f"The JSON Schema {name}"}
            records.append(self.typed(URIRef(self.base + path), DCTERMS.Standard, titles))
        return {"tables": tables, "records": records, "both": tables + records}

    def distribution(self, form: Format, paths: list[str], schemas: list[URIRef]) -> None:
        g = self.g
        node = self.node(f"distribution-{form.suffix}")
        g.add((self.dataset_node, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        titles = {"sv": f"Uppgifterna som {form.name}", "en": f"The data as {form.name}"}
        self.texts(node, DCTERMS.title, titles)
        swedish, english = DESCRIPTIONS[form.suffix]
        self.texts(node, DCTERMS.description, {"sv": swedish, "en": english})
        g.add((node, DCAT.accessURL, URIRef(f"{self.base}oppna-data/")))
        for path in paths:
            g.add((node, DCAT.downloadURL, URIRef(self.base + path)))
        g.add((node, DCTERMS.format, form.file_type))
        g.add((node, DCAT.mediaType, URIRef(IANA + form.media)))
        g.add((node, DCTERMS.license, LICENSE))
        g.add((node, DCATAP.availability, STABLE))
        for schema in schemas:
            g.add((node, DCTERMS.conformsTo, schema))


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
