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


# --- the date poll (issue 9, point 2) --------------------------------------------------------------
# The case's coordinator runs the poll while the case is prepared and no date is set; a
# participant who said yes answers for themselves in the portal. Daan (responsible) and Joost
# said yes; Sanne (harmed) was invited and has not answered.

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
)


def _poll_case(world, *, meeting=None, options=1, state=None) -> dict:
    from datetime import timedelta  # noqa: PLC0415

    from kring.circle import actions as circle  # noqa: PLC0415
    from kring.circle.models import Mode  # noqa: PLC0415
    from kring.scheduling.models import Meeting, PollOption, Venue  # noqa: PLC0415

    carla = world.fixture("carla")
    case = world.fixture("preparing_case")
    daan, sanne = world.fixture("daan_acknowledged"), world.fixture("sanne")
    circle.invite(daan, channel="letter", by=carla)
    circle.respond(daan, accepts=True, mode=Mode.PHONE, by=carla)
    circle.invite(sanne, channel="letter", by=carla)
    objects = {"case": case, "daan": daan, "sanne": sanne}
    if meeting is not None:
        objects["meeting"] = made = Meeting.objects.create(
            case=case, created_by=carla, status=meeting
        )
        venue = Venue.objects.create(
            team=case.team, name="Buurthuis De Linde", address="Lindeplein 1", capacity=12
        )
        start = timezone.now() + timedelta(days=7)
        for n in range(options):
            objects["option"] = PollOption.objects.create(
                meeting=made,
                starts_at=start + timedelta(days=n),
                ends_at=start + timedelta(days=n, hours=3),
                venue=venue,
            )
    if state is not None:
        type(case).objects.filter(pk=case.pk).update(state=state)
    for obj in objects.values():
        obj.refresh_from_db()
    return objects


POLL_SETUPS: dict[str, Callable] = {
    "no_poll": lambda world: _poll_case(world),
    "polling": lambda world: _poll_case(world, meeting="polling"),
    "polling_without_dates": lambda world: _poll_case(world, meeting="polling", options=0),
    "date_set": lambda world: _poll_case(world, meeting="confirmed"),
    "polling_scheduled": lambda world: _poll_case(world, meeting="polling", state="scheduled"),
}


def _portal(name: str) -> Callable:
    def make(world):
        from kring.audit.actors import Actor  # noqa: PLC0415

        return Actor.in_portal(world.fixture(name))

    return make


POLL_PEOPLE: dict[str, Callable] = {
    **STAFF,
    "daan_in_portal": _portal("daan_acknowledged"),
    "sanne_in_portal": _portal("sanne"),
}

DENIED = denied("not_coordinator")

