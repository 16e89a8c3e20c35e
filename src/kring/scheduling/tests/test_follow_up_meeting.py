"""A follow-up meeting (issue 12, point 4) in scheduling itself: the purpose of a meeting, which
one a case's state plans (policy.purpose_for), one open meeting per case and purpose, and the
actions on a follow-up meeting (confirm, move, cancel) that make no move of the case. The case
goes through the conference's poll and confirmation with the real actions, then its state is set
to "following_up" directly (signing a plan is a later stage's; the whole journey from a signed
plan is in kring.followup.tests.test_follow_up_meeting)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.core.policy import Refused
from kring.notifications.models import OutgoingMail
from kring.scheduling import actions, policy, poll
from kring.scheduling.models import Booking, Meeting
from kring.scheduling.tests.booking_fixtures import days_ahead, eik, linde, polling, ready_case
from kring.testing.auth import force_verified_login

__all__ = ["eik", "linde", "polling", "ready_case"]

pytestmark = pytest.mark.django_db

CONFERENCE = Meeting.Purpose.CONFERENCE
FOLLOW_UP = Meeting.Purpose.FOLLOW_UP


def _set_state(case, state) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


@pytest.fixture
def held(polling, carla):
    """The conference's meeting confirmed through the real action (the case scheduled), then
    the case in follow-up, as after a held conference and a signed plan."""
    meeting = actions.confirm(polling, polling.options.order_by("starts_at").first(), by=carla)
    _set_state(meeting.case, State.FOLLOWING_UP)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def follow_up(held, carla, linde):
    """A follow-up meeting's poll with one date, in 20 days, 14:00-16:00, at De Linde."""
    case = Case.objects.get(pk=held.case_id)
    meeting = poll.open_poll(case, by=carla)
    start, end = days_ahead(20, hours=2)
    poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    return meeting


def _confirm(meeting, carla):
    return actions.confirm(meeting, meeting.options.get(), by=carla)


@pytest.mark.parametrize(
    ("state", "purpose"),
    [
        (State.PREPARING, CONFERENCE),
        (State.SCHEDULED, CONFERENCE),
        (State.CONFERENCE_HELD, CONFERENCE),
        (State.FOLLOWING_UP, FOLLOW_UP),
        (State.CLOSED, FOLLOW_UP),
    ],
)
def test_the_purpose_a_case_is_about_follows_its_state(ready_case, state, purpose):
    assert policy.purpose_for(_set_state(ready_case, state)) == purpose


def test_the_conference_poll_in_preparation_is_as_before(polling, carla):
    """While the case is prepared the poll is the conference's, and confirming it schedules the
    case (test_actions has the rest)."""
    assert polling.purpose == CONFERENCE
    meeting = _confirm_first(polling, carla)
    meeting.case.refresh_from_db()
    assert meeting.case.state == State.SCHEDULED
    assert CaseEvent.objects.filter(kind="case.scheduled").count() == 1
    assert not CaseEvent.objects.filter(kind="scheduling.follow_up_confirmed").exists()


def _confirm_first(meeting, carla):
    return actions.confirm(meeting, meeting.options.order_by("starts_at").first(), by=carla)


def test_in_follow_up_the_poll_is_a_follow_up_meetings_beside_the_held_conference(follow_up, held):
    assert follow_up.purpose == FOLLOW_UP
    assert follow_up.is_follow_up and not held.is_follow_up
    assert policy.open_meeting(follow_up.case) == follow_up
    # One open meeting per case and purpose: a second follow-up poll is not stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(case=follow_up.case, created_by=held.created_by, purpose=FOLLOW_UP)


def test_confirming_a_follow_up_meeting_books_and_invites_without_moving_the_case(
    follow_up, held, carla
):
    OutgoingMail.objects.all().delete()
    meeting = _confirm(follow_up, carla)

    case = Case.objects.get(pk=meeting.case_id)
    assert case.state == State.FOLLOWING_UP
    assert meeting.status == Meeting.Status.CONFIRMED
    assert Booking.objects.filter(meeting=meeting, released_at__isnull=True).count() == 2
    assert CaseEvent.objects.filter(kind="case.scheduled").count() == 1  # the conference's
    assert CaseEvent.objects.filter(kind="scheduling.follow_up_confirmed").count() == 1
    invitations = OutgoingMail.objects.filter(kind="scheduling.invitation")
    assert invitations.exists()
    assert all("Nazorggesprek" in m.attachments[0]["content"] for m in invitations)
    # The conference's meeting is as it was; its guard reads only the conference's meetings.
    before = (held.status, held.starts_at, held.sequence)
    held.refresh_from_db()
    assert (held.status, held.starts_at, held.sequence) == before
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.CANCELLED)
    assert actions.has_confirmed_meeting(case) is not None


def test_a_follow_up_meeting_is_moved_and_cancelled_in_follow_up_only(follow_up, held, carla, eik):
    meeting = _confirm(follow_up, carla)
    # The conference's meeting is not moved or cancelled in follow-up: its day is over.
    assert policy.may_cancel(carla, held).code == "state"
    assert policy.may_move(carla, meeting) is None

    OutgoingMail.objects.all().delete()
    start, end = days_ahead(21, hours=2)
    meeting = actions.move(meeting, starts_at=start, ends_at=end, venue=eik, by=carla)
    assert meeting.sequence == 1
    moved = OutgoingMail.objects.filter(kind="scheduling.moved")
    assert moved.exists()
    assert all("Nazorggesprek" in m.attachments[0]["content"] for m in moved)

    # Cancelling asks nothing about the case: it stays in follow-up.
    with pytest.raises(ValueError):
        actions.cancel(meeting, then="prepare", by=carla)
    actions.cancel(meeting, by=carla)
    meeting.refresh_from_db()
    case = Case.objects.get(pk=meeting.case_id)
    assert meeting.status == Meeting.Status.CANCELLED
    assert case.state == State.FOLLOWING_UP
    assert not CaseEvent.objects.filter(kind="case.unscheduled").exists()
    # And a new follow-up meeting can be planned.
    assert poll.open_poll(case, by=carla).purpose == FOLLOW_UP


