"""The policy table of closing a case (issue 12, point 5; R15), in the shape of
cases/tests/test_policy.py; gathered by test_policy.py. Carla's case in follow-up (conftest
`following_up`: agreement 1, the bike, is Daan's). Only the case's coordinator closes it, during
follow-up, once every report on the agreements is answered; a closed case is read-only. Each world
is built through the real actions; what no action reaches from here (a closed case, a case whose
plan is not signed yet) is set directly."""

from collections.abc import Callable

import pytest

from kring.audit.actors import Actor
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
from kring.followup import actions, policy

pytestmark = pytest.mark.django_db


def _in_portal(name: str) -> Callable:
    return lambda world: Actor.in_portal(world.fixture(name))


PEOPLE: dict[str, Callable] = {
    **STAFF,
    "daan_in_portal": _in_portal("daan"),
    "sanne_in_portal": _in_portal("sanne"),
}
NOT_THE_COORDINATOR = (
    "other_coordinator",
    "coordinator_other_team",
    "office",
    "manager",
    "manager_other_team",
    "researcher",
    "administrator",
    "inactive_coordinator",
    "daan_in_portal",
    "sanne_in_portal",
)


def _case(world):
    case = world.fixture("following_up")
    return type(case).objects.get(pk=case.pk)


def _set_state(state: str) -> Callable:
    def build(world):
        case = world.fixture("following_up")
        type(case).objects.filter(pk=case.pk).update(state=state)
        return _case(world)

    return build


def _invoked(*, answered: bool) -> Callable:
    def build(world):
        sanne = world.fixture("sanne")
        report = actions.invoke(
            world.fixture("bike"), by=Actor.in_portal(sanne), participant=sanne, text="Niets."
        )
        if answered:
            actions.answer(report, by=world.fixture("carla"), text="Ik bel Daan.")
        return _case(world)

    return build


def _reported_done(*, confirmed: bool) -> Callable:
    def build(world):
        daan = world.fixture("daan")
        report = actions.report_done(
            world.fixture("bike"), by=Actor.in_portal(daan), participant=daan, text="Betaald."
        )
        if confirmed:
            actions.confirm_done(report, by=world.fixture("carla"))
        return _case(world)

    return build


def _plan_changed(*, final: bool, signed: bool = False) -> Callable:
    """The plan changed by mutual consent in follow-up (R14): still a draft, made final as
    version 2 and waiting for signatures, or signed by everyone."""

    def build(world):
        from kring.conference import versions
        from kring.conference.models import Plan
        from kring.followup.tests.conftest import sign_everyone
        from kring.followup.tests.test_change_by_consent import change_the_plan

        carla = world.fixture("carla")
        plan = Plan.objects.get(pk=world.fixture("final_version").plan_id)
        world.fixture("following_up")
        change_the_plan(plan, carla, world.fixture("daan"))
        if final:
            version = versions.finalise(plan, by=carla)
            if signed:
                sign_everyone(version, carla)
        return _case(world)

    return build


CLOSING_SETUPS: dict[str, Callable] = {
    "following_up": _case,
    "closed": _set_state(State.CLOSED),
    # The plan not signed by everyone yet: no follow-up to close.
    "conference_held": _set_state(State.CONFERENCE_HELD),
    "invoked": _invoked(answered=False),
    "invoked_answered": _invoked(answered=True),
    "reported_done": _reported_done(confirmed=False),
    "reported_done_confirmed": _reported_done(confirmed=True),
    "plan_draft": _plan_changed(final=False),
    "version_2_waiting": _plan_changed(final=True),
    "version_2_signed": _plan_changed(final=True, signed=True),
}

CLOSING_TABLES: dict[str, list[Row]] = {
    "may_close": [
        Row("coordinator", "following_up", ALLOWED),
        # The team's manager reads the tracker and the closure; closing is the coordinator's.
        *each(NOT_THE_COORDINATOR, "following_up", denied("not_coordinator")),
        # A closed case is read-only: closing again is refused too.
        Row("coordinator", "closed", refused("state")),
        *each(("manager", "daan_in_portal"), "closed", denied("not_coordinator")),
        Row("coordinator", "conference_held", refused("state")),
        # Every report is answered first (R15: the person who invoked hears back).
        Row("coordinator", "invoked", refused("reports_open")),
        Row("coordinator", "reported_done", refused("reports_open")),
        Row("coordinator", "invoked_answered", ALLOWED),
        Row("coordinator", "reported_done_confirmed", ALLOWED),
        # R14: a new version waits for everyone's signature first; a draft binds nobody.
        Row("coordinator", "version_2_waiting", refused("version_unsigned")),
        Row("coordinator", "version_2_signed", ALLOWED),
        Row("coordinator", "plan_draft", ALLOWED),
    ],
}


@pytest.fixture
def closing_world(request) -> World:
    return World(request, PEOPLE, CLOSING_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(CLOSING_TABLES))
def test_closing_each_actor_gets_the_answer_in_the_table(closing_world, name, row):
    case = closing_world.setup(row.given)
    actor = closing_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, case), row)
