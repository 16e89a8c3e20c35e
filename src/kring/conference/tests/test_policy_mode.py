"""The policy of conference mode (issue 10, point 1; R10) as tables, in the shape of
cases/tests/test_policy.py: only the case's coordinator runs it; check-in before the start, for
someone of the circle who still takes part; the start with both sides present; the
introductions, then each round in turn, then the round for putting things right once every
round is done. Gathered by conference/tests/test_policy.py."""

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
from kring.conference import actions, policy
from kring.conference.tests.policy_world import DENIED, NOT_THE_COORDINATOR, PEOPLE, set_state

pytestmark = pytest.mark.django_db


def _objects(world, conference=None, case=None) -> dict:
    from kring.circle.models import Participant, Side, Status  # noqa: PLC0415

    people = world.fixture("everyone_said_yes")
    case = case or world.fixture("scheduled_case")
    declined = Participant.objects.create(
        case=case, name="Kees Visser", side=Side.OTHER, status=Status.DECLINED
    )
    objects = {"case": case, "conference": conference, "declined": declined, **people}
    if conference is not None:
        rounds = list(conference.rounds.order_by("position"))
        if rounds:
            objects["first_round"], objects["second_round"] = rounds[0], rounds[1]
            objects["last_round"] = rounds[-1]
    return objects


def _scheduled(world, *, sanne_present=True):
    conference = world.fixture("checking_in")
    carla = world.fixture("carla")
    people = world.fixture("everyone_said_yes")
    actions.check_in(conference, people["daan"], present=True, by=carla)
    actions.check_in(conference, people["sanne"], present=sanne_present, by=carla)
    conference.refresh_from_db()
    return _objects(world, conference)


def _started(world, *, introduced=False, done=0, repaired=False):
    objects = _scheduled(world)
    conference, carla = objects["conference"], world.fixture("carla")
    for key in ("joost", "ria"):
        actions.check_in(conference, objects[key], present=True, by=carla)
    actions.start(conference, by=carla)
    if introduced:
        actions.mark_introductions(conference, by=carla)
    for turn in list(conference.rounds.order_by("position"))[:done]:
        actions.mark_round_done(turn, by=carla)
    if repaired:
        actions.mark_repair_round(conference, by=carla)
    from kring.conference.models import Conference  # noqa: PLC0415

    conference = Conference.objects.get(pk=conference.pk)
    return _objects(world, conference, case=conference.case)


def _state(setup: Callable, state: str) -> Callable:
    def build(world):
        objects = setup(world)
        case = set_state(objects["case"], state)
        if objects["conference"] is not None:
            objects["conference"].case = case
        return objects

    return build


def _other_case(world):
    from kring.cases import actions as case_actions  # noqa: PLC0415
    from kring.circle.models import Participant, Side, Status  # noqa: PLC0415
    from kring.testing.factories import ReferralFactory  # noqa: PLC0415

    objects = _scheduled(world)
    other = case_actions.open_case(ReferralFactory(), team=world.fixture("team"))
    objects["stranger"] = Participant.objects.create(
        case=other, name="Iemand Anders", side=Side.HARMED, status=Status.ACCEPTED
    )
    return objects


def _meeting_moved(setup: Callable, *, ahead: bool = False, status: str = "") -> Callable:
    """`setup`, with the summer meeting back on its own date, weeks ahead (its day has not come:
    conference.policy.the_day_has_come), or given `status` (no confirmed meeting)."""

    def build(world):
        from kring.scheduling.models import Meeting  # noqa: PLC0415
        from kring.scheduling.tests.meeting_fixtures import local  # noqa: PLC0415

        objects = setup(world)
        meeting = world.fixture("summer_meeting")
        if ahead:
            meeting.starts_at = local(2027, 7, 15, 19, 0)
            meeting.ends_at = local(2027, 7, 15, 21, 30)
        if status:
            meeting.status = status
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=meeting.starts_at, ends_at=meeting.ends_at, status=meeting.status
        )
        if objects["conference"] is not None:
            objects["conference"].meeting = meeting
        return objects

    return build


SETUPS: dict[str, Callable] = {
    "preparing": lambda world: _objects(world, case=world.fixture("preparing_case")),
    "scheduled": lambda world: _objects(world),
    "checking_in": _scheduled,
    "sanne_not_there": lambda world: _scheduled(world, sanne_present=False),
    "other_case": _other_case,
    "started": _started,
    "introduced": lambda world: _started(world, introduced=True),
    "one_round_done": lambda world: _started(world, introduced=True, done=1),
    "every_round_done": lambda world: _started(world, introduced=True, done=4),
    "repaired": lambda world: _started(world, introduced=True, done=4, repaired=True),
    "following_up": _state(lambda world: _started(world, introduced=True), State.FOLLOWING_UP),
    # R12: the conference happens on its day; the other setups are on it (an hour ago).
    "ahead": _meeting_moved(lambda world: _objects(world), ahead=True),
    "checking_in_ahead": _meeting_moved(_scheduled, ahead=True),
    "started_then_moved": _meeting_moved(_started, ahead=True),
    "no_meeting": _meeting_moved(lambda world: _objects(world), status="cancelled"),
}


