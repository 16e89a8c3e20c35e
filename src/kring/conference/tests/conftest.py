"""Shared conference fixtures (issue 10): Carla's case scheduled at De Linde, its meeting begun
an hour ago (the summer meeting of 15 July 2027 moved to today: the conference happens on its
day), with Daan (responsible), Sanne (harmed), Joost (Daan's brother) and Ria (Sanne's aunt)
taking part. The conference rows are made with the models here, so that each part's tests
start where they need to; the actions are tested in their own modules. Each part of the app
appends its fixtures below."""

import pytest
from django.utils import timezone

from kring.scheduling.tests.conftest import everyone_said_yes, linde, summer_meeting
from kring.testing.circle_people import acknowledge, daan, daan_acknowledged, joost, ria, sanne

__all__ = [
    "acknowledge",
    "daan",
    "daan_acknowledged",
    "everyone_said_yes",
    "joost",
    "linde",
    "ria",
    "sanne",
    "summer_meeting",
]


@pytest.fixture
def scheduled_case(preparing_case, meeting_an_hour_ago):
    """Carla's case, scheduled: its meeting is confirmed (the state set directly; confirming is
    scheduling's action, tested there), and its day has come: the summer meeting began an hour
    ago (`meeting_an_hour_ago`; check-in and the start wait for the day,
    conference.policy.the_day_has_come). A test of the days before moves it back
    (`meeting_ahead`)."""
    from kring.cases.lifecycle import State
    from kring.cases.models import Case

    Case.objects.filter(pk=preparing_case.pk).update(state=State.SCHEDULED)
    preparing_case.refresh_from_db()
    return preparing_case


@pytest.fixture
def checking_in(scheduled_case, meeting_an_hour_ago, carla):
    """The conference of the summer meeting, on its day, with check-in begun and nobody checked
    in yet."""
    from kring.conference.models import Conference

    return Conference.objects.create(
        case=scheduled_case, meeting=meeting_an_hour_ago, created_by=carla
    )


@pytest.fixture
def rounds_done(checking_in, everyone_said_yes, carla):
    """The conference opened with all four present (the case "conference_held"), the
    introductions and every round done: the plan may begin."""
    from kring.cases.lifecycle import State
    from kring.cases.models import Case
    from kring.conference.models import Attendance, Round

    now = timezone.now()
    people = everyone_said_yes
    for participant in people.values():
        Attendance.objects.create(
            conference=checking_in,
            participant=participant,
            present=True,
            recorded_at=now,
            recorded_by=carla,
        )
    for position, key in enumerate(("daan", "sanne", "joost", "ria"), start=1):
        Round.objects.create(
            conference=checking_in, participant=people[key], position=position, done_at=now
        )
    Case.objects.filter(pk=checking_in.case_id).update(state=State.CONFERENCE_HELD)
    checking_in.started_at = checking_in.introductions_done_at = checking_in.rounds_done_at = now
    checking_in.save()
    checking_in.case.refresh_from_db()
    return checking_in


@pytest.fixture
def plan(rounds_done, carla, sanne):
    """The plan of the conference, begun, with Sanne's answer to "what would be a good
    outcome?" and nothing else yet."""
    from kring.conference.models import Plan

    return Plan.objects.create(
        case=rounds_done.case,
        conference=rounds_done,
        created_by=carla,
        good_outcome="Dat Daan begrijpt wat het met me deed, en dat het niet meer gebeurt.",
        good_outcome_by=sanne,
    )


@pytest.fixture
def meeting_an_hour_ago(summer_meeting):
    """The summer meeting moved to now: it began an hour ago and ends in an hour and a half.
    Its day has come, so check-in may begin and it may be recorded as not held
    (conference.policy.the_day_has_come)."""
    from datetime import timedelta

    from kring.scheduling.models import Meeting

    now = timezone.now()
    Meeting.objects.filter(pk=summer_meeting.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=90)
    )
    summer_meeting.refresh_from_db()
    return summer_meeting


@pytest.fixture
def meeting_ahead(summer_meeting):
    """The summer meeting on its own date again, weeks ahead: Thursday 15 July 2027, 19:00-21:30
    in Amsterdam. Its day has not come."""
    from kring.scheduling.models import Meeting
    from kring.scheduling.tests.meeting_fixtures import local

    Meeting.objects.filter(pk=summer_meeting.pk).update(
        starts_at=local(2027, 7, 15, 19, 0), ends_at=local(2027, 7, 15, 21, 30)
    )
    summer_meeting.refresh_from_db()
    return summer_meeting
