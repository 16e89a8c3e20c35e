"""The policy of writing the plan (issue 10, points 2 and 4; R11, R12) as a table, in the shape of
cases/tests/test_policy.py: only the case's coordinator writes the plan, only at the conference,
and only once the rounds are done (R12). Gathered by conference/tests/test_policy.py."""

from collections.abc import Callable

import pytest

from kring.cases.lifecycle import State
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
from kring.conference.tests.policy_world import DENIED, NOT_THE_COORDINATOR, PEOPLE, set_state

pytestmark = pytest.mark.django_db


def _set_state(fixture: str, state: str) -> Callable:
    def build(world):
        conference = world.fixture(fixture)
        set_state(conference.case, state)
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
    "closed": _set_state("rounds_done", State.CLOSED),
}

PLAN_TABLES: dict[str, list[Row]] = {
    "may_edit_plan": [
        Row("coordinator", "rounds_done", ALLOWED, target="conference"),
        *each(NOT_THE_COORDINATOR, "rounds_done", DENIED, "conference"),
        # R12: nothing of a plan before the meeting has begun and the rounds are done.
        Row("coordinator", "checking_in", refused("state"), target="conference"),
        Row("coordinator", "in_the_rounds", refused("rounds_not_done"), target="conference"),
        # Written at the conference; in follow-up changed by mutual consent, as a new version
        # that everyone signs again (R14); a closed case is read-only.
        Row("coordinator", "following_up", ALLOWED, target="conference"),
        *each(NOT_THE_COORDINATOR, "following_up", DENIED, "conference"),
        Row("coordinator", "closed", refused("state"), target="conference"),
    ],
}


@pytest.fixture
def plan_world(request) -> World:
    return World(request, PEOPLE, PLAN_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(PLAN_TABLES))
def test_writing_the_plan_each_actor_gets_the_answer_in_the_table(plan_world, name, row):
    conference = plan_world.setup(row.given)
    actor = plan_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, conference), row)
