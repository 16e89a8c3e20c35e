"""The printed invitation (issue 3, point 6) for a participant without e-mail: an A4 letter
with the same text as the e-mail, the personal link in full and as a QR code, and a short
address with a personal code to type in (issue 8, point 4), made with WeasyPrint as a tagged
PDF/UA-1 document.

The letter carries the participant's own name and postal address only: never anyone else's
contact details (R18). Rendering fetches nothing: the stylesheet is read from disk, the QR code
is inline, fonts come from the system (DejaVu Sans), and every other URL is refused."""

import base64
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from kring.accounts import contact
from kring.circle import links
from kring.circle.models import Status

STYLESHEET = Path(__file__).parent / "static" / "circle" / "letter.css"


class NoNetworkFetcher(URLFetcher):
    """Only data: URIs (the inline QR code); a letter never loads anything from outside."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)


def qr_data_uri(text: str) -> str:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def coordinator_name(case) -> str:
    user = case.coordinator
    if user is None:
        return ""
    return user.get_full_name() or user.first_name or user.username


def addressee(participant) -> dict:
    """The part of a letter's context that every letter to a participant shares (this one and
    scheduling.letters): its language and sender, and the addressee, who is this participant
    only, never anyone else's details (R18)."""
    words = participant.name.split()
    return {
        "language": participant.language,
        "organisation": settings.KRING_ORGANISATION,
        "name": participant.name,
        "first_name": words[0] if words else "",
        "address_lines": [
            line.strip() for line in participant.address.splitlines() if line.strip()
        ],
    }


def letter_context(participant, token: str, code: str) -> dict:
    link = links.url(token)
    case = participant.case
    return {
        **addressee(participant),
        "date": timezone.localdate(),
        "personal_link": link,
        "qr_code": qr_data_uri(link),
        "link_days": settings.KRING_PORTAL_LINK_DAYS,
        # A date reads more plainly than "30 days" from a day the reader does not know.
        "link_until": timezone.localdate(
            timezone.now() + timedelta(days=settings.KRING_PORTAL_LINK_DAYS)
        ),
        # The short address and the code in groups of four: easier to type than the link.
        "short_address": links.short_address(),
        "code_groups": links.grouped(code).split("-"),
        # Someone who already said yes gets a new code, not a new invitation.
        "taking_part": participant.status == Status.ACCEPTED,
        "coordinator": coordinator_name(case),
        # How to reach the coordinator, or the organisation (accounts.contact): work details.
        "contact": contact.for_case(case),
    }


def render_html(template: str, participant, context: Callable[[], dict]) -> str:
    """A letter to `participant` as HTML, in their language. `context` is made in that language
    too, since it may translate words as it goes (a venue's accessibility in the meeting letter);
    it holds `addressee(participant)`."""
    with translation.override(participant.language):
        return render_to_string(template, context())


def letter_html(participant, token: str, code: str) -> str:
    return render_html(
        "circle/letter.html", participant, lambda: letter_context(participant, token, code)
    )


def letter_filename(participant, on: date | None = None) -> str:
    """`uitnodiging-daan-de-boer-2026-11-28.pdf`: per person and date, ASCII only, so that the
    name is safe in a Content-Disposition header and letters are not mixed up."""
    parts = ["uitnodiging", slugify(participant.name), (on or timezone.localdate()).isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"


# PDF/UA-1: tagged, with title and language, so that a screen reader can read the letter aloud.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def render_document(template: str, participant, context: Callable[[], dict]):
    """A letter laid out (a weasyprint Document: its pages and text boxes, before PDF) with the
    letters' stylesheet, the system fonts and no network."""
    html = render_html(template, participant, context)
    fetcher = NoNetworkFetcher()
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher, font_config=fonts
    )
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return document.render(font_config=fonts, stylesheets=[stylesheet], **PDF_OPTIONS)


def render_pdf(template: str, participant, context: Callable[[], dict]) -> bytes:
    """A letter to `participant` as a tagged PDF/UA-1 document: `template` (extending
    circle/letter_base.html) with what `context()` gives (see render_html). scheduling.letters
    uses it too."""
    return render_document(template, participant, context).write_pdf(**PDF_OPTIONS)


def letter_document(participant, token: str, code: str):
    """The laid-out invitation letter, before PDF (the tests read its text)."""
    return render_document(
        "circle/letter.html", participant, lambda: letter_context(participant, token, code)
    )


def letter_pdf(participant, token: str, code: str) -> bytes:
    """The invitation letter for `participant` with the personal link of `token` and its
    letter code, as PDF."""
    return render_pdf(
        "circle/letter.html", participant, lambda: letter_context(participant, token, code)
    )
