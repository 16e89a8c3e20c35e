"""The policy of the historical import (issue 13, point 3) as tables, in the shape of
followup/tests/test_policy_overdue.py: a manager imports for their own team only (a manager of
another team, or without a team, never), an administrator for every team, and the command line
(acting as the system) too; nobody else (office, coordinators, researchers, a deactivated
manager). Only an administrator and the system have unknown teams made. Gathered by
research/tests/test_policy.py."""

from collections.abc import Callable

import pytest

from kring.accounts.models import Role
from kring.audit.actors import SYSTEM, Actor
from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    denied,
    each,
    page,
    params,
)
from kring.research import policy
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE: dict[str, Callable] = {
    **STAFF,
    "manager_no_team": lambda world: UserFactory(
        username="mats", first_name="Mats", role=Role.MANAGER, team=None
    ),
    "system": lambda world: SYSTEM,
    "participant": lambda world: Actor.in_portal(world.fixture("daan")),
}

IMPORT_SETUPS: dict[str, Callable] = {
    "own_team": lambda world: world.fixture("team"),
    "other_team": lambda world: world.fixture("other_team"),
    # No team: may the actor import at all (the page, before the file is read)?
    "no_team": lambda world: None,
}

NOT_IMPORTERS = (
    "office",
    "office_other_team",
    "office_no_team",
    "coordinator",
    "other_coordinator",
    "coordinator_other_team",
    "researcher",
    "inactive_manager",
    "participant",
)

IMPORT_TABLES: dict[str, list[Row]] = {
    "may_import_history": [
        Row("manager", "own_team", ALLOWED, target="obj"),
        Row("manager", "no_team", ALLOWED, target="obj"),
        # A manager never imports rows of another team, nor without a team of their own.
        Row("manager", "other_team", denied("team"), target="obj"),
        Row("manager_other_team", "own_team", denied("team"), target="obj"),
        Row("manager_other_team", "other_team", ALLOWED, target="obj"),
        Row("manager_no_team", "no_team", denied("team"), target="obj"),
        Row("manager_no_team", "own_team", denied("team"), target="obj"),
        # The administrator and the command line import for every team.
        *each(("administrator", "system"), "own_team", ALLOWED, target="obj"),
        *each(("administrator", "system"), "other_team", ALLOWED, target="obj"),
        *each(("administrator", "system"), "no_team", ALLOWED, target="obj"),
        *each(NOT_IMPORTERS, "own_team", denied("role"), target="obj"),
        *each(NOT_IMPORTERS, "no_team", denied("role"), target="obj"),
    ],
    "may_create_teams": [
        *page(("administrator", "system"), ALLOWED),
        *page(
            (*NOT_IMPORTERS, "manager", "manager_other_team", "manager_no_team"),
            denied("role"),
        ),
    ],
}


@pytest.fixture
def import_world(request) -> World:
    return World(request, PEOPLE, {**IMPORT_SETUPS, "no_case": lambda world: None})


@pytest.mark.parametrize(("name", "row"), params(IMPORT_TABLES))
def test_the_import_each_actor_gets_the_answer_in_the_table(import_world, name, row):
    target = import_world.setup(row.given)
    actor = import_world.person(row.actor)
    function = getattr(policy, name)
    answer = function(actor) if row.target == "no_case" else function(actor, target)
    assert_answer(answer, row)
