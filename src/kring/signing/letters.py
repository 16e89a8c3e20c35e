"""The cover letter that goes with a printed copy of the signed plan (issue 11, point 4; R14),
for a signer without e-mail: an A4 letter in the style of the circle's letters
(circle/letter_base.html, made by circle.letters as a tagged PDF/UA-1 document, fetching
nothing), addressed to the signer by name and postal address only (R18). In plain words: here is
your copy of the plan you signed, how to check it (the verification address and the code), who
to contact."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from kring.accounts import contact
from kring.circle import letters
from kring.signing import documents

TEMPLATE = "signing/cover_letter.html"


def cover_letter_context(document, participant) -> dict:
    return {
        **letters.addressee(participant),
        "date": timezone.localdate(),
        "version_number": document.version.number,
        "verify_address": (settings.SITE_URL + reverse("signing:verify")).removeprefix("https://"),
        "code": documents.grouped(document.code),
        "contact": contact.for_case(document.case),
    }


def cover_letter_document(document, participant):
    """The laid-out letter, before PDF (the tests read its text)."""
    return letters.render_document(
        TEMPLATE, participant, lambda: cover_letter_context(document, participant)
    )


def cover_letter_pdf(document, participant) -> bytes:
    return letters.render_pdf(
        TEMPLATE, participant, lambda: cover_letter_context(document, participant)
    )


def cover_letter_filename(participant) -> str:
    """`brief-herstelplan-daan-de-boer-2026-11-28.pdf`: per person and date, ASCII only."""
    parts = ["brief-herstelplan", slugify(participant.name), timezone.localdate().isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"
