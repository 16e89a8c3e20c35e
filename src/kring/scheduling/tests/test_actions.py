"""Confirming, moving and cancelling the meeting (issue 9, points 5 and 7), through the real
actions: confirm books, sets the date and moves the case to "scheduled" only when preparation is
complete; move keeps the UID and raises the SEQUENCE; cancel releases the bookings and sends
the case back to preparation or stops it. Each refusal is shown to refuse something that
happens once its reason is gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.cases import actions as case_actions
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.core.policy import NotAllowed, Refused
from kring.notifications.models import OutgoingMail
from kring.scheduling import actions, booking, poll
from kring.scheduling.models import Booking, Meeting, PollOption
from kring.scheduling.tests.booking_fixtures import (
    days_ahead,
    eik,
    linde,
    meeting_for,
    polling,
    prepare,
    ready_case,
    venue_of,
)

__all__ = ["eik", "linde", "polling", "ready_case"]

pytestmark = pytest.mark.django_db


def first_option(meeting) -> PollOption:
    return meeting.options.order_by("starts_at").first()


def live(meeting) -> list[tuple]:
    return sorted(
        (b.venue_id or 0, b.coordinator_id or 0, b.starts_at)
        for b in Booking.objects.filter(meeting=meeting, released_at__isnull=True)
    )


@pytest.fixture
def confirmed(polling, carla):
    return actions.confirm(polling, first_option(polling), by=carla)


# --- confirming ---------------------------------------------------------------------------------


def test_confirming_books_sets_the_date_and_schedules_the_case(polling, carla, linde):
    option = first_option(polling)

    meeting = actions.confirm(polling, option, by=carla)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert (meeting.starts_at, meeting.ends_at, meeting.venue) == (
        option.starts_at,
        option.ends_at,
        linde,
    )
    assert live(meeting) == sorted(
        [(linde.pk, 0, option.starts_at), (0, carla.pk, option.starts_at)]
    )
    meeting.case.refresh_from_db()
    assert meeting.case.state == State.SCHEDULED
    assert CaseEvent.objects.filter(case=meeting.case, kind="case.scheduled").count() == 1


def test_confirming_is_refused_until_preparation_is_complete(
    preparing_case, daan_acknowledged, sanne, carla, linde
):
    prepare(daan_acknowledged, by=carla)  # Sanne is not prepared yet
    meeting = poll.open_poll(preparing_case, by=carla)
    start, end = days_ahead(7)
    option = poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)

    with pytest.raises(Refused) as refused:
        actions.confirm(meeting, option, by=carla)

    assert refused.value.code.startswith("schedule.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POLLING
    assert not Booking.objects.exists()
    preparing_case.refresh_from_db()
    assert preparing_case.state == State.PREPARING

    # Once Sanne is prepared too, the same confirmation goes through.
    prepare(sanne, by=carla)
    actions.confirm(meeting, option, by=carla)
    preparing_case.refresh_from_db()
    assert preparing_case.state == State.SCHEDULED


def test_the_schedule_move_needs_a_confirmed_meeting(ready_case, carla):
    """The guard registered by scheduling: a ready case without a confirmed date is refused."""
    from kring.cases import actions as case_actions  # noqa: PLC0415

    with pytest.raises(Refused) as refused:
        case_actions.make_move(ready_case, "schedule", by=carla)

    assert refused.value.code == "schedule.has_confirmed_meeting"
    ready_case.refresh_from_db()
    assert ready_case.state == State.PREPARING


def test_a_taken_venue_refuses_the_confirmation_and_changes_nothing(polling, olaf, linde):
    option = first_option(polling)
    holder = meeting_for(olaf)
    booking.book_time(holder, venue=linde, starts_at=option.starts_at, ends_at=option.ends_at)

    with pytest.raises(Refused) as refused:
        actions.confirm(polling, option, by=polling.created_by)

    assert holder.case.reference in str(refused.value.reason)
    polling.refresh_from_db()
    assert polling.status == Meeting.Status.POLLING
    assert live(polling) == []
    assert polling.case.state == State.PREPARING


def test_an_option_of_another_meeting_is_refused(polling, carla, linde):
    other = Meeting.objects.create(case=polling.case, created_by=carla, status="cancelled")
    start, end = days_ahead(9)
    foreign = PollOption.objects.create(meeting=other, starts_at=start, ends_at=end, venue=linde)

    with pytest.raises(NotAllowed):
        actions.confirm(polling, foreign, by=carla)

    assert not Booking.objects.exists()


def test_another_coordinator_cannot_confirm(polling, olaf):
    with pytest.raises(NotAllowed):
        actions.confirm(polling, first_option(polling), by=olaf)
    assert not Booking.objects.exists()


# --- moving -------------------------------------------------------------------------------------


def test_moving_replaces_the_booking_keeps_the_uid_and_raises_the_sequence(confirmed, carla, eik):
    uid, sequence = confirmed.uid, confirmed.sequence
    start, end = days_ahead(10, hour=10)

    actions.move(confirmed, starts_at=start, ends_at=end, venue=eik, by=carla)

    confirmed.refresh_from_db()
    assert confirmed.uid == uid
    assert confirmed.sequence == sequence + 1
    assert (confirmed.starts_at, confirmed.venue) == (start, eik)
    assert live(confirmed) == sorted([(eik.pk, 0, start), (0, carla.pk, start)])
    # The old bookings are released, and kept as history.
    assert Booking.objects.filter(meeting=confirmed, released_at__isnull=False).count() == 2
    assert CaseEvent.objects.filter(kind="scheduling.meeting_moved").count() == 1


def test_moving_to_a_slightly_later_time_in_the_same_venue_is_not_refused_by_itself(
    confirmed, carla, linde
):
    later = confirmed.starts_at + timedelta(hours=1)
    actions.move(
        confirmed, starts_at=later, ends_at=later + timedelta(hours=3), venue=linde, by=carla
    )
    confirmed.refresh_from_db()
    assert confirmed.starts_at == later


def test_moving_into_a_taken_time_is_refused_and_keeps_the_old_booking(confirmed, carla, olaf, eik):
    start, end = days_ahead(10)
    holder = meeting_for(olaf)
    booking.book_time(holder, venue=eik, starts_at=start, ends_at=end)
    before = live(confirmed)

    with pytest.raises(Refused) as refused:
        actions.move(confirmed, starts_at=start, ends_at=end, venue=eik, by=carla)

    assert holder.case.reference in str(refused.value.reason)
    confirmed.refresh_from_db()
    assert confirmed.sequence == 0
    assert live(confirmed) == before


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("retired", "retired_venue"),
        ("other_team", "other_team"),
        ("past", "past"),
        ("end_before_start", "end_before_start"),
    ],
)
def test_bad_input_to_a_move_is_refused_and_changes_nothing(
    confirmed, carla, eik, other_team, change, code
):
    start, end = days_ahead(10)
    venue = eik
    if change == "retired":
        type(eik).objects.filter(pk=eik.pk).update(retired_at=timezone.now())
    if change == "other_team":
        venue = venue_of(other_team, "Zaal in Zwolle")
    if change == "past":
        start, end = timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1)
    if change == "end_before_start":
        end = start - timedelta(hours=1)
    before = live(confirmed)

    with pytest.raises(Refused) as refused:
        actions.move(confirmed, starts_at=start, ends_at=end, venue=venue, by=carla)

    assert refused.value.code == code
    confirmed.refresh_from_db()
    assert confirmed.sequence == 0
    assert live(confirmed) == before


# --- cancelling ---------------------------------------------------------------------------------


def test_cancelling_back_to_preparation_releases_the_booking(confirmed, carla, olaf, linde):
    actions.cancel(confirmed, then="prepare", by=carla)

    confirmed.refresh_from_db()
    assert confirmed.status == Meeting.Status.CANCELLED
    assert confirmed.sequence == 1
    assert live(confirmed) == []
    confirmed.case.refresh_from_db()
    assert confirmed.case.state == State.PREPARING
    assert CaseEvent.objects.filter(kind="case.unscheduled").count() == 1
    # The time is free again: another coordinator's meeting can have the venue.
    booking.book_time(
        meeting_for(olaf), venue=linde, starts_at=confirmed.starts_at, ends_at=confirmed.ends_at
    )
    # And the case can look for a new date.
    assert poll.open_poll(confirmed.case, by=carla).status == Meeting.Status.POLLING


def test_cancelling_and_stopping_the_case(confirmed, carla):
    actions.cancel(confirmed, then="stop", reason="safety", by=carla)

    confirmed.refresh_from_db()
    assert confirmed.status == Meeting.Status.CANCELLED
    assert live(confirmed) == []
    confirmed.case.refresh_from_db()
    assert confirmed.case.state == State.STOPPED
    assert confirmed.case.stop_reason == "safety"


def test_stopping_a_scheduled_case_from_the_case_page_calls_the_meeting_off(confirmed, carla):
    """Stopped through cases.actions.stop (the case page's "Stop the case"), not through the
    meeting: the meeting is cancelled all the same, its bookings freed, everyone told once."""
    case_actions.stop(confirmed.case, reason="safety", by=carla)

    confirmed.refresh_from_db()
    assert confirmed.status == Meeting.Status.CANCELLED
    assert confirmed.sequence == 1
    assert live(confirmed) == []
    kinds = list(OutgoingMail.objects.values_list("kind", flat=True))
    assert kinds.count("scheduling.cancelled") == kinds.count("scheduling.invitation") > 0
    assert CaseEvent.objects.filter(kind="scheduling.meeting_cancelled").count() == 1


def test_stopping_a_case_with_an_open_poll_closes_the_poll_and_tells_no_one(polling, carla):
    case_actions.stop(polling.case, reason="safety", by=carla)

    polling.refresh_from_db()
    assert (polling.status, polling.sequence) == (Meeting.Status.CANCELLED, 0)
    assert not OutgoingMail.objects.filter(kind="scheduling.cancelled").exists()


def _handed_over(case, *, to, manager):
    assignment = case_actions.offer_to_coordinator(case, coordinator=to, by=manager)
    case_actions.accept_assignment(assignment, declares_independence=True, by=to)


def test_a_new_coordinator_is_booked_instead_of_the_one_before(confirmed, carla, olaf, mira):
    _handed_over(confirmed.case, to=olaf, manager=mira)

    assert [
        b.coordinator_id
        for b in Booking.objects.filter(meeting=confirmed)
        if b.coordinator_id and b.released_at is None
    ] == [olaf.pk]
    # Carla's time is free again.
    assert (
        booking.holder_of(
            coordinator_id=carla.pk, starts_at=confirmed.starts_at, ends_at=confirmed.ends_at
        )
        is None
    )


def test_a_new_coordinator_with_another_meeting_then_is_not_double_booked(
    confirmed, olaf, mira, eik
):
    other = meeting_for(olaf)
    booking.book_time(other, venue=eik, starts_at=confirmed.starts_at, ends_at=confirmed.ends_at)

    _handed_over(confirmed.case, to=olaf, manager=mira)

    holders = Booking.objects.filter(coordinator=olaf, released_at__isnull=True)
    assert [b.meeting_id for b in holders] == [other.pk]
    assert CaseEvent.objects.filter(
        case=confirmed.case, kind="scheduling.coordinator_not_booked"
    ).exists()


def test_stopping_needs_a_reason(confirmed, carla):
    with pytest.raises(Refused):
        actions.cancel(confirmed, then="stop", reason="", by=carla)
    confirmed.refresh_from_db()
    assert confirmed.status == Meeting.Status.CONFIRMED
    assert len(live(confirmed)) == 2


def test_another_coordinator_cannot_move_or_cancel(confirmed, olaf, eik):
    start, end = days_ahead(10)
    with pytest.raises(NotAllowed):
        actions.move(confirmed, starts_at=start, ends_at=end, venue=eik, by=olaf)
    with pytest.raises(NotAllowed):
        actions.cancel(confirmed, then="prepare", by=olaf)
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.sequence) == (Meeting.Status.CONFIRMED, 0)


def test_a_cancelled_meeting_cannot_be_moved(confirmed, carla, eik):
    actions.cancel(confirmed, then="prepare", by=carla)
    start, end = days_ahead(10)
    with pytest.raises(Refused):
        actions.move(confirmed, starts_at=start, ends_at=end, venue=eik, by=carla)
    assert live(confirmed) == []


def test_a_participant_may_still_withdraw_once_the_case_is_scheduled(confirmed, sanne):
    """R9: withdrawing stays possible after the date is set (who is then told nothing more
    is scheduling.invitations', tested in test_invitations.py)."""
    from kring.audit.actors import Actor  # noqa: PLC0415
    from kring.circle import actions as circle  # noqa: PLC0415
    from kring.circle.models import Status  # noqa: PLC0415

    circle.withdraw(sanne, by=Actor.in_portal(sanne))

    sanne.refresh_from_db()
    assert sanne.status == Status.WITHDRAWN
    confirmed.case.refresh_from_db()
    assert confirmed.case.state == State.SCHEDULED