def _call(name: str, row: Row, objects: dict, actor):
    target = objects[row.target]
    if name in ("may_run",):
        return policy.may_run(actor, objects["case"])
    if name == "may_check_in":
        participant = None if row.target == "case" else target
        return policy.may_check_in(actor, objects["case"], objects["conference"], participant)
    if name == "may_start":
        return policy.may_start(actor, objects["case"], objects["conference"])
    return getattr(policy, name)(actor, target)


MODE_TABLES: dict[str, list[Row]] = {
    "may_run": [
        Row("coordinator", "scheduled", ALLOWED),
        *each(NOT_THE_COORDINATOR, "scheduled", DENIED),
        Row("coordinator", "started", ALLOWED),
        Row("coordinator", "preparing", refused("state")),
        Row("coordinator", "following_up", refused("state")),
        Row("coordinator", "ahead", refused("before_the_day")),
        *each(NOT_THE_COORDINATOR, "ahead", DENIED),
        # Once begun, the conference took place: its page stays open.
        Row("coordinator", "started_then_moved", ALLOWED),
    ],
    "may_check_in": [
        Row("coordinator", "scheduled", ALLOWED),
        Row("coordinator", "scheduled", ALLOWED, target="daan"),
        Row("coordinator", "checking_in", ALLOWED, target="joost"),
        *each(NOT_THE_COORDINATOR, "scheduled", DENIED, target="daan"),
        Row("coordinator", "scheduled", refused("not_taking_part"), target="declined"),
        Row("coordinator", "other_case", denied("other_case"), target="stranger"),
        Row("coordinator", "preparing", refused("state"), target="daan"),
        Row("coordinator", "started", refused("state"), target="joost"),
        Row("coordinator", "ahead", refused("before_the_day")),
        Row("coordinator", "ahead", refused("before_the_day"), target="daan"),
        Row("coordinator", "checking_in_ahead", refused("before_the_day"), target="joost"),
        Row("coordinator", "no_meeting", refused("no_meeting")),
    ],
    "may_start": [
        Row("coordinator", "checking_in", ALLOWED),
        *each(NOT_THE_COORDINATOR, "checking_in", DENIED),
        Row("coordinator", "scheduled", refused("hold.both_sides_present")),
        Row("coordinator", "sanne_not_there", refused("hold.both_sides_present")),
        Row("coordinator", "started", refused("begun")),
        Row("coordinator", "checking_in_ahead", refused("before_the_day")),
    ],
    "may_mark_introductions": [
        Row("coordinator", "started", ALLOWED, target="conference"),
        *each(NOT_THE_COORDINATOR, "started", DENIED, target="conference"),
        Row("coordinator", "checking_in", refused("state"), target="conference"),
        Row("coordinator", "introduced", refused("introduced"), target="conference"),
        Row("coordinator", "following_up", refused("state"), target="conference"),
    ],
    "may_mark_round": [
        Row("coordinator", "introduced", ALLOWED, target="first_round"),
        Row("coordinator", "one_round_done", ALLOWED, target="second_round"),
        *each(NOT_THE_COORDINATOR, "introduced", DENIED, target="first_round"),
        Row("coordinator", "started", refused("not_introduced"), target="first_round"),
        Row("coordinator", "introduced", refused("out_of_order"), target="second_round"),
        Row("coordinator", "one_round_done", refused("round_done"), target="first_round"),
    ],
    "may_mark_repair_round": [
        Row("coordinator", "every_round_done", ALLOWED, target="conference"),
        *each(NOT_THE_COORDINATOR, "every_round_done", DENIED, target="conference"),
        Row("coordinator", "started", refused("not_introduced"), target="conference"),
        Row("coordinator", "one_round_done", refused("rounds_open"), target="conference"),
        Row("coordinator", "repaired", refused("repair_done"), target="conference"),
    ],
}


@pytest.fixture
def mode_world(request) -> World:
    return World(request, PEOPLE, SETUPS)


@pytest.mark.parametrize(("name", "row"), params(MODE_TABLES))
def test_conference_mode_each_actor_gets_the_answer_in_the_table(mode_world, name, row):
    objects = mode_world.setup(row.given)
    actor = mode_world.person(row.actor)
    assert_answer(_call(name, row, objects, actor), row)
