"""The policy of the team's overdue agreements (issue 12, point 1) as a table, in the shape of
scheduling/tests/test_policy.py: only the manager of a team reads its list; no coordinator (not
even of the team's cases), no office, no manager of another team, no manager without a team, no
deactivated manager. Gathered by followup/tests/test_policy.py."""

from collections.abc import Callable

import pytest

from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    denied,
    each,
    params,
)
from kring.followup import policy

pytestmark = pytest.mark.django_db

OVERDUE_SETUPS: dict[str, Callable] = {
    "own_team": lambda world: world.fixture("team"),
    "other_team": lambda world: world.fixture("other_team"),
    "no_team": lambda world: None,
}

NOT_THE_MANAGER = (
    "office",
    "office_other_team",
    "office_no_team",
    "coordinator",
    "other_coordinator",
    "coordinator_other_team",
    "researcher",
    "administrator",
    "inactive_manager",
)

OVERDUE_TABLES: dict[str, list[Row]] = {
    "may_list_overdue": [
        Row("manager", "own_team", ALLOWED, target="obj"),
        *each(NOT_THE_MANAGER, "own_team", denied("team"), target="obj"),
        # The manager of one team never reads another team's list.
        Row("manager", "other_team", denied("team"), target="obj"),
        Row("manager_other_team", "own_team", denied("team"), target="obj"),
        Row("manager_other_team", "other_team", ALLOWED, target="obj"),
        # A list of no team is no one's.
        Row("manager", "no_team", denied("team"), target="obj"),
    ],
}


@pytest.fixture
def overdue_world(request) -> World:
    return World(request, STAFF, OVERDUE_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(OVERDUE_TABLES))
def test_the_overdue_list_each_actor_gets_the_answer_in_the_table(overdue_world, name, row):
    target = overdue_world.setup(row.given)
    actor = overdue_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, target), row)
