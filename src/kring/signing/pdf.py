"""The signed plan as a PDF (R14, issue 11 point 3): WeasyPrint, PDF/UA-1 (tagged, with its
language and title), in Dutch, the organisation's language.

It holds the plan exactly as the signed version's canonical content (`version.content`, through
conference/_plan.html, the one rendering of a plan), the list of signatures, and a certificate
page: who signed, when (Amsterdam time and UTC), how, the version's number and full SHA-256,
the verification code and the address of the verification page. For a remote signature it says
"through the personal page, after a one-time code by e-mail"; the browser's address and user
agent stay in the database (signing.models.Signature), not in every copy (docs/security.md).

Nothing is fetched while rendering: the CSS is inside the template, fonts are the system's
(DejaVu), and the URL fetcher refuses every address but data: URLs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from kring.signing.models import Method, Role, Signature, SignedDocument

LANGUAGE = "nl"
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
TITLE = "Herstelplan"


class OfflineFetcher(URLFetcher):
    """Refuses every address but data: URLs: a PDF never reaches out to the network or the
    disk while it is made (a name or an agreement could otherwise carry a URL in)."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError("Kring's PDFs fetch nothing")
        return super().fetch(url, headers)


@dataclass
class SignerLine:
    """One line of the list of signatures and the certificate page."""

    typed_name: str
    recorded_name: str
    for_minor: str  # the minor's name when a guardian co-signed, else ""
    signed_at_local: datetime
    signed_at_utc: str  # formatted here: the template's date filter would show local time
    in_person: bool
    host: str  # the coordinator whose tablet it was (in person)


def signer_lines(document: SignedDocument) -> list[SignerLine]:
    signatures = Signature.objects.filter(version=document.version).select_related(
        "participant", "signed_by", "hosted_by"
    )
    return [
        SignerLine(
            typed_name=signature.typed_name,
            recorded_name=signature.signed_by.name,
            for_minor=signature.participant.name if signature.role == Role.GUARDIAN else "",
            signed_at_local=signature.signed_at.astimezone(LOCAL_TIME),
            signed_at_utc=signature.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            in_person=signature.method == Method.IN_PERSON,
            host=str(signature.hosted_by) if signature.hosted_by else "",
        )
        for signature in signatures
    ]


def verify_address() -> str:
    return settings.SITE_URL + reverse("signing:verify")


def context(document: SignedDocument) -> dict[str, Any]:
    """What the template shows of `document`: its version (number, hash, canonical content),
    its signatures, its code and where to check it."""
    from kring.signing.documents import grouped

    version = document.version
    return {
        "version": version,
        "content": version.content,
        "reference": version.content.get("reference", ""),
        "signers": signer_lines(document),
        "code": grouped(document.code),
        "finalised_at": version.finalised_at,
    }


def html(values: dict[str, Any]) -> str:
    """The PDF's HTML, in Dutch, from `context(...)` (or the benchmark's made-up plan)."""
    with translation.override(LANGUAGE), timezone.override(LOCAL_TIME):
        return render_to_string(
            "signing/pdf/plan.html",
            {
                **values,
                "finalised_at": values["finalised_at"].astimezone(LOCAL_TIME),
                "verify_address": verify_address(),
                "organisation": settings.KRING_ORGANISATION,
                "title": TITLE,
            },
        )


def render_html(page_html: str) -> bytes:
    """WeasyPrint, PDF/UA-1 (tagged), nothing fetched."""
    page = HTML(string=page_html, base_url="data:,", url_fetcher=OfflineFetcher())
    return bytes(page.write_pdf(pdf_variant="pdf/ua-1"))


def render(document: SignedDocument) -> bytes:
    """The unsealed PDF of `document`."""
    return render_html(html(context(document)))
