"""The policy of the legal hold (issue 14, point 7) as tables, in the shape of
cases/tests/test_policy.py: only the manager of the case's team places and lifts a hold; a case
already erased cannot be held, a held one not held twice, and only a held one lifted. Gathered
by privacy/tests/test_policy.py."""

from collections.abc import Callable

import pytest
from django.utils import timezone

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
from kring.privacy import policy
from kring.privacy.models import CaseErasure, LegalHold

pytestmark = pytest.mark.django_db


def _held(world):
    case = world.fixture("referred_case")
    LegalHold.objects.create(case=case, placed_at=timezone.now(), placed_by=world.fixture("mira"))
    return case


def _erased(world):
    case = world.fixture("referred_case")
    CaseErasure.objects.create(
        case=case, erased_at=timezone.now(), reason="declined", due_since=timezone.localdate()
    )
    return case


HOLD_SETUPS: dict[str, Callable] = {
    "not_held": lambda world: world.fixture("referred_case"),
    "held": _held,
    "erased": _erased,
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
    "inactive_office",
    "inactive_coordinator",
)

HOLD_TABLES: dict[str, list[Row]] = {
    "may_place_hold": [
        Row("manager", "not_held", ALLOWED),
        Row("manager", "held", refused("held")),
        Row("manager", "erased", refused("erased")),
        Row("manager_other_team", "not_held", denied("team")),
        Row("inactive_manager", "not_held", denied("role")),
        *each(NOT_THE_MANAGER, "not_held", denied("role")),
    ],
    "may_lift_hold": [
        Row("manager", "held", ALLOWED),
        Row("manager", "not_held", refused("not_held")),
        Row("manager_other_team", "held", denied("team")),
        Row("inactive_manager", "held", denied("role")),
        *each(NOT_THE_MANAGER, "held", denied("role")),
    ],
}


@pytest.fixture
def hold_world(request) -> World:
    return World(request, STAFF, HOLD_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(HOLD_TABLES))
def test_the_legal_hold_each_actor_gets_the_answer_in_the_table(hold_world, name, row):
    target = hold_world.setup(row.given)
    actor = hold_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, target), row)
