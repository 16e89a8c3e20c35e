"""Every policy function of scheduling/policy.py as a table (ADR 0005), in the shape of
cases/tests/test_policy.py: who does it to what, and the answer: allowed, `denied(code)`
(access: never, a 403 or 404) or `refused(code)` (a rule: not now, shown with its reason).

One section per part of scheduling, each with its own `<PART>_TABLES` and its own test; a
`may_*` function without a row in any `*_TABLES` of this module fails
`test_every_may_function_of_scheduling_policy_has_a_table`.
"""

from collections.abc import Callable

import pytest
from django.utils import timezone

from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    assert_tables_are_sound,
    denied,
    each,
    may_functions,
    params,
    refused,
)
from kring.scheduling import policy

pytestmark = pytest.mark.django_db


def all_tables() -> dict[str, list[Row]]:
    """Every section's table, read when the test runs (so the sections below all count)."""
    tables: dict[str, list[Row]] = {}
    for name, value in globals().items():
        if name.endswith("_TABLES") and isinstance(value, dict):
            tables.update(value)
    return tables


def test_every_may_function_of_scheduling_policy_has_a_table():
    missing = may_functions(policy) - set(all_tables())
    assert not missing, f"policy functions without a table: {', '.join(sorted(missing))}"


def test_every_table_says_who_may_and_who_may_not():
    assert_tables_are_sound(all_tables())


# --- venues and the office's calendar (issue 9, points 1 and 8) ---------------------------------
# The office and the manager of a team, for its own venues and calendar; no one else (not the
# coordinators, not another team, not the administrator, not an inactive account).

NOT_OF_THE_TEAM = (
    "office_other_team",
    "office_no_team",
    "coordinator",
    "other_coordinator",
    "manager_other_team",
    "researcher",
    "administrator",
    "inactive_office",
    "inactive_manager",
)
KEEPERS = ("office", "manager")


def _venue(world, **extra):
    from kring.scheduling.models import Venue  # noqa: PLC0415

    details = {"name": "Wijkcentrum De Pijler", "address": "Pijlerstraat 1, Utrecht"}
    return Venue.objects.create(team=world.fixture("team"), capacity=12, **details, **extra)


VENUE_SETUPS: dict[str, Callable] = {
    "own_team": lambda world: world.fixture("team"),
    "no_team": lambda world: None,
    "venue_in_use": _venue,
    "retired_venue": lambda world: _venue(world, retired_at=timezone.now()),
}


def _keepers_only(given: str) -> list[Row]:
    return [
        *each(KEEPERS, given, ALLOWED, target="obj"),
        *each(NOT_OF_THE_TEAM, given, denied("team"), target="obj"),
    ]


VENUE_TABLES: dict[str, list[Row]] = {
    "may_manage_venues": [
        *_keepers_only("own_team"),
        # A user without a team has no venues to keep.
        *each(KEEPERS, "no_team", denied("team"), target="obj"),
    ],
    "may_edit_venue": [*_keepers_only("venue_in_use"), *_keepers_only("retired_venue")],
    "may_retire_venue": [
        *_keepers_only("venue_in_use"),
        *each(KEEPERS, "retired_venue", refused("retired"), target="obj"),
        *each(("coordinator", "office_other_team"), "retired_venue", denied("team"), "obj"),
    ],
    "may_reinstate_venue": [
        *_keepers_only("retired_venue"),
        *each(KEEPERS, "venue_in_use", refused("in_use"), target="obj"),
    ],
    "may_view_calendar": _keepers_only("own_team"),
}


@pytest.fixture
def venue_world(request) -> World:
    return World(request, STAFF, VENUE_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(VENUE_TABLES))
def test_venues_and_calendar_each_actor_gets_the_answer_in_the_table(venue_world, name, row):
    target = venue_world.setup(row.given)
    actor = venue_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, target), row)
