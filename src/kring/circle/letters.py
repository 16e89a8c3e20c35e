"""The printed invitation (issue 3, point 6) for a participant without e-mail: an A4 letter
with the same text as the e-mail, the personal link in full and as a QR code, made with
WeasyPrint as a tagged PDF/UA-1 document.

The letter carries the participant's own name and postal address only: never anyone else's
contact details (R18). Rendering fetches nothing: the stylesheet is read from disk, the QR code
is inline, fonts come from the system (DejaVu Sans), and every other URL is refused."""

import base64
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from kring.accounts import contact
from kring.circle import links

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


def letter_context(participant, token: str) -> dict:
    link = links.url(token)
    case = participant.case
    return {
        "language": participant.language,
        "organisation": settings.KRING_ORGANISATION,
        # The addressee: this participant only, never anyone else's details (R18).
        "name": participant.name,
        "first_name": participant.name.split()[0] if participant.name.split() else "",
        "address_lines": [
            line.strip() for line in participant.address.splitlines() if line.strip()
        ],
        "date": timezone.localdate(),
        "personal_link": link,
        "qr_code": qr_data_uri(link),
        "link_days": settings.KRING_PORTAL_LINK_DAYS,
        "coordinator": coordinator_name(case),
        # How to reach the coordinator, or the organisation (accounts.contact): work details.
        "contact": contact.for_case(case),
    }


def letter_html(participant, token: str) -> str:
    with translation.override(participant.language):
        return render_to_string("circle/letter.html", letter_context(participant, token))


# PDF/UA-1: tagged, with title and language, so that a screen reader can read the letter aloud.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def letter_document(participant, token: str):
    """The laid-out letter (a weasyprint Document): its pages and text boxes, before PDF."""
    html = letter_html(participant, token)
    fetcher = NoNetworkFetcher()
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher, font_config=fonts
    )
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return document.render(font_config=fonts, stylesheets=[stylesheet], **PDF_OPTIONS)


def letter_pdf(participant, token: str) -> bytes:
    """The invitation letter for `participant` with the personal link of `token`, as PDF."""
    return letter_document(participant, token).write_pdf(**PDF_OPTIONS)
