"""A meeting that did not take place (issue 10, point 6): recorded from the meeting's day on,
before the conference opens; the meeting ends without a cancellation mail (bookings released,
reminders cancelled), and the case goes back to preparation for a new date or is stopped with a
reason. Before its day it is refused: cancelling the meeting is what tells everyone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.conference.models import Conference, NotHeldReason
from kring.conference.not_held import record_not_held
from kring.core.policy import NotAllowed, Refused
from kring.notifications.models import OutgoingMail
from kring.scheduling import booking, poll, reminders
from kring.scheduling.models import Booking, Meeting, Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(scheduled_case, summer_meeting, linde):
    """The summer meeting (on its day, or on 15 July 2027 after `meeting_ahead`) holds De Linde
    and Carla, and its reminders are planned."""
    booking.book_time(
        summer_meeting,
        venue=linde,
        starts_at=summer_meeting.starts_at,
        ends_at=summer_meeting.ends_at,
    )
    reminders.plan(summer_meeting)
    assert held_open(summer_meeting)
    return summer_meeting


@pytest.fixture
def booked_today(meeting_an_hour_ago, booked):
    """The booked meeting, which began an hour ago (its bookings moved with it)."""
    Booking.objects.filter(meeting=booked).update(
        starts_at=booked.starts_at, ends_at=booked.ends_at
    )
    return booked


def held_open(meeting) -> bool:
    """The meeting still holds its room and its coordinator, and its reminders will go."""
    return (
        meeting.status == Meeting.Status.CONFIRMED
        and Booking.objects.filter(meeting=meeting, released_at__isnull=True).count() == 2
        and Reminder.objects.filter(
            meeting=meeting, sent_at__isnull=True, cancelled_at__isnull=True
        ).exists()
    )


def mails() -> list[str]:
    """The mail queued since the case was handed to Carla (offered and accepted)."""
    made = OutgoingMail.objects.exclude(kind__in=("case.offered", "case.accepted"))
    return list(made.values_list("kind", flat=True))


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


def test_back_to_preparation_ends_the_meeting_without_mail_and_a_new_poll_can_open(
    scheduled_case, booked_today, carla
):
    booked = booked_today
    conference = record_not_held(
        scheduled_case, reason=NotHeldReason.HARMED_ABSENT, then="prepare", by=carla
    )
    scheduled_case.refresh_from_db()
    booked.refresh_from_db()
    assert scheduled_case.state == State.PREPARING
    assert conference.not_held_at is not None
    assert conference.not_held_reason == NotHeldReason.HARMED_ABSENT
    assert conference.started_at is None
    assert booked.status == Meeting.Status.CANCELLED
    assert not Booking.objects.filter(meeting=booked, released_at__isnull=True).exists()
    assert not Reminder.objects.filter(
        meeting=booked, sent_at__isnull=True, cancelled_at__isnull=True
    ).exists()
    # No cancellation (or any other) mail: the coordinator tells the participants.
    assert mails() == []
    assert kinds(scheduled_case)[-3:] == [
        "conference.not_held",
        "scheduling.meeting_not_held",
        "case.unscheduled",
    ]
    # A new date can be sought.
    assert poll.open_poll(scheduled_case, by=carla).status == Meeting.Status.POLLING


def test_stopping_records_the_reason_and_sends_nothing(scheduled_case, booked_today, carla):
    booked = booked_today
    record_not_held(
        scheduled_case,
        reason=NotHeldReason.SAFETY,
        then="stop",
        stop_reason="safety",
        by=carla,
    )
    scheduled_case.refresh_from_db()
    booked.refresh_from_db()
    assert scheduled_case.state == State.STOPPED
    assert scheduled_case.stop_reason == "safety"
    assert booked.status == Meeting.Status.CANCELLED
    assert not Booking.objects.filter(meeting=booked, released_at__isnull=True).exists()
    assert mails() == []
    # Stopping the case found the meeting ended already: it was not called off (with mail).
    assert "scheduling.meeting_cancelled" not in kinds(scheduled_case)
    assert kinds(scheduled_case)[-1] == "case.stopped"


def test_stopping_needs_a_stop_reason(scheduled_case, booked_today, carla):
    booked = booked_today
    with pytest.raises(Refused) as refused:
        record_not_held(scheduled_case, reason=NotHeldReason.OTHER, then="stop", by=carla)
    assert refused.value.code == "stop_reason"
    booked.refresh_from_db()
    assert booked.status == Meeting.Status.CONFIRMED
    assert not Conference.objects.exists()


def test_the_conference_of_a_check_in_begun_is_the_one_recorded(
    checking_in, meeting_an_hour_ago, carla
):
    recorded = record_not_held(
        checking_in.case, reason=NotHeldReason.RESPONSIBLE_ABSENT, then="prepare", by=carla
    )
    assert recorded.pk == checking_in.pk
    assert Conference.objects.count() == 1


def test_refused_once_the_conference_has_begun(rounds_done, meeting_an_hour_ago, carla):
    case = rounds_done.case
    with pytest.raises(Refused) as refused:
        record_not_held(case, reason=NotHeldReason.OTHER, then="prepare", by=carla)
    assert refused.value.code == "state"
    rounds_done.refresh_from_db()
    case.refresh_from_db()
    assert rounds_done.not_held_at is None
    assert case.state == State.CONFERENCE_HELD
    assert rounds_done.meeting.status == Meeting.Status.CONFIRMED


def test_only_the_coordinator_records_it(scheduled_case, booked_today, mira, olaf):
    booked = booked_today
    for someone in (mira, olaf):
        with pytest.raises(NotAllowed):
            record_not_held(scheduled_case, reason=NotHeldReason.OTHER, then="prepare", by=someone)
    booked.refresh_from_db()
    assert booked.status == Meeting.Status.CONFIRMED


def test_refused_before_the_meetings_day_and_recorded_on_it(
    scheduled_case, meeting_ahead, booked, carla
):
    """Recording it tells nobody, so weeks ahead it would leave everyone expecting a meeting:
    before its day it changes nothing; on the day the same call records it."""
    with pytest.raises(Refused) as refused:
        record_not_held(scheduled_case, reason=NotHeldReason.OTHER, then="prepare", by=carla)
    assert refused.value.code == "before_the_day"
    assert "cancel it: then everyone who takes part is told" in str(refused.value.reason)
    scheduled_case.refresh_from_db()
    booked.refresh_from_db()
    assert scheduled_case.state == State.SCHEDULED
    assert held_open(booked)
    assert not Conference.objects.exists()
    assert "conference.not_held" not in kinds(scheduled_case)

    # The same meeting, its day come (it began an hour ago): recorded.
    now = timezone.now()
    Meeting.objects.filter(pk=booked.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=90)
    )
    record_not_held(scheduled_case, reason=NotHeldReason.OTHER, then="prepare", by=carla)
    scheduled_case.refresh_from_db()
    booked.refresh_from_db()
    assert scheduled_case.state == State.PREPARING
    assert booked.status == Meeting.Status.CANCELLED
    assert not held_open(booked)
    assert Conference.objects.get().not_held_reason == NotHeldReason.OTHER