POLL_TABLES: dict[str, list[Row]] = {
    "may_open_poll": [
        Row("coordinator", "no_poll", ALLOWED),
        *each(NOT_THE_COORDINATOR, "no_poll", DENIED),
        Row("coordinator", "polling", refused("poll_open")),
        Row("coordinator", "date_set", refused("poll_open")),
    ],
    "may_see_grid": [
        Row("coordinator", "polling", ALLOWED),
        *each(NOT_THE_COORDINATOR, "polling", DENIED),
    ],
    "may_add_option": [
        Row("coordinator", "polling", ALLOWED, target="meeting"),
        Row("coordinator", "polling_without_dates", ALLOWED, target="meeting"),
        *each(NOT_THE_COORDINATOR, "polling", DENIED, target="meeting"),
        Row("coordinator", "date_set", refused("not_polling"), target="meeting"),
        Row("coordinator", "polling_scheduled", refused("not_preparing"), target="meeting"),
    ],
    "may_remove_option": [
        Row("coordinator", "polling", ALLOWED, target="option"),
        *each(NOT_THE_COORDINATOR, "polling", DENIED, target="option"),
        Row("coordinator", "date_set", refused("not_polling"), target="option"),
    ],
    "may_answer_poll": [
        Row("daan_in_portal", "polling", ALLOWED, target="daan"),
        # Only for oneself: not another participant, not the coordinator (who enters answers).
        Row("sanne_in_portal", "polling", denied("not_self"), target="daan"),
        Row("coordinator", "polling", denied("not_self"), target="daan"),
        Row("office", "polling", denied("not_self"), target="daan"),
        # Sanne was invited and has not said yes.
        Row("sanne_in_portal", "polling", refused("not_accepted"), target="sanne"),
        Row("daan_in_portal", "polling_without_dates", refused("no_options"), target="daan"),
        Row("daan_in_portal", "date_set", refused("not_polling"), target="daan"),
        Row("daan_in_portal", "no_poll", refused("not_polling"), target="daan"),
        Row("daan_in_portal", "polling_scheduled", refused("not_preparing"), target="daan"),
    ],
    "may_enter_answers": [
        Row("coordinator", "polling", ALLOWED, target="daan"),
        *each(NOT_THE_COORDINATOR, "polling", DENIED, target="daan"),
        Row("coordinator", "polling", refused("not_accepted"), target="sanne"),
        Row("coordinator", "date_set", refused("not_polling"), target="daan"),
    ],
    "may_remind_to_answer": [
        Row("coordinator", "polling", ALLOWED, target="meeting"),
        *each(NOT_THE_COORDINATOR, "polling", DENIED, target="meeting"),
        Row("coordinator", "polling_without_dates", refused("no_options"), target="meeting"),
        Row("coordinator", "date_set", refused("not_polling"), target="meeting"),
    ],
}


@pytest.fixture
def poll_world(request) -> World:
    return World(request, POLL_PEOPLE, POLL_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(POLL_TABLES))
def test_date_poll_each_actor_gets_the_answer_in_the_table(poll_world, name, row):
    objects = poll_world.setup(row.given)
    actor = poll_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, objects[row.target]), row)


# --- invitations: the letter and the calendar file (issue 9, point 5) ---------------------------
# The case's coordinator prints the letter for someone who takes part once the date is set; a
# participant who takes part downloads the calendar file in their own portal. Daan said yes;
# Sanne was invited and has not.


def _invited_case(world, *, status="confirmed", other_case=False) -> dict:
    from datetime import timedelta  # noqa: PLC0415

    from kring.cases import actions  # noqa: PLC0415
    from kring.scheduling.models import Meeting, Venue  # noqa: PLC0415
    from kring.testing.factories import ReferralFactory  # noqa: PLC0415

    objects = _poll_case(world)
    case = actions.open_case(ReferralFactory()) if other_case else objects["case"]
    starts = timezone.now() + timedelta(days=14)
    venue = Venue.objects.create(
        team=objects["case"].team, name="Buurthuis De Linde", address="Lindeplein 1", capacity=9
    )
    objects["meeting"] = Meeting.objects.create(
        case=case,
        created_by=world.fixture("carla"),
        status=status,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue=venue,
    )
    return objects


INVITATION_SETUPS: dict[str, Callable] = {
    "date_set": lambda world: _invited_case(world),
    "polling": lambda world: _invited_case(world, status="polling"),
    "cancelled": lambda world: _invited_case(world, status="cancelled"),
    "other_case": lambda world: _invited_case(world, other_case=True),
}

