"""Booking (issue 9, point 4): a venue and a coordinator are never double-booked; a refusal
names the meeting that holds them (its case reference and time, nothing of the case); a
released booking frees the time. The race between two processes is test_concurrency.py."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from kring.core.policy import Refused
from kring.scheduling import booking
from kring.scheduling.models import Booking
from kring.scheduling.tests.booking_fixtures import days_ahead, linde, meeting_for, venue_of

__all__ = ["linde"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(carla, linde):
    """Carla's meeting holds De Linde in a week, 14:00-17:00."""
    meeting = meeting_for(carla)
    start, end = days_ahead(7)
    booking.book_time(meeting, venue=linde, starts_at=start, ends_at=end)
    return meeting


def live():
    return Booking.objects.filter(released_at__isnull=True).count()


def test_booking_holds_the_venue_and_the_coordinator(held, linde, carla):
    rows = booking.live_bookings(held)
    assert {(b.venue_id, b.coordinator_id) for b in rows} == {(linde.pk, None), (None, carla.pk)}


def test_an_overlapping_booking_of_the_venue_is_refused_naming_the_meeting(held, linde, olaf):
    other = meeting_for(olaf)
    start, end = days_ahead(7, hour=16)  # 16:00-19:00 overlaps 14:00-17:00

    with pytest.raises(Refused) as refused:
        booking.book_time(other, venue=linde, starts_at=start, ends_at=end)

    assert refused.value.code == "venue_taken"
    message = str(refused.value.reason)
    assert held.case.reference in message
    assert "14:00–17:00" in message
    assert live() == 2  # nothing of Olaf's was booked


def test_an_overlapping_booking_of_the_coordinator_is_refused_naming_the_meeting(held, carla, team):
    other = meeting_for(carla)
    start, end = days_ahead(7, hour=13, hours=2)  # 13:00-15:00

    with pytest.raises(Refused) as refused:
        booking.book_time(other, venue=venue_of(team, "De Eik"), starts_at=start, ends_at=end)

    assert refused.value.code == "coordinator_taken"
    assert held.case.reference in str(refused.value.reason)
    assert live() == 2


def test_times_that_touch_do_not_overlap(held, linde, olaf):
    start, end = days_ahead(7, hour=17, hours=2)  # starts when the other ends

    booking.book_time(meeting_for(olaf), venue=linde, starts_at=start, ends_at=end)

    assert live() == 4


def test_another_venue_and_another_coordinator_at_the_same_time_are_free(held, olaf, team):
    start, end = days_ahead(7)

    booking.book_time(
        meeting_for(olaf), venue=venue_of(team, "De Eik"), starts_at=start, ends_at=end
    )

    assert live() == 4


def test_a_released_booking_frees_the_time(held, linde, olaf):
    start, end = days_ahead(7)
    other = meeting_for(olaf)
    with pytest.raises(Refused):
        booking.book_time(other, venue=linde, starts_at=start, ends_at=end)

    assert booking.release(held) == 2
    booking.book_time(other, venue=linde, starts_at=start, ends_at=end)

    assert [b.meeting_id for b in Booking.objects.filter(released_at__isnull=True)] == [
        other.pk,
        other.pk,
    ]
    # The released rows stay as history.
    assert Booking.objects.filter(meeting=held, released_at__isnull=False).count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraints are PostgreSQL's"
)
def test_on_postgresql_the_database_itself_refuses_an_overlap(held, linde, olaf):
    """Past every check in Python: the exclusion constraint refuses the row."""
    start, end = days_ahead(7, hour=15)
    with pytest.raises(IntegrityError, match=booking.VENUE_CONSTRAINT), transaction.atomic():
        Booking.objects.create(meeting=meeting_for(olaf), venue=linde, starts_at=start, ends_at=end)
    with pytest.raises(IntegrityError, match=booking.COORDINATOR_CONSTRAINT), transaction.atomic():
        Booking.objects.create(
            meeting=meeting_for(held.case.coordinator),
            coordinator=held.case.coordinator,
            starts_at=start,
            ends_at=end + timedelta(hours=1),
        )
