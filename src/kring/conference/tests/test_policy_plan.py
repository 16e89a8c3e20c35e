"""The policy of writing the plan (issue 10, points 2 and 4; R11, R12) as a table, in the shape of
cases/tests/test_policy.py: only the case's coordinator writes the plan, only at the conference,
and only once the rounds are done (R12). Gathered by conference/tests/test_policy.py."""

from collections.abc import Callable

import pytest

from kring.cases.lifecycle import State
from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    denied,
    each,
    params,
    refused,
)
from kring.conference import policy

pytestmark = pytest.mark.django_db

NOT_THE_COORDINATOR = (
    "other_coordinator",
    "coordinator_other_team",
    "office",
    "manager",
    "manager_other_team",
    "researcher",
    "administrator",
    "inactive_coordinator",
    "sanne_in_portal",
)


def _in_portal(name: str) -> Callable:
    def make(world):
        from kring.audit.actors import Actor  # noqa: PLC0415

        return Actor.in_portal(world.fixture(name))

    return make


def _set_state(fixture: str, state: str) -> Callable:
    def build(world):
        conference = world.fixture(fixture)
        type(conference.case).objects.filter(pk=conference.case_id).update(state=state)
        conference.case.refresh_from_db()
        return conference

    return build


def _in_the_rounds(world):
    """Started and introduced, the rounds still going: the case is at its conference."""
    from django.utils import timezone  # noqa: PLC0415

    conference = _set_state("checking_in", State.CONFERENCE_HELD)(world)
    conference.started_at = conference.introductions_done_at = timezone.now()
    conference.save()
    return conference


PLAN_SETUPS: dict[str, Callable] = {
    "rounds_done": lambda world: world.fixture("rounds_done"),
    "checking_in": lambda world: world.fixture("checking_in"),
    "in_the_rounds": _in_the_rounds,
    "following_up": _set_state("rounds_done", State.FOLLOWING_UP),
}

PLAN_PEOPLE: dict[str, Callable] = {**STAFF, "sanne_in_portal": _in_portal("sanne")}

PLAN_TABLES: dict[str, list[Row]] = {
    "may_edit_plan": [
        Row("coordinator", "rounds_done", ALLOWED, target="conference"),
        *each(NOT_THE_COORDINATOR, "rounds_done", denied("not_coordinator"), "conference"),
        # R12: nothing of a plan before the meeting has begun and the rounds are done.
        Row("coordinator", "checking_in", refused("state"), target="conference"),
        Row("coordinator", "in_the_rounds", refused("rounds_not_done"), target="conference"),
        # Written at the conference; afterwards a change is for the follow-up (a later issue).
        Row("coordinator", "following_up", refused("state"), target="conference"),
    ],
}


@pytest.fixture
def plan_world(request) -> World:
    return World(request, PLAN_PEOPLE, PLAN_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(PLAN_TABLES))
def test_writing_the_plan_each_actor_gets_the_answer_in_the_table(plan_world, name, row):
    conference = plan_world.setup(row.given)
    actor = plan_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, conference), row)
