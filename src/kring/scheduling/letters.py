"""The printed invitation to the meeting (issue 9, point 5) for a participant who takes part and
has no e-mail address: an A4 letter with the date, the time, the venue's address, the route and
its accessibility, and the contact block, made with WeasyPrint as a tagged PDF/UA-1 document in
the same layout as the circle's letters (kring.circle.letters: the stylesheet, the fonts, no
network).

The letter carries the participant's own name and postal address only (R18)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from kring.accounts import contact
from kring.circle.letters import PDF_OPTIONS, STYLESHEET, NoNetworkFetcher
from kring.scheduling import invitations
from kring.scheduling.models import Meeting


def letter_context(participant, meeting) -> dict:
    return {
        **invitations.details(meeting),
        "language": participant.language,
        "organisation": settings.KRING_ORGANISATION,
        "name": participant.name,
        "first_name": participant.name.split()[0] if participant.name.split() else "",
        "address_lines": [
            line.strip() for line in participant.address.splitlines() if line.strip()
        ],
        "venue_address_lines": invitations.details(meeting)["address_lines"],
        "date": timezone.localdate(),
        "contact": contact.for_case(meeting.case),
        "cancelled": meeting.status == Meeting.Status.CANCELLED,
    }


def letter_html(participant, meeting) -> str:
    with translation.override(participant.language):
        return render_to_string("scheduling/letter.html", letter_context(participant, meeting))


def letter_filename(participant) -> str:
    """`conferentie-ria-jansen-2026-11-28.pdf`: per person and date, ASCII only."""
    parts = ["conferentie", slugify(participant.name), timezone.localdate().isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"


def letter_pdf(participant, meeting) -> bytes:
    html = letter_html(participant, meeting)
    fetcher = NoNetworkFetcher()
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher, font_config=fonts
    )
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    rendered = document.render(font_config=fonts, stylesheets=[stylesheet], **PDF_OPTIONS)
    return rendered.write_pdf(**PDF_OPTIONS)