INVITATION_TABLES: dict[str, list[Row]] = {
    "may_print_meeting_letter": [
        Row("coordinator", "date_set", ALLOWED, target="daan"),
        *each(NOT_THE_COORDINATOR, "date_set", DENIED, target="daan"),
        Row("coordinator", "date_set", refused("not_taking_part"), target="sanne"),
        Row("coordinator", "polling", refused("not_confirmed"), target="daan"),
        # Once a meeting with a date is cancelled, the letter says it will not take place.
        Row("coordinator", "cancelled", ALLOWED, target="daan"),
        # Daan is not in the case of that meeting (and Carla is not its coordinator either).
        Row("coordinator", "other_case", DENIED, target="daan"),
    ],
    "may_download_calendar_file": [
        Row("daan_in_portal", "date_set", ALLOWED, target="daan"),
        Row("sanne_in_portal", "date_set", denied("not_self"), target="daan"),
        Row("coordinator", "date_set", denied("not_self"), target="daan"),
        Row("office", "date_set", denied("not_self"), target="daan"),
        Row("sanne_in_portal", "date_set", refused("not_taking_part"), target="sanne"),
        Row("daan_in_portal", "polling", refused("not_confirmed"), target="daan"),
        Row("daan_in_portal", "cancelled", refused("not_confirmed"), target="daan"),
        Row("daan_in_portal", "other_case", denied("other_case"), target="daan"),
    ],
}


@pytest.fixture
def invitation_world(request) -> World:
    return World(request, POLL_PEOPLE, INVITATION_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(INVITATION_TABLES))
def test_invitations_each_actor_gets_the_answer_in_the_table(invitation_world, name, row):
    objects = invitation_world.setup(row.given)
    actor = invitation_world.person(row.actor)
    answer = getattr(policy, name)(actor, objects[row.target], objects["meeting"])
    assert_answer(answer, row)


# --- confirming, moving and cancelling (issue 9, points 4, 5 and 7) -----------------------------
# The case's coordinator confirms a date of the poll once preparation is complete (the
# `schedule` move's guards), and moves or cancels the meeting of a scheduled case. Daan and
# Sanne are prepared in full ("ready"); in "not_ready" Sanne has not said yes yet.


def _meeting_case(
    world, *, ready=True, status="polling", state=None, option="future", purpose="conference"
) -> dict:
    from datetime import timedelta  # noqa: PLC0415

    from kring.scheduling.models import Meeting, PollOption, Venue  # noqa: PLC0415
    from kring.scheduling.tests.booking_fixtures import prepare  # noqa: PLC0415

    carla = world.fixture("carla")
    case = world.fixture("preparing_case")
    daan, sanne = world.fixture("daan_acknowledged"), world.fixture("sanne")
    if ready:
        prepare(daan, by=carla)
        prepare(sanne, by=carla)
    venue = Venue.objects.create(
        team=case.team, name="Buurthuis De Linde", address="Lindeplein 1", capacity=12
    )
    start = timezone.now() + timedelta(days=7)
    if option == "held":
        # A follow-up meeting whose time has passed (it took place).
        start = timezone.now() - timedelta(hours=4)
    meeting = Meeting.objects.create(case=case, created_by=carla, status=status, purpose=purpose)
    if status != "polling":
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=3), venue=venue
        )
    if option == "past":
        start = timezone.now() - timedelta(hours=1)
    if option == "retired":
        Venue.objects.filter(pk=venue.pk).update(retired_at=timezone.now())
    of = meeting
    if option == "other_meeting":
        of = Meeting.objects.create(case=case, created_by=carla, status="cancelled")
    made = PollOption.objects.create(
        meeting=of, starts_at=start, ends_at=start + timedelta(hours=3), venue=venue
    )
    if state is not None:
        type(case).objects.filter(pk=case.pk).update(state=state)
    meeting.refresh_from_db()
    made.refresh_from_db()
    return {"meeting": meeting, "option": made}


