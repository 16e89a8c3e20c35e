"""Extreme dates through every form that takes a date (issue 14, finding 3), in the world of the
authorization matrix (tests/authz/conftest.py), as the role that may send it: the year 1, the
last day of the calendar, and the days just outside Kring's (kring.core.dates). Each answer is a
page with a message (or a refusal), never a 500, and nothing changes. The circle's dates, the
access log's filters and the calendar's week have their own tests next to their apps. The
administration's only dates (a user's last login and date joined) are read-only there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from tests.authz.test_matrix import snapshot

from kring.core.dates import FIRST_DAY, LAST_DAY
from kring.testing.auth import force_verified_login

DAYS = [
    "0001-01-01",
    "9999-12-31",
    (FIRST_DAY - timedelta(days=1)).isoformat(),
    (LAST_DAY + timedelta(days=1)).isoformat(),
]


def _poll(world, day):
    venue = world.obj("venue")
    path = reverse("scheduling:poll", args=[world.obj("poll_case").pk])
    return path, {"day": day, "starts": "00:00", "ends": "02:00", "venue": venue.pk}


def _move(world, day):
    meeting = world.obj("scheduled_meeting")
    path = reverse("scheduling:move", args=[meeting.pk])
    return path, {"day": day, "starts": "00:00", "ends": "02:00", "venue": meeting.venue_id}


def _evaluation_date(world, day):
    path = reverse("conference:plan_save", args=[world.obj("conference_plan").pk])
    return path, {"revision": "2", "evaluation_date": day}


def _by_when(world, day):
    case, agreement = world.obj("conference_plan"), world.obj("agreement")
    path = reverse("conference:agreement_save", args=[case.pk, agreement.pk])
    return path, {"revision": "1", "by_when": day}


FORMS = {
    "poll": ("coordinator", _poll),
    "move": ("coordinator", _move),
    "evaluation_date": ("coordinator", _evaluation_date),
    "by_when": ("coordinator", _by_when),
}


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("form", FORMS)
def test_an_extreme_date_gets_a_message_and_changes_nothing(world, client, form, day):
    role, build = FORMS[form]
    path, data = build(world, day)
    force_verified_login(client, world.user(role))
    before = snapshot()
    response = client.post(path, data)
    assert response.status_code < 500
    assert snapshot() == before, f"{form} at {day} changed something"
