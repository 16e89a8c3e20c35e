"""The policy tables of finalising the plan, the informal part and a meeting that did not take
place (issue 10, points 5 and 6), in the shape of cases/tests/test_policy.py; gathered by
test_policy.py. Carla is the case's coordinator; the plan is Sanne's (conftest `plan`)."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from kring.cases.tests.test_policy import (
    ALLOWED,
    Row,
    World,
    assert_answer,
    each,
    params,
    refused,
)
from kring.conference import policy
from kring.conference.tests.policy_world import DENIED, PEOPLE, STAFF_NOT_THE_COORDINATOR

pytestmark = pytest.mark.django_db

# Daan is the participant in the portal here (the plan is Sanne's).
NOT_THE_COORDINATOR = (*STAFF_NOT_THE_COORDINATOR, "daan_in_portal")


# --- finalising and the informal part (issue 10, point 5 and 6; R11, R13, R14) -----------------


def _plan(world, *, complete=True, final=False, changed=False, informal=False, state=None):
    from kring.cases.models import Case  # noqa: PLC0415
    from kring.conference import versions  # noqa: PLC0415
    from kring.conference.models import Agreement, Conference, Plan  # noqa: PLC0415

    plan = world.fixture("plan")
    if complete:
        Agreement.objects.create(
            plan=plan,
            position=1,
            what="Daan fietst via de Kerkstraat.",
            who=world.fixture("daan"),
            prevents_repeat=True,
        )
        Plan.objects.filter(pk=plan.pk).update(
            evaluation_date=date(2027, 9, 16),
            if_not_kept="Opnieuw praten.",
            edit_count=F("edit_count") + 2,
        )
        plan.refresh_from_db()
    if final:
        versions.finalise(plan, by=world.fixture("carla"))
    if changed:
        Plan.objects.filter(pk=plan.pk).update(
            if_not_kept="Carla belt iedereen.", edit_count=F("edit_count") + 1
        )
    if informal:
        Conference.objects.filter(pk=plan.conference_id).update(informal_at=timezone.now())
    if state is not None:
        Case.objects.filter(pk=plan.case_id).update(state=state)
    plan = Plan.objects.select_related("case", "conference__case").get(pk=plan.pk)
    return {"plan": plan, "conference": plan.conference}


PLAN_SETUPS: dict[str, Callable] = {
    "complete": lambda world: _plan(world),
    "incomplete": lambda world: _plan(world, complete=False),
    "final": lambda world: _plan(world, final=True),
    "changed_after_final": lambda world: _plan(world, final=True, changed=True),
    "informal_begun": lambda world: _plan(world, final=True, informal=True),
    "complete_following_up": lambda world: _plan(world, state="following_up"),
    "final_following_up": lambda world: _plan(world, final=True, state="following_up"),
    "changed_following_up": lambda world: _plan(
        world, final=True, changed=True, state="following_up"
    ),
    "complete_closed": lambda world: _plan(world, state="closed"),
}

VERSION_TABLES: dict[str, list[Row]] = {
    "may_finalise": [
        Row("coordinator", "complete", ALLOWED, target="plan"),
        # R14: a change after a final version makes the next one.
        Row("coordinator", "changed_after_final", ALLOWED, target="plan"),
        *each(NOT_THE_COORDINATOR, "complete", DENIED, target="plan"),
        # R11: a preventive agreement, an evaluation date and what happens if one is not kept.
        Row("coordinator", "incomplete", refused("incomplete"), target="plan"),
        Row("coordinator", "final", refused("final"), target="plan"),
        # R14: in follow-up a change by mutual consent is a new version, signed again; a
        # closed case is read-only.
        Row("coordinator", "complete_following_up", ALLOWED, target="plan"),
        Row("coordinator", "changed_following_up", ALLOWED, target="plan"),
        *each(NOT_THE_COORDINATOR, "changed_following_up", DENIED, target="plan"),
        Row("coordinator", "final_following_up", refused("final"), target="plan"),
        Row("coordinator", "complete_closed", refused("state"), target="plan"),
    ],
    "may_mark_informal": [
        Row("coordinator", "final", ALLOWED, target="conference"),
        Row("coordinator", "changed_after_final", ALLOWED, target="conference"),
        *each(NOT_THE_COORDINATOR, "final", DENIED, target="conference"),
        # R13: the informal part comes after the plan.
        Row("coordinator", "complete", refused("no_version"), target="conference"),
        Row("coordinator", "informal_begun", refused("informal_done"), target="conference"),
        Row("coordinator", "final_following_up", refused("state"), target="conference"),
    ],
}


@pytest.fixture
def plan_world(request) -> World:
    return World(request, PEOPLE, PLAN_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(VERSION_TABLES))
def test_versions_each_actor_gets_the_answer_in_the_table(plan_world, name, row):
    objects = plan_world.setup(row.given)
    actor = plan_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, objects[row.target]), row)


# --- a meeting that did not take place (issue 10, point 6) -------------------------------------


def _on_the_day(hour: int, minute: int, *, days: int = 0) -> datetime:
    """`hour:minute` in Amsterdam, `days` after today there (`timezone.localdate`)."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# When the summer meeting begins (the fixture's own date, 15 July 2027, when not named): the
