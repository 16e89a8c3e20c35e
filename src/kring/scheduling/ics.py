"""The calendar file of a meeting (issue 9, point 5; RFC 5545), written with `icalendar`.

One UID per meeting for all its versions (`meeting.uid`) and SEQUENCE = `meeting.sequence`, so
that a calendar replaces the old version when the meeting is moved and removes it when it is
cancelled (METHOD:CANCEL, STATUS:CANCELLED). Times are written in Europe/Amsterdam with the
zone's VTIMEZONE, so the local time stays what the coordinator chose on both sides of a change
to or from summer time.

No names and no case content: the summary is the kind of meeting only (the conference, or a
follow-up meeting); the location is the
venue's name and address (participants who take part need it)."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr
from typing import Literal
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from kring.scheduling.models import Meeting

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Kring//Eigen Kracht-conferentie//NL"
SUMMARY = "Eigen Kracht-conferentie"
FOLLOW_UP_SUMMARY = "Nazorggesprek Eigen Kracht-conferentie"

Method = Literal["REQUEST", "CANCEL"]


def organiser_email() -> str:
    """The organisation's address (KRING_CONTACT_EMAIL, else the sender's address)."""
    return settings.KRING_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def method_for(meeting: Meeting) -> Method:
    return "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"


def location(venue) -> str:
    if venue is None:
        return ""
    lines = [venue.name, *(line.strip() for line in venue.address.splitlines())]
    return ", ".join(line for line in lines if line)


def calendar(meeting, *, now=None) -> icalendar.Calendar:
    """The calendar of `meeting` as it stands (it must have a time: confirmed or cancelled)."""
    if meeting.starts_at is None or meeting.ends_at is None:
        raise ValueError(f"meeting {meeting.pk} has no time")
    method = method_for(meeting)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(ZoneInfo("UTC")))
    event.add("dtstart", meeting.starts_at.astimezone(AMSTERDAM))
    event.add("dtend", meeting.ends_at.astimezone(AMSTERDAM))
    event.add("summary", FOLLOW_UP_SUMMARY if meeting.is_follow_up else SUMMARY)
    where = location(meeting.venue)
    if where:
        event.add("location", where)
    organiser = icalendar.vCalAddress(f"mailto:{organiser_email()}")
    organiser.params["cn"] = icalendar.vText(settings.KRING_ORGANISATION)
    event.add("organizer", organiser)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    # Only the zone's rules around the meeting: a short file, still correct on either side.
    day = meeting.starts_at.astimezone(AMSTERDAM).date()
    cal.add_missing_timezones(
        first_date=day - timedelta(days=366), last_date=day + timedelta(days=366)
    )
    return cal


def ics_text(meeting, *, now=None) -> str:
    return calendar(meeting, now=now).to_ical().decode("utf-8")


def content_type(meeting) -> str:
    return f"text/calendar; method={method_for(meeting)}"


FILENAME = "eigen-kracht-conferentie.ics"
FOLLOW_UP_FILENAME = "nazorggesprek.ics"


def filename(meeting: Meeting) -> str:
    """The calendar file's name: the conference's, or a follow-up meeting's."""
    return FOLLOW_UP_FILENAME if meeting.is_follow_up else FILENAME
