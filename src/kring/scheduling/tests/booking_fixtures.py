"""Fixtures of the booking, confirming and changing tests (issue 9, points 4, 5 and 7).

`ready_case`: Carla's case in preparation with everything preparation asks (Daan acknowledged;
Daan and Sanne spoken with, invited, said yes and consented), made through the real actions;
`polling`: its open poll with two dates a week ahead at De Linde. For the booking tests
themselves, `meeting_for(coordinator)` makes a meeting of another case of the team directly."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.circle import actions as circle
from kring.circle.models import Answer, Invitation, Mode
from kring.scheduling import poll
from kring.scheduling.models import Meeting, Venue
from kring.testing.factories import CaseFactory

RIGHTS = {"legal_advice": Answer.NO, "interpreter": Answer.NO, "support_person": Answer.YES}


def prepare(participant, *, by):
    """Spoken with, invited, said yes and consented: everything preparation asks of a person."""
    circle.record_conversation(participant, held_at=timezone.now(), mode=Mode.PHONE, by=by)
    circle.invite(participant, channel=Invitation.Channel.LETTER, by=by)
    circle.respond(participant, accepts=True, mode=Mode.PHONE, by=by)
    circle.give_consent(participant, mode=Mode.PHONE, by=by, **RIGHTS)


def days_ahead(days=7, hour=14, hours=3):
    """(start, end) `days` from today at `hour` o'clock Dutch time."""
    day = timezone.localdate() + timedelta(days=days)
    start = poll.local(day, time(hour, 0))
    return start, start + timedelta(hours=hours)


def venue_of(team, name="Buurthuis De Linde", **fields):
    return Venue.objects.create(
        team=team, name=name, address="Lindeplein 1\n3511 AA Utrecht", capacity=12, **fields
    )


def meeting_for(coordinator, *, team=None, state=State.SCHEDULED) -> Meeting:
    """A meeting of another case of `coordinator` (made directly: the booking tests need a
    case with a coordinator, not its history)."""
    case = CaseFactory(team=team or coordinator.team, coordinator=coordinator, state=state)
    return Meeting.objects.create(case=case, created_by=coordinator)


@pytest.fixture
def ready_case(preparing_case, daan_acknowledged, sanne, carla):
    for person in (daan_acknowledged, sanne):
        prepare(person, by=carla)
    preparing_case.refresh_from_db()
    return preparing_case


@pytest.fixture
def linde(team):
    return venue_of(team)


@pytest.fixture
def eik(team):
    return venue_of(team, name="Wijkcentrum De Eik")


@pytest.fixture
def polling(ready_case, carla, linde):
    """The open poll of the ready case: two dates, in 7 and 8 days, 14:00-17:00, at De Linde."""
    meeting = poll.open_poll(ready_case, by=carla)
    for days in (7, 8):
        start, end = days_ahead(days)
        poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    return meeting