CONFIRM_SETUPS: dict[str, Callable] = {
    "ready": lambda world: _meeting_case(world),
    "not_ready": lambda world: _meeting_case(world, ready=False),
    "ready_past_date": lambda world: _meeting_case(world, option="past"),
    "ready_retired_venue": lambda world: _meeting_case(world, option="retired"),
    "ready_option_of_another_meeting": lambda world: _meeting_case(world, option="other_meeting"),
    "date_set": lambda world: _meeting_case(world, status="confirmed", state="scheduled"),
    "date_set_not_scheduled": lambda world: _meeting_case(world, status="confirmed"),
    "cancelled": lambda world: _meeting_case(world, status="cancelled", state="scheduled"),
    # A follow-up meeting (issue 12, point 4; review findings 1 and 2): its poll can be stopped
    # (cancelled), and once its time has passed it is neither moved nor cancelled.
    "follow_up_polling": lambda world: _meeting_case(
        world, state="following_up", purpose="follow_up"
    ),
    "follow_up_date_set": lambda world: _meeting_case(
        world, status="confirmed", state="following_up", purpose="follow_up"
    ),
    "follow_up_held": lambda world: _meeting_case(
        world, status="confirmed", state="following_up", purpose="follow_up", option="held"
    ),
    "follow_up_marked_held": lambda world: _meeting_case(
        world, status="held", state="following_up", purpose="follow_up", option="held"
    ),
}

CONFIRM_TABLES: dict[str, list[Row]] = {
    "may_confirm": [
        Row("coordinator", "ready", ALLOWED, target="option"),
        *each(NOT_THE_COORDINATOR, "ready", DENIED, target="option"),
        Row("coordinator", "not_ready", refused("schedule.both_sides_take_part"), "option"),
        Row("coordinator", "ready_past_date", refused("past"), target="option"),
        Row("coordinator", "ready_retired_venue", refused("venue_retired"), target="option"),
        Row("coordinator", "ready_option_of_another_meeting", denied("other_meeting"), "option"),
        Row("coordinator", "date_set", refused("confirmed"), target="option"),
    ],
    "may_move": [
        Row("coordinator", "date_set", ALLOWED, target="meeting"),
        *each(NOT_THE_COORDINATOR, "date_set", DENIED, target="meeting"),
        Row("coordinator", "ready", refused("not_confirmed"), target="meeting"),
        Row("coordinator", "cancelled", refused("cancelled"), target="meeting"),
        Row("coordinator", "date_set_not_scheduled", refused("state"), target="meeting"),
        Row("coordinator", "follow_up_date_set", ALLOWED, target="meeting"),
        Row("coordinator", "follow_up_polling", refused("not_confirmed"), target="meeting"),
        Row("coordinator", "follow_up_held", refused("held"), target="meeting"),
        Row("coordinator", "follow_up_marked_held", refused("held"), target="meeting"),
    ],
    "may_cancel": [
        Row("coordinator", "date_set", ALLOWED, target="meeting"),
        *each(NOT_THE_COORDINATOR, "date_set", DENIED, target="meeting"),
        Row("coordinator", "ready", refused("not_confirmed"), target="meeting"),
        Row("coordinator", "cancelled", refused("cancelled"), target="meeting"),
        Row("coordinator", "date_set_not_scheduled", refused("state"), target="meeting"),
        Row("coordinator", "follow_up_date_set", ALLOWED, target="meeting"),
        Row("coordinator", "follow_up_polling", ALLOWED, target="meeting"),
        *each(NOT_THE_COORDINATOR, "follow_up_polling", DENIED, target="meeting"),
        Row("coordinator", "follow_up_held", refused("held"), target="meeting"),
        Row("coordinator", "follow_up_marked_held", refused("held"), target="meeting"),
    ],
}


@pytest.fixture
def confirm_world(request) -> World:
    return World(request, POLL_PEOPLE, CONFIRM_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(CONFIRM_TABLES))
def test_confirming_and_changing_each_actor_gets_the_answer_in_the_table(confirm_world, name, row):
    objects = confirm_world.setup(row.given)
    actor = confirm_world.person(row.actor)
    if name == "may_confirm":
        answer = policy.may_confirm(actor, objects["meeting"], objects["option"])
        # The poll page asks for every date at once (issue 15): the same answer.
        each = policy.confirm_refusals(actor, objects["meeting"], [objects["option"]])
        assert each == {objects["option"].pk: answer}
    else:
        answer = getattr(policy, name)(actor, objects["meeting"])
    assert_answer(answer, row)
