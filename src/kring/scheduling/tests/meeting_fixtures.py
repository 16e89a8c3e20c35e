"""Helpers of the invitations and reminders tests (issue 9, points 5 and 6); their fixtures
(`everyone_said_yes`, `linde`, `summer_meeting`) are in conftest.py. The confirmed meeting is
made with the models: the confirming action is tested in its own module."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from kring.circle.models import Participant, Status
from kring.scheduling.models import Meeting, Venue

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


def said_yes(*participants: Participant) -> None:
    Participant.objects.filter(pk__in=[p.pk for p in participants]).update(
        status=Status.ACCEPTED, status_changed_at=timezone.now()
    )
    for participant in participants:
        participant.refresh_from_db()


def linde_of(team) -> Venue:
    return Venue.objects.create(
        team=team,
        name="Buurthuis De Linde",
        address="Lindeplein 1\n3511 AA Utrecht",
        capacity=12,
        step_free=True,
        hearing_loop=True,
        route="Bus 8 tot halte Lindeplein; de ingang is om de hoek.",
    )


def confirmed_meeting(case, *, by, venue, starts_at, ends_at) -> Meeting:
    return Meeting.objects.create(
        case=case,
        status=Meeting.Status.CONFIRMED,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        created_by=by,
        confirmed_at=timezone.now(),
    )
