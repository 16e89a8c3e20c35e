"""Fixtures of the date poll tests (issue 9, point 2): a venue of Carla's team, Daan
(responsible), Sanne (harmed) and Joost (Daan's brother) who were invited by letter and said yes, and
a poll with three options a week ahead. Made through the real actions."""

from datetime import time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kring.circle import actions as circle
from kring.circle.models import Invitation, Mode
from kring.scheduling import poll
from kring.scheduling.models import Venue

EN = "en"


def venue_of(team, name="Buurthuis De Linde", **fields):
    return Venue.objects.create(
        team=team, name=name, address="Lindeplein 1\n3511 AA Utrecht", capacity=12, **fields
    )


def in_a_week(days=7, hour=14, hours=3):
    """(start, end) `days` from today at `hour` o'clock Dutch time."""
    day = timezone.localdate() + timedelta(days=days)
    start = poll.local(day, time(hour, 0))
    return start, start + timedelta(hours=hours)


def invited_and_accepted(participant, *, by) -> str:
    """Invited by letter and said yes by phone; returns the personal link's token."""
    token = circle.invite(participant, channel=Invitation.Channel.LETTER, by=by).token
    circle.respond(participant, accepts=True, mode=Mode.PHONE, by=by)
    return token


@pytest.fixture
def linde(team):
    return venue_of(team)


@pytest.fixture
def accepted(daan_acknowledged, sanne, joost, carla):
    """Daan, Sanne and Joost said yes; their personal links by name."""
    return {
        "daan": (daan_acknowledged, invited_and_accepted(daan_acknowledged, by=carla)),
        "sanne": (sanne, invited_and_accepted(sanne, by=carla)),
        "joost": (joost, invited_and_accepted(joost, by=carla)),
    }


@pytest.fixture
def meeting(preparing_case, carla, linde, accepted):
    """An open poll with three dates: in 7, 8 and 9 days, 14:00-17:00, at De Linde."""
    meeting = poll.open_poll(preparing_case, by=carla)
    for days in (7, 8, 9):
        start, end = in_a_week(days)
        poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    return meeting


def enter_portal(client, token):
    response = client.get(reverse("portal:enter", args=[token]))
    assert response.status_code == 303
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = EN
    return client
