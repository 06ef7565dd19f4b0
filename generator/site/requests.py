"""Requests for public documents (begäran om allmän handling): where a value is unknown
because a public document is missing from the material, the page offers a ready request that
names the document and what is asked for, under the principle of public access
(offentlighetsprincipen, 2 kap. tryckfrihetsförordningen)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..model.dataset import Dataset
from ..model.records import Decision, Unknown
from .fmt import date_text


@dataclass(frozen=True)
class Gap:
    """One value the material lacks because a document is missing: what is missing, in
    Swedish, and what to ask for."""

    decision_id: str
    missing: str
    ask: str


@dataclass(frozen=True)
class Request:
    decision: Decision
    gaps: tuple[Gap, ...]
    subject: str
    body: str
    to: str  # the registry's name
    email: str  # the registry's address, or ""

    @property
    def mailto(self) -> str:
        return f"mailto:{self.email}?subject={quote(self.subject)}&body={quote(self.body)}"


# The definite form of each type of document, as a request names it.
_DEFINITE = {
    "beslut": "beslutet",
    "tjänsteutlåtande": "tjänsteutlåtandet",
    "skrivelse": "skrivelsen",
    "protokollsutdrag": "protokollsutdraget",
}


def _described(d: Decision) -> str:
    """'tjänsteutlåtandet ”Titel” till Arbetsmarknadsnämnden den 11 november 2025'."""
    text = f"{_DEFINITE.get(d.type, 'handlingen')} ”{d.title}”"
    if not isinstance(d.body, Unknown) and d.body:
        text += f" till {d.body}"
    if not isinstance(d.date, Unknown):
        text += f" den {date_text(d.date)}"
    return text


def _genitive(body: object) -> str:
    """'Arbetsmarknadsnämndens', or 'Nämndens' when the board is not known."""
    if isinstance(body, Unknown) or not body:
        return "Nämndens"
    return str(body) if str(body).endswith(("s", "x", "z")) else f"{body}s"


def gaps(data: Dataset, d: Decision) -> tuple[Gap, ...]:
    """What the material lacks about one document, because a public document is missing."""
    found = []
    about = _described(d)
    if isinstance(d.outcome, Unknown):
        found.append(
            Gap(
                d.id,
                "Nämndens beslut",
                f"{_genitive(d.body)} beslut i ärendet som {about} gäller "
                "(protokollsutdrag med beslutet).",
            )
        )
    unreachable = isinstance(d.document_url, Unknown)
    if d.id not in data.documents and unreachable:
        whole = f"{about[:1].upper()}{about[1:]}, i sin helhet."
        found.append(Gap(d.id, "Handlingens text", whole))
    if isinstance(d.case_number, Unknown):
        found.append(
            Gap(
                d.id,
                "Diarienummer",
                f"Uppgift om diarienumret för {about}, eller handlingen med diarienumret på.",
            )
        )
    if unreachable and d.id in data.documents:
        found.append(
            Gap(
                d.id,
                "Handlingen på stadens webbplats",
                f"Adressen där {about} finns på stadens webbplats, eller en kopia av handlingen.",
            )
        )
    return tuple(found)


def request(data: Dataset, d: Decision, page: str) -> Request | None:
    """The request for what is missing about ``d``, or None when nothing is. ``page`` is the
    address of the page the request is made from."""
    found = gaps(data, d)
    if not found:
        return None
    publisher = data.publisher
    registry = publisher.registry_name or publisher.contact_name
    lines = [
        f"Till {registry}, {publisher.organisation}",
        "",
        "Jag begär att få ta del av följande allmänna handlingar enligt offentlighetsprincipen "
        "(2 kap. tryckfrihetsförordningen):",
        "",
        *(f"- {gap.ask}" for gap in found),
        "",
        "Jag tar gärna emot handlingarna i elektronisk form. Om någon del inte lämnas ut vill "
        "jag få ett skriftligt beslut om det, så att jag kan överklaga.",
        "",
        f"Begäran gäller uppgifter som saknas på sidan {page}",
    ]
    return Request(
        d,
        found,
        f"Begäran om allmän handling: {d.title}",
        "\n".join(lines),
        registry,
        publisher.registry_email,
    )


def all_gaps(data: Dataset) -> list[tuple[Decision, tuple[Gap, ...]]]:
    """Every document the material lacks something of, in the order of the decisions."""
    return [(d, g) for d in data.decisions.values() if (g := gaps(data, d))]
