"""The policy of the second screen, the printout and the paper form (issue 10, points 3 and 7)
as tables, in the shape of cases/tests/test_policy.py: the second screen and the paper form are
the coordinator's; the printout of the plan is the coordinator's and the team's manager's;
marking the plan as made on paper is the coordinator's, once the conference has begun and until
the plan is signed. Gathered by conference/tests/test_policy.py."""

from collections.abc import Callable

import pytest

from kring.cases.lifecycle import State
from kring.cases.tests.test_policy import (
    ALLOWED,
    Row,
    World,
    assert_answer,
    denied,
    each,
    params,
    refused,
)
from kring.conference import policy
from kring.conference.tests.policy_world import DENIED, NOT_THE_COORDINATOR, PEOPLE, set_state

pytestmark = pytest.mark.django_db

# The second screen, the paper form and the paper mark: not even the team's manager, active or not.
SCREEN_NOT_THE_COORDINATOR = (*NOT_THE_COORDINATOR, "inactive_manager")


def _case_of(fixture: str, state: str | None = None) -> Callable:
    """The case of a conference fixture, in `state` if given."""

    def build(world):
        case = world.fixture(fixture).case
        if state is not None:
            set_state(case, state)
        return case

    return build


def _conference(fixture: str, *, state: str | None = None, on_paper: bool = False) -> Callable:
    def build(world):
        conference = world.fixture(fixture)
        conference = getattr(conference, "conference", conference)  # the plan's conference
        if state is not None:
            set_state(conference.case, state)
        if on_paper:
            conference.on_paper = True
            conference.save(update_fields=["on_paper"])
        return conference

    return build


SCREEN_SETUPS: dict[str, Callable] = {
    "scheduled": _case_of("checking_in"),
    "at_the_conference": _case_of("plan"),
    "following_up": _case_of("plan", State.FOLLOWING_UP),
    "preparing": lambda world: world.fixture("preparing_case"),
    # the conference as the object
    "checking_in": _conference("checking_in"),
    "rounds_done": _conference("rounds_done"),
    "plan": _conference("plan"),
    "on_paper": _conference("plan", on_paper=True),
    "signed": _conference("plan", state=State.FOLLOWING_UP),
}

SCREEN_TABLES: dict[str, list[Row]] = {
    "may_show_second_screen": [
        Row("coordinator", "at_the_conference", ALLOWED),
        Row("coordinator", "scheduled", ALLOWED),  # "no plan yet" until the rounds are done
        *each(SCREEN_NOT_THE_COORDINATOR, "at_the_conference", DENIED),
    ],
    "may_read_plan": [
        Row("coordinator", "at_the_conference", ALLOWED),
        Row("manager", "at_the_conference", ALLOWED),
        Row("coordinator", "following_up", ALLOWED),
        Row("manager", "following_up", ALLOWED),
        *each(
            ("other_coordinator", "coordinator_other_team", "office", "researcher"),
            "at_the_conference",
            denied("not_coordinator"),
        ),
        *each(("manager_other_team", "inactive_manager"), "at_the_conference", denied("team")),
        Row("administrator", "at_the_conference", denied("not_coordinator")),
        Row("sanne_in_portal", "at_the_conference", denied("not_coordinator")),
    ],
    "may_print_paper_form": [
        Row("coordinator", "scheduled", ALLOWED),
        Row("coordinator", "at_the_conference", ALLOWED),
        *each(SCREEN_NOT_THE_COORDINATOR, "scheduled", DENIED),
        # It names everyone expected: only for the meeting, not in preparation or afterwards.
        Row("coordinator", "preparing", refused("state")),
        Row("coordinator", "following_up", refused("state")),
    ],
    "may_mark_on_paper": [
        Row("coordinator", "plan", ALLOWED, target="conference"),
        Row("coordinator", "rounds_done", ALLOWED, target="conference"),
        *each(SCREEN_NOT_THE_COORDINATOR, "plan", DENIED, target="conference"),
        Row("coordinator", "checking_in", refused("not_started"), target="conference"),
        Row("coordinator", "on_paper", refused("on_paper"), target="conference"),
        # Until the plan is signed (the case leaves "conference_held").
        Row("coordinator", "signed", refused("state"), target="conference"),
    ],
}


@pytest.fixture
def screen_world(request) -> World:
    return World(request, PEOPLE, SCREEN_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(SCREEN_TABLES))
def test_screen_and_print_each_actor_gets_the_answer_in_the_table(screen_world, name, row):
    target = screen_world.setup(row.given)
    actor = screen_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, target), row)
