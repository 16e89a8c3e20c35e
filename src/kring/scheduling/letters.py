"""The printed invitation to the meeting (issue 9, point 5) for a participant who takes part and
has no e-mail address: an A4 letter with the date, the time, the venue's address, the route and
its accessibility, and the contact block, made with WeasyPrint as a tagged PDF/UA-1 document in
the same layout as the circle's letters (kring.circle.letters: the stylesheet, the fonts, no
network).

The letter carries the participant's own name and postal address only (R18)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify

from kring.accounts import contact
from kring.circle.letters import addressee, render_html, render_pdf
from kring.scheduling import invitations
from kring.scheduling.models import Meeting


def letter_context(participant, meeting) -> dict:
    return {
        **invitations.details(meeting),
        # The addressee's lines replace the venue's "address_lines" of the details.
        **addressee(participant),
        "venue_address_lines": invitations.details(meeting)["address_lines"],
        "date": timezone.localdate(),
        "contact": contact.for_case(meeting.case),
        "cancelled": meeting.status == Meeting.Status.CANCELLED,
    }


def letter_html(participant, meeting) -> str:
    return render_html(
        "scheduling/letter.html", participant, lambda: letter_context(participant, meeting)
    )


def letter_filename(participant, meeting: Meeting | None = None) -> str:
    """`conferentie-ria-jansen-2026-11-28.pdf` (of a follow-up meeting:
    `nazorggesprek-…`): per person and date, ASCII only."""
    kind = "nazorggesprek" if meeting is not None and meeting.is_follow_up else "conferentie"
    parts = [kind, slugify(participant.name), timezone.localdate().isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"


def letter_pdf(participant, meeting) -> bytes:
    return render_pdf(
        "scheduling/letter.html", participant, lambda: letter_context(participant, meeting)
    )
