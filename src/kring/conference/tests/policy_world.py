"""What the conference's policy tables share (test_policy_mode, _plan, _screen, _versions; in
the shape of cases/tests/test_policy.py): the people (every staff role, and Sanne and Daan in
their own portal), who is not the case's coordinator, and setting a case's state directly."""

from collections.abc import Callable

from kring.cases.tests.test_policy import STAFF, denied

# Everyone who may not run the case's conference: the staff who are not its coordinator (the
# team's manager reads the plan, but does not run the meeting), and a participant in the portal.
STAFF_NOT_THE_COORDINATOR = (
    "other_coordinator",
    "coordinator_other_team",
    "office",
    "manager",
    "manager_other_team",
    "researcher",
    "administrator",
    "inactive_coordinator",
)
NOT_THE_COORDINATOR = (*STAFF_NOT_THE_COORDINATOR, "sanne_in_portal")
DENIED = denied("not_coordinator")


def in_portal(name: str) -> Callable:
    """The participant fixture `name`, acting in their own portal."""

    def make(world):
        from kring.audit.actors import Actor  # noqa: PLC0415

        return Actor.in_portal(world.fixture(name))

    return make


PEOPLE: dict[str, Callable] = {
    **STAFF,
    "sanne_in_portal": in_portal("sanne"),
    "daan_in_portal": in_portal("daan"),
}


def set_state(case, state: str):
    """`case` moved to `state` directly (the moves are tested with their actions), read again."""
    type(case).objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case