def test_a_closed_case_changes_no_follow_up_meeting(follow_up, carla):
    meeting = _confirm(follow_up, carla)
    assert policy.may_cancel(carla, meeting) is None
    _set_state(meeting.case, State.CLOSED)
    meeting.case.refresh_from_db()

    assert policy.may_cancel(carla, meeting).code == "state"
    assert policy.may_move(carla, meeting).code == "state"
    assert policy.may_open_poll(carla, meeting.case).code == "not_preparing"
    with pytest.raises(Refused):
        actions.cancel(meeting, by=carla)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def test_the_conference_is_cancelled_only_with_what_happens_to_the_case(polling, carla):
    meeting = _confirm_first(polling, carla)
    with pytest.raises(ValueError):
        actions.cancel(meeting, by=carla)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def _has_taken_place(meeting) -> Meeting:
    """Move the confirmed meeting's time into the past: it was held an hour ago."""
    end = timezone.now() - timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=end - timedelta(hours=2), ends_at=end)
    meeting.refresh_from_db()
    return meeting


def test_a_follow_up_meeting_that_has_taken_place_is_no_longer_open(
    client, follow_up, carla, eik, linde
):
    """Review finding 2: once its time has passed, a follow-up meeting is not moved or
    cancelled (nobody is sent a cancellation of a meeting that took place), and the next
    follow-up meeting can be planned."""
    meeting = _confirm(follow_up, carla)
    case = Case.objects.get(pk=meeting.case_id)
    # Still to come: it is the case's open meeting, and can be moved and cancelled.
    assert policy.open_meeting(case) == meeting
    assert policy.may_open_poll(carla, case).code == "poll_open"
    assert policy.may_cancel(carla, meeting) is None
    assert policy.may_move(carla, meeting) is None

    meeting = _has_taken_place(meeting)
    assert policy.may_move(carla, meeting).code == "held"
    assert policy.may_cancel(carla, meeting).code == "held"
    OutgoingMail.objects.all().delete()
    with pytest.raises(Refused):
        actions.cancel(meeting, by=carla)
    start, end = days_ahead(21, hours=2)
    with pytest.raises(Refused):
        actions.move(meeting, starts_at=start, ends_at=end, venue=eik, by=carla)
    assert not OutgoingMail.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED and meeting.sequence == 0

    # The case page says it has taken place, offers no move or cancel, and offers the next.
    force_verified_login(client, carla)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Has taken place" in page
    assert reverse("scheduling:move", args=[meeting.pk]) not in page
    assert reverse("scheduling:cancel", args=[meeting.pk]) not in page
    assert "Plan a follow-up meeting" in page
    assert client.get(reverse("scheduling:cancel", args=[meeting.pk])).status_code == 200
    assert client.post(reverse("scheduling:cancel", args=[meeting.pk])).status_code == 200
    assert not OutgoingMail.objects.exists()

    # A second follow-up poll: the one held is marked so, and no longer counts as open.
    assert policy.may_open_poll(carla, case) is None
    second = poll.open_poll(case, by=carla)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert second.status == Meeting.Status.POLLING and second.purpose == FOLLOW_UP
    assert policy.open_meeting(case) == second
    assert CaseEvent.objects.filter(case=case, kind="scheduling.meeting_held").count() == 1
    assert policy.may_cancel(carla, meeting).code == "held"
    # The held meeting stays in the team's calendar of that week.
    from kring.scheduling import calendar  # noqa: PLC0415

    week = calendar.meetings_in(case.team, meeting.starts_at - timedelta(days=1), timezone.now())
    assert meeting in list(week)

    # The second poll is stopped; nothing of a follow-up meeting is pending then.
    actions.cancel(second, by=carla)
    assert actions.no_follow_up_meeting_pending(case) is None


def test_a_follow_up_poll_is_stopped_without_telling_anyone(follow_up, carla):
    """Review finding 1: the poll of a follow-up meeting can be stopped (cancel), which sends
    nothing and keeps the case in follow-up; the conference's poll cannot (it ends with a date
    or with the case stopped)."""
    case = Case.objects.get(pk=follow_up.case_id)
    assert actions.no_follow_up_meeting_pending(case) is not None
    assert policy.stopping_the_poll(carla, follow_up) is None
    OutgoingMail.objects.all().delete()
    actions.cancel(follow_up, by=carla)
    follow_up.refresh_from_db()
    case.refresh_from_db()
    assert follow_up.status == Meeting.Status.CANCELLED
    assert follow_up.sequence == 0
    assert case.state == State.FOLLOWING_UP
    assert not OutgoingMail.objects.exists()
    assert actions.no_follow_up_meeting_pending(case) is None
    assert policy.stopping_the_poll(carla, follow_up).code == "not_polling"


def test_the_conference_poll_is_not_stopped_this_way(polling, carla):
    assert policy.stopping_the_poll(carla, polling).code == "not_confirmed"
    with pytest.raises(Refused):
        actions.cancel(polling, then="prepare", by=carla)
    polling.refresh_from_db()
    assert polling.status == Meeting.Status.POLLING
