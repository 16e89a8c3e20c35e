"""Fit (issue 9, point 3): the warnings about a venue at a time for the people of a case."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from kring.cases.lifecycle import State
from kring.circle.models import Participant, Status
from kring.scheduling.fit import features_asked, warnings_for
from kring.scheduling.models import Booking, Meeting, Venue
from kring.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2027, 3, 10, 19, 0, tzinfo=AMSTERDAM)
END = START + timedelta(hours=2, minutes=30)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def room(team, **features) -> Venue:
    details = {"name": "Buurthuis De Linde", "address": "Lindeplein 1, Utrecht", "capacity": 12}
    details.update(features)
    return Venue.objects.create(team=team, **details)


def needs(participant, text: str) -> None:
    Participant.objects.filter(pk=participant.pk).update(accessibility_needs=text)


def fit(venue, case, starts_at=START, ends_at=END) -> list[str]:
    return warnings_for(venue, case=case, starts_at=starts_at, ends_at=ends_at)


# --- capacity ------------------------------------------------------------------------------------


def test_a_room_too_small_for_those_who_take_part_and_the_coordinator_is_warned_about(
    preparing_case, team, daan, sanne
):
    # Daan, Sanne and Carla: three people.
    (warning,) = fit(room(team, capacity=2), preparing_case)
    assert "holds 2 people" in warning and "3 take part" in warning
    assert fit(room(team, capacity=3), preparing_case) == []


def test_who_declined_or_stopped_taking_part_is_not_counted(preparing_case, team, daan, sanne):
    Participant.objects.filter(pk=sanne.pk).update(status=Status.WITHDRAWN)
    assert fit(room(team, capacity=2), preparing_case) == []  # Daan and Carla


# --- accessibility -------------------------------------------------------------------------------


def test_a_venue_without_what_a_need_asks_for_is_warned_about_naming_the_need(
    preparing_case, team, daan, sanne
):
    needs(sanne, "Sanne gebruikt een rolstoel")
    (warning,) = fit(room(team, step_free=False), preparing_case)
    assert "access without steps" in warning
    assert "Sanne Jansen" in warning and "Sanne gebruikt een rolstoel" in warning
    assert fit(room(team, step_free=True), preparing_case) == []


def test_one_need_can_ask_for_several_features(preparing_case, team, daan):
    needs(daan, "Slechthorend; komt met de bus en heeft een rustige ruimte nodig voor een pauze")
    warnings = fit(room(team), preparing_case)
    assert len(warnings) == 3
    assert any("hearing loop" in w for w in warnings)
    assert any("public transport" in w for w in warnings)
    assert any("quiet break" in w for w in warnings)
    fitting = room(
        team, name="De Pijler", hearing_loop=True, public_transport=True, quiet_room=True
    )
    assert fit(fitting, preparing_case) == []


def test_a_need_that_matches_no_feature_asks_the_coordinator_to_check_it(
    preparing_case, team, daan
):
    needs(daan, "Glutenvrije koekjes graag")
    (warning,) = fit(room(team, step_free=True, parking=True), preparing_case)
    assert warning.startswith("Check yourself")
    assert "Glutenvrije koekjes graag" in warning and "Daan de Boer" in warning


@pytest.mark.parametrize(
    "text, fields",
    [
        ("rolstoel", ["step_free"]),
        ("Loopt met een rollator", ["step_free"]),
        ("Kan geen trappen lopen, lift nodig", ["step_free"]),
        ("wheelchair user", ["step_free"]),
        ("draagt een gehoorapparaat", ["hearing_loop"]),
        ("needs a hearing loop", ["hearing_loop"]),
        ("snel overprikkeld, angstig", ["quiet_room"]),
        ("komt met de auto, moet dichtbij parkeren", ["parking"]),
        ("reist met OV", ["public_transport"]),
        ("komt met de trein", ["public_transport"]),
        # Short keywords are whole words only: "overleg" is not "ov", "business" is not "bus".
        ("wil vooraf overleg", []),
        ("business as usual", []),
        ("", []),
    ],
)
def test_needs_are_read_for_keywords_in_dutch_and_english(text, fields):
    assert [f.field for f in features_asked(text)] == fields


# --- the coordinator's other meetings --------------------------------------------------------------


@pytest.fixture
def carlas_other_case(team, carla):
    return CaseFactory(team=team, coordinator=carla, state=State.SCHEDULED)


def meeting(case, venue, starts_at, ends_at, *, by, status=Meeting.Status.CONFIRMED) -> Meeting:
    return Meeting.objects.create(
        case=case,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        created_by=by,
        confirmed_at=timezone.now(),
    )


def test_an_option_within_the_coordinators_other_meeting_is_marked(
    preparing_case, carlas_other_case, team, carla, daan
):
    other = meeting(
        carlas_other_case, room(team, name="Elders"), START + timedelta(hours=1), END, by=carla
    )
    (warning,) = fit(room(team), preparing_case)
    assert carlas_other_case.reference in warning
    assert "already has the meeting" in warning
    # Back to back is no clash.
    assert (
        fit(
            room(team),
            preparing_case,
            starts_at=other.ends_at,
            ends_at=other.ends_at + timedelta(hours=2),
        )
        == []
    )


def test_a_cancelled_meeting_or_another_coordinators_meeting_is_no_clash(
    preparing_case, carlas_other_case, team, carla, olaf, daan
):
    meeting(
        carlas_other_case,
        room(team, name="Elders"),
        START,
        END,
        by=carla,
        status=Meeting.Status.CANCELLED,
    )
    olafs_case = CaseFactory(team=team, coordinator=olaf, state=State.SCHEDULED)
    meeting(olafs_case, room(team, name="Olafs zaal"), START, END, by=olaf)
    assert fit(room(team), preparing_case) == []


def test_the_cases_own_meeting_is_no_clash_but_a_live_booking_of_the_coordinator_is(
    preparing_case, carlas_other_case, team, carla, daan
):
    venue = room(team)
    meeting(preparing_case, venue, START, END, by=carla)
    assert fit(venue, preparing_case) == []
    # A meeting still polling elsewhere, yet holding a booking of Carla (as while confirming).
    held = meeting(
        carlas_other_case,
        room(team, name="Elders"),
        START,
        END,
        by=carla,
        status=Meeting.Status.POLLING,
    )
    booking = Booking.objects.create(meeting=held, coordinator=carla, starts_at=START, ends_at=END)
    assert len(fit(venue, preparing_case)) == 1
    Booking.objects.filter(pk=booking.pk).update(released_at=timezone.now())
    assert fit(venue, preparing_case) == []


def test_the_clashes_of_many_dates_at_once_are_those_of_each_date_alone(
    preparing_case, carlas_other_case, team, carla, daan
):
    from kring.scheduling.fit import clashes_each, coordinator_clashes

    elsewhere = room(team, name="Elders")
    meeting(carlas_other_case, elsewhere, START, END, by=carla)  # clashes with the first date
    later = START + timedelta(days=2)
    held = meeting(
        CaseFactory(team=team, coordinator=carla, state=State.PREPARING),
        elsewhere,
        later,
        later + timedelta(hours=1),
        by=carla,
        status=Meeting.Status.POLLING,
    )
    Booking.objects.create(  # a live booking clashes with the third date only
        meeting=held, coordinator=carla, starts_at=later, ends_at=later + timedelta(hours=1)
    )
    times = {
        1: (START, END),
        2: (START + timedelta(days=1), END + timedelta(days=1)),
        3: (later - timedelta(minutes=30), later + timedelta(minutes=30)),
        4: (END, END + timedelta(hours=1)),  # back to back: no clash
    }
    each = clashes_each(carla, case=preparing_case, times=times)
    alone = {
        key: coordinator_clashes(carla, case=preparing_case, starts_at=s, ends_at=e)
        for key, (s, e) in times.items()
    }
    assert [len(each[key]) for key in times] == [1, 0, 1, 0]
    assert each == alone
    assert clashes_each(None, case=preparing_case, times=times) == {k: [] for k in times}
