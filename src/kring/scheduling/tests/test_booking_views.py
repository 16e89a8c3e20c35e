"""The pages to confirm, move and cancel the meeting (issue 9, points 5 and 7), as the
coordinator reads them (in English here; the Dutch journey is tests/browser/
test_confirm_and_move.py): what fits and what will happen before confirming, a refusal in
words with nothing changed, and the meeting on the case page."""

import pytest
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.scheduling import actions, booking
from kring.scheduling.models import Booking, Meeting
from kring.scheduling.tests.booking_fixtures import (
    days_ahead,
    eik,
    linde,
    meeting_for,
    polling,
    prepare,
    ready_case,
)
from kring.testing.auth import force_verified_login

__all__ = ["eik", "linde", "polling", "ready_case"]

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    force_verified_login(client, user)
    client.cookies["django_language"] = "en"
    return client


def first_option(meeting):
    return meeting.options.order_by("starts_at").first()


def confirm_url(meeting, option):
    return reverse("scheduling:confirm", args=[meeting.pk, option.pk])


def test_the_confirm_page_says_what_will_happen_and_confirming_schedules(client, polling, carla):
    option = first_option(polling)
    signed_in(client, carla)

    page = client.get(confirm_url(polling, option)).content.decode()
    assert "What happens when you confirm" in page
    assert "Buurthuis De Linde" in page
    assert AuditEvent.objects.filter(action="scheduling.meeting_viewed").exists()

    response = client.post(confirm_url(polling, option))
    assert response.status_code == 302
    polling.case.refresh_from_db()
    assert polling.case.state == State.SCHEDULED

    case_page = client.get(reverse("cases:detail", args=[polling.case.pk])).content.decode()
    assert "The meeting" in case_page
    assert "Date set" in case_page
    assert reverse("scheduling:move", args=[polling.pk]) in case_page
    assert reverse("scheduling:cancel", args=[polling.pk]) in case_page


def test_the_confirm_page_shows_the_fit_warnings(client, polling, carla, linde):
    type(linde).objects.filter(pk=linde.pk).update(capacity=1)
    signed_in(client, carla)
    page = client.get(confirm_url(polling, first_option(polling))).content.decode()
    assert "Check before you confirm" in page


def test_a_case_not_ready_shows_why_and_a_post_changes_nothing(
    client, preparing_case, daan_acknowledged, sanne, carla, linde
):
    from kring.scheduling import poll  # noqa: PLC0415

    prepare(daan_acknowledged, by=carla)
    meeting = poll.open_poll(preparing_case, by=carla)
    start, end = days_ahead(7)
    option = poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    signed_in(client, carla)

    page = client.get(confirm_url(meeting, option)).content.decode()
    assert "Confirm this date" not in page

    client.post(confirm_url(meeting, option))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POLLING
    assert not Booking.objects.exists()

    # The same POST, once Sanne is prepared, confirms: the refusal refused something real.
    prepare(sanne, by=carla)
    client.post(confirm_url(meeting, option))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def test_a_taken_venue_is_named_on_the_confirm_page(client, polling, carla, olaf, linde):
    option = first_option(polling)
    holder = meeting_for(olaf)
    booking.book_time(holder, venue=linde, starts_at=option.starts_at, ends_at=option.ends_at)
    signed_in(client, carla)

    page = client.post(confirm_url(polling, option)).content.decode()

    assert "There is a problem" in page
    assert holder.case.reference in page
    polling.refresh_from_db()
    assert polling.status == Meeting.Status.POLLING


def test_an_option_of_another_meeting_is_not_found(client, polling, carla, olaf, linde):
    other = meeting_for(olaf)
    start, end = days_ahead(9)
    foreign = other.options.create(starts_at=start, ends_at=end, venue=linde)
    signed_in(client, carla)
    assert client.post(confirm_url(polling, foreign)).status_code == 404
    assert not Booking.objects.exists()


@pytest.fixture
def confirmed(polling, carla):
    return actions.confirm(polling, first_option(polling), by=carla)


def test_moving_on_the_page(client, confirmed, carla, eik):
    start, end = days_ahead(12, hour=10)
    signed_in(client, carla)
    data = {
        "day": start.date().isoformat(),
        "starts": "10:00",
        "ends": "13:00",
        "venue": str(eik.pk),
    }
    response = client.post(reverse("scheduling:move", args=[confirmed.pk]), data)
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert (confirmed.starts_at, confirmed.venue, confirmed.sequence) == (start, eik, 1)


def test_a_retired_venue_at_move_time_is_refused_in_words(client, confirmed, carla, eik):
    start, _end = days_ahead(12, hour=10)
    type(eik).objects.filter(pk=eik.pk).update(retired_at=start)
    signed_in(client, carla)
    data = {"day": start.date().isoformat(), "starts": "10:00", "ends": "13:00", "venue": eik.pk}
    page = client.post(reverse("scheduling:move", args=[confirmed.pk]), data).content.decode()
    assert "This venue is no longer in use. Choose another venue." in page
    confirmed.refresh_from_db()
    assert confirmed.sequence == 0


def test_cancelling_on_the_page_needs_a_reason_to_stop(client, confirmed, carla):
    signed_in(client, carla)
    url = reverse("scheduling:cancel", args=[confirmed.pk])

    page = client.post(url, {"then": "stop"}).content.decode()
    assert "Choose the reason for stopping." in page
    confirmed.refresh_from_db()
    assert confirmed.status == Meeting.Status.CONFIRMED

    assert client.post(url, {"then": "prepare"}).status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.status == Meeting.Status.CANCELLED
    confirmed.case.refresh_from_db()
    assert confirmed.case.state == State.PREPARING


def test_the_office_sees_the_date_and_venue_but_no_steps(client, confirmed, bram):
    signed_in(client, bram)
    page = client.get(reverse("cases:detail", args=[confirmed.case.pk])).content.decode()
    assert "The meeting" in page
    assert "Buurthuis De Linde" in page
    assert reverse("scheduling:move", args=[confirmed.pk]) not in page
