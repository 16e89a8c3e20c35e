"""Invitations to a confirmed meeting (issue 9, point 5; R8).

Every participant who takes part at that moment (scheduling.policy.taking_part) is told:
by e-mail with the calendar file (scheduling.ics) when they have an address, otherwise by a
letter the coordinator prints from the case page (scheduling.letters); and on their own page, a
panel with the date, time, address, route and the venue's accessibility, with the calendar file
to download. A participant who withdraws afterwards is no longer on the list: a later change or
cancellation goes only to those who take part then.

`send` is called by scheduling.actions inside their transaction; the mails are written to the
outbox there and go out after commit (kring.notifications.mail.queue_mail). The mails carry no
free text and no contact details of anyone else: only the date, the time and the venue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from django.utils import timezone

from kring.accounts import contact
from kring.circle.models import Participant
from kring.notifications.mail import Attachment, queue_mail
from kring.scheduling import ics, policy
from kring.scheduling.models import Meeting

if TYPE_CHECKING:
    from kring.cases.models import Case

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

Change = Literal["new", "moved", "cancelled"]
MAIL_KINDS: dict[str, str] = {
    "new": "scheduling.invitation",
    "moved": "scheduling.moved",
    "cancelled": "scheduling.cancelled",
}


def letters_needed(meeting: Meeting) -> list[Participant]:
    """Who takes part but has no e-mail address: they get a printed letter."""
    if not policy.has_letters(meeting):
        return []
    return [p for p in policy.taking_part(meeting.case) if not p.email]


def meeting_for_letters(case: Case) -> Meeting | None:
    """The meeting whose letters the case page offers: the confirmed one, else the one last
    cancelled after its date was set."""
    return current_meeting(case) or (
        Meeting.objects.filter(
            case=case,
            purpose=policy.purpose_for(case),
            status=Meeting.Status.CANCELLED,
            starts_at__isnull=False,
        )
        .select_related("venue")
        .order_by("-cancelled_at", "-pk")
        .first()
    )


def details(meeting: Meeting) -> dict[str, Any]:
    """What every invitation, letter and portal panel shows: the local date and times, the
    venue with its address, route and accessibility."""
    venue = meeting.venue
    starts = meeting.starts_at.astimezone(AMSTERDAM) if meeting.starts_at else None
    ends = meeting.ends_at.astimezone(AMSTERDAM) if meeting.ends_at else None
    return {
        "meeting": meeting,
        "starts": starts,
        "ends": ends,
        "venue": venue,
        "address_lines": [line.strip() for line in venue.address.splitlines() if line.strip()]
        if venue
        else [],
        "accessibility": accessibility(venue),
    }


def accessibility(venue) -> list[str]:
    """The venue's accessibility as short phrases (the model's field names, translated)."""
    if venue is None:
        return []
    fields = ["step_free", "hearing_loop", "quiet_room", "parking", "public_transport"]
    return [
        str(venue._meta.get_field(name).verbose_name) for name in fields if getattr(venue, name)
    ]


def send(meeting: Meeting, *, change: Change) -> int:
    """Tell everyone who takes part now about the meeting: `change` is "new" (the invitation),
    "moved" (the same meeting at another time or place: the calendar file has the same UID and
    a higher SEQUENCE) or "cancelled" (METHOD:CANCEL). Returns the number of mails queued;
    those without e-mail are on letters_needed() for a new or moved meeting."""
    if change not in MAIL_KINDS:
        raise ValueError(f"unknown change {change!r}")
    now = timezone.now()
    attachment = Attachment(
        ics.filename(meeting), ics.ics_text(meeting, now=now), ics.content_type(meeting)
    )
    case = meeting.case
    who_to_contact = contact.for_case(case)
    info = details(meeting)
    queued = 0
    for participant in policy.taking_part(case):
        if not participant.email:
            continue
        queue_mail(
            MAIL_KINDS[change],
            to=participant.email,
            language=participant.language,
            context={
                **info,
                "participant_first_name": participant.name.split()[0],
                "contact": who_to_contact,
            },
            attachments=[attachment],
        )
        queued += 1
    return queued


def current_meeting(case: Case) -> Meeting | None:
    """The case's confirmed meeting of the purpose its state is about (policy.purpose_for), if
    there is one: in follow-up a follow-up meeting, never the conference's that was held (also
    not once a follow-up meeting is cancelled)."""
    return (
        Meeting.objects.filter(
            case=case, purpose=policy.purpose_for(case), status=Meeting.Status.CONFIRMED
        )
        .select_related("venue")
        .order_by("-created_at", "-pk")
        .first()
    )


def portal_panel(participant: Participant) -> tuple[str, dict[str, Any]] | None:
    """The meeting on the participant's own page (kring.portal.registry): only for someone who
    takes part, once the date is set."""
    from kring.audit.actors import Actor
    from kring.core.policy import options

    if not policy.is_taking_part(participant):
        return None
    meeting = current_meeting(participant.case)
    if meeting is None:
        return None
    me = Actor.in_portal(participant)
    may = options(
        download_calendar_file=policy.may_download_calendar_file(me, participant, meeting)
    )
    return "scheduling/portal_meeting.html", {**details(meeting), "may": may}
