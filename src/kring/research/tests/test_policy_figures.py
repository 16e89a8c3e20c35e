"""The policy of the figures (issue 13, points 2 and 5) as tables, in the shape of
followup/tests/test_policy_overdue.py: researchers read every team's figures, a manager their own
team's, nobody else; the free-text answers only the team's own manager (not the researcher).
Gathered by research/tests/test_policy.py."""

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
from kring.research import policy

pytestmark = pytest.mark.django_db

FIGURES_SETUPS: dict[str, Callable] = {
    "own_team": lambda world: world.fixture("team"),
    "other_team": lambda world: world.fixture("other_team"),
    "no_team": lambda world: None,
}

NEVER_FIGURES = (
    "office",
    "office_other_team",
    "office_no_team",
    "coordinator",
    "other_coordinator",
    "coordinator_other_team",
    "administrator",
    "inactive_office",
    "inactive_coordinator",
    "inactive_manager",
)

NOT_THE_MANAGER = (*NEVER_FIGURES, "researcher")

FIGURES_TABLES: dict[str, list[Row]] = {
    "may_see_figures": [
        # The researcher: every team, and all teams together.
        Row("researcher", "own_team", ALLOWED, target="obj"),
        Row("researcher", "other_team", ALLOWED, target="obj"),
        Row("researcher", "no_team", ALLOWED, target="obj"),
        # The manager: their own team (and "their teams", which is their own).
        Row("manager", "own_team", ALLOWED, target="obj"),
        Row("manager", "no_team", ALLOWED, target="obj"),
        Row("manager_other_team", "other_team", ALLOWED, target="obj"),
        # Never another team's.
        Row("manager", "other_team", denied("team"), target="obj"),
        Row("manager_other_team", "own_team", denied("team"), target="obj"),
        # No other role, not even for its own team.
        *each(NEVER_FIGURES, "own_team", denied("role"), target="obj"),
        *each(NEVER_FIGURES, "no_team", denied("role"), target="obj"),
    ],
    "may_read_remarks": [
        Row("manager", "own_team", ALLOWED, target="obj"),
        Row("manager_other_team", "other_team", ALLOWED, target="obj"),
        # The free text may name people: not the researcher, not another team's manager.
        *each(NOT_THE_MANAGER, "own_team", denied("team"), target="obj"),
        Row("researcher", "other_team", denied("team"), target="obj"),
        Row("manager", "other_team", denied("team"), target="obj"),
        Row("manager_other_team", "own_team", denied("team"), target="obj"),
        Row("manager", "no_team", denied("team"), target="obj"),
    ],
}


@pytest.fixture
def figures_world(request) -> World:
    return World(request, STAFF, FIGURES_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(FIGURES_TABLES))
def test_the_figures_each_actor_gets_the_answer_in_the_table(figures_world, name, row):
    target = figures_world.setup(row.given)
    actor = figures_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, target), row)