# day has come from its start's date in Amsterdam on, before or after its hour.
WHEN: dict[str, Callable[[], datetime]] = {
    "an_hour_ago": lambda: timezone.now() - timedelta(hours=1),
    # Later today: 23:59, on today's date even when the test runs at 23:58.
    "later_today": lambda: _on_the_day(23, 59),
    "yesterday": lambda: _on_the_day(19, 0, days=-1),
    # Tomorrow just after midnight in Amsterdam, the day before in UTC: not the day yet.
    "tomorrow_early": lambda: _on_the_day(0, 30, days=1),
}


def _summer() -> datetime:
    """The summer meeting's own date: Thursday 15 July 2027, 19:00 in Amsterdam."""
    from kring.scheduling.tests.meeting_fixtures import local  # noqa: PLC0415

    return local(2027, 7, 15, 19, 0)


def _scheduled(world, *, check_in=False, started=False, meeting="confirmed", when="an_hour_ago"):
    from kring.scheduling.models import Meeting  # noqa: PLC0415

    summer = world.fixture("summer_meeting")
    # Check-in begins on the meeting's day (checking_in: it began an hour ago); "summer" with
    # check-in is a meeting whose date was set later again after check-in began.
    conference = world.fixture("checking_in") if check_in else None
    case = world.fixture("scheduled_case")  # (its meeting moved to an hour ago first)
    starts = _summer() if when == "summer" else WHEN[when]()
    Meeting.objects.filter(pk=summer.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    summer.refresh_from_db()
    if conference is not None:
        conference.meeting.refresh_from_db()
        if started:
            type(conference).objects.filter(pk=conference.pk).update(started_at=timezone.now())
            conference.refresh_from_db()
        return {"case": conference.case, "conference": conference}
    Meeting.objects.filter(pk=summer.pk).update(status=meeting)
    return {"case": case, "conference": None}


def _preparing(world):
    world.fixture("summer_meeting")
    return {"case": world.fixture("preparing_case"), "conference": None}


def _held(world):
    conference = world.fixture("rounds_done")
    return {"case": conference.case, "conference": conference}


NOT_HELD_SETUPS: dict[str, Callable] = {
    # The meeting began an hour ago, and nobody has opened the conference.
    "scheduled": lambda world: _scheduled(world),
    "checking_in": lambda world: _scheduled(world, check_in=True),
    # Its day has come: from its date on, before its hour too.
    "later_today": lambda world: _scheduled(world, when="later_today"),
    "yesterday": lambda world: _scheduled(world, when="yesterday"),
    # Its day has not come (cancelling it tells everyone; recording it as not held tells nobody).
    "ahead": lambda world: _scheduled(world, when="summer"),
    "checking_in_ahead": lambda world: _scheduled(world, check_in=True, when="summer"),
    "tomorrow_early": lambda world: _scheduled(world, when="tomorrow_early"),
    # The start moves the case on in the same transaction; the conference's own mark counts too.
    "started": lambda world: _scheduled(world, check_in=True, started=True),
    "meeting_cancelled": lambda world: _scheduled(world, meeting="cancelled"),
    "preparing": _preparing,
    "held": _held,
}

NOT_HELD_TABLES: dict[str, list[Row]] = {
    "may_record_not_held": [
        Row("coordinator", "scheduled", ALLOWED),
        Row("coordinator", "checking_in", ALLOWED),
        Row("coordinator", "later_today", ALLOWED),
        Row("coordinator", "yesterday", ALLOWED),
        *each(NOT_THE_COORDINATOR, "scheduled", DENIED),
        *each(NOT_THE_COORDINATOR, "ahead", DENIED),
        Row("coordinator", "ahead", refused("before_the_day")),
        Row("coordinator", "checking_in_ahead", refused("before_the_day")),
        Row("coordinator", "tomorrow_early", refused("before_the_day")),
        Row("coordinator", "started", refused("begun")),
        Row("coordinator", "held", refused("state")),
        Row("coordinator", "preparing", refused("state")),
        Row("coordinator", "meeting_cancelled", refused("no_meeting")),
    ],
}


@pytest.fixture
def not_held_world(request) -> World:
    return World(request, PEOPLE, NOT_HELD_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(NOT_HELD_TABLES))
def test_not_held_each_actor_gets_the_answer_in_the_table(not_held_world, name, row):
    objects = not_held_world.setup(row.given)
    actor = not_held_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, objects["case"], objects["conference"]), row)
