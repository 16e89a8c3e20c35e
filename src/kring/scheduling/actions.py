"""The actions of the meeting (issue 9, points 5 and 7; R8): confirm a date of the poll, move
the meeting, cancel it. The same for a follow-up meeting (issue 12, point 4), which makes no
lifecycle move: the case stays in follow-up. One function each (docs/architecture.md "Actions"): one transaction
with the case locked, the policy (scheduling.policy) enforced, the bookings (scheduling.booking),
the lifecycle move through cases.actions.make_move (its guards: preparation's readiness and
`has_confirmed_meeting` below), the timeline event and the audit row, and the invitations and
reminders (scheduling.invitations, scheduling.reminders), whose mail goes out after commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.cases import actions as case_actions
from kring.cases import policy as case_policy
from kring.cases.models import Case, StopReason
from kring.core.policy import Refused, enforce, rule
from kring.scheduling import booking, invitations, policy, poll, reminders
from kring.scheduling.models import Meeting, PollOption, Venue

Then = Literal["prepare", "stop"]


# --- the guard of the `schedule` move -----------------------------------------------------------


def has_confirmed_meeting(
    case: Case, *, confirming: Meeting | None = None, **_kw: Any
) -> str | Promise | None:
    """R8: a case is scheduled only with a confirmed date and venue. `confirming`: the meeting
    whose date is being confirmed (scheduling.policy.may_confirm asks before it is)."""
    if (
        confirming is not None
        and confirming.case_id == case.pk
        and confirming.status != Meeting.Status.CANCELLED
    ):
        return None
    confirmed = Meeting.objects.filter(
        case=case,
        purpose=Meeting.Purpose.CONFERENCE,
        status=Meeting.Status.CONFIRMED,
        starts_at__isnull=False,
        venue__isnull=False,
    )
    if not confirmed.exists():
        return _("First confirm a date and a venue for the meeting.")
    return None


# --- the guard of the `close` move (issue 12, point 4) ------------------------------------------


def no_follow_up_meeting_pending(case: Case, **_kw: Any) -> str | Promise | None:
    """A case is closed without a follow-up meeting still to come: no open poll for one, no
    confirmed one whose time has not come. Its coordinator cancels it first, which tells
    everyone who takes part and releases the bookings."""
    pending = Meeting.objects.filter(case=case, purpose=Meeting.Purpose.FOLLOW_UP).filter(
        Q(status=Meeting.Status.POLLING)
        | Q(status=Meeting.Status.CONFIRMED, ends_at__gt=timezone.now())
    )
    if pending.exists():
        return _(
            "A follow-up meeting is still being planned or still to come. Stop its date poll "
            "or cancel the meeting first, or wait until it has taken place."
        )
    return None


# --- the actions --------------------------------------------------------------------------------


def _lock(meeting: Meeting) -> tuple[Meeting, Case]:
    """Lock the case (the order every action of a case takes), then re-read the meeting."""
    case = case_actions.lock_case(meeting.case)
    meeting = Meeting.objects.select_related("venue").get(pk=meeting.pk)
    meeting.case = case
    return meeting, case


def confirm(meeting: Meeting, option: PollOption, *, by: User) -> Meeting:
    """The coordinator confirms a date of the poll: the venue and the coordinator are booked
    for it, the meeting gets its time and venue, the case moves to "scheduled" (the
    conference's meeting; a follow-up meeting moves nothing: the timeline says it is set), and
    everyone who takes part is invited and will be reminded."""
    with transaction.atomic():
        meeting, case = _lock(meeting)
        option = PollOption.objects.select_related("venue").get(pk=option.pk)
        enforce(policy.may_confirm(by, meeting, option))
        poll.check_option(
            case, starts_at=option.starts_at, ends_at=option.ends_at, venue=option.venue
        )
        booking.book(meeting, option=option, by=by)
        meeting.status = Meeting.Status.CONFIRMED
        meeting.starts_at = option.starts_at
        meeting.ends_at = option.ends_at
        meeting.venue = option.venue
        meeting.confirmed_at = timezone.now()
        meeting.save(update_fields=["status", "starts_at", "ends_at", "venue", "confirmed_at"])
        invitations.send(meeting, change="new")
        reminders.plan(meeting)
        # Last: the record holds the audit chain's lock to the commit (ADR 0012, "Deadlocks").
        if meeting.is_follow_up:
            case_actions.log_event(
                case, "scheduling.follow_up_confirmed", by=by, meeting=meeting.pk
            )
        else:
            # The move's guards: preparation's readiness (R3–R9) and has_confirmed_meeting.
            case_actions.make_move(case, "schedule", by=by, meeting=meeting.pk)
    return meeting


def move(
    meeting: Meeting, *, starts_at: datetime, ends_at: datetime, venue: Venue, by: User
) -> Meeting:
    """Move a confirmed meeting to another time or venue: the old bookings are released and the
    new ones made in the same transaction (refused, and nothing changes, when taken); the
    calendar files keep the UID with a higher SEQUENCE; everyone is told; reminders are
    planned anew."""
    with transaction.atomic():
        meeting, case = _lock(meeting)
        enforce(policy.may_move(by, meeting))
        # Read afresh: a venue retired since the form was shown is refused.
        fresh = Venue.objects.filter(pk=venue.pk).first() if venue is not None else None
        poll.check_option(case, starts_at=starts_at, ends_at=ends_at, venue=fresh)
        assert fresh is not None  # check_option refuses an unknown venue
        venue = fresh
        if (starts_at, ends_at, venue.pk) == (meeting.starts_at, meeting.ends_at, meeting.venue_id):
            raise Refused(rule("unchanged", _("This is the time and venue the meeting has now.")))
        # A savepoint: a refused booking leaves the old bookings as they were.
        with transaction.atomic():
            booking.release(meeting)
            booking.book_time(meeting, venue=venue, starts_at=starts_at, ends_at=ends_at)
        meeting.starts_at = starts_at
        meeting.ends_at = ends_at
        meeting.venue = venue
        meeting.sequence += 1
        meeting.save(update_fields=["starts_at", "ends_at", "venue", "sequence"])
        reminders.cancel(meeting)
        invitations.send(meeting, change="moved")
        reminders.plan(meeting)
        case_actions.log_event(case, "scheduling.meeting_moved", by=by, meeting=meeting.pk)
    return meeting


def cancel(meeting: Meeting, *, then: Then | None = None, reason: str = "", by: User) -> Meeting:
    """Cancel a confirmed meeting: its bookings are released, everyone is told (the calendar
    file cancels the event), reminders are cancelled, and the case goes back to preparation
    (`then="prepare"`) or is stopped with `reason`, a StopReason (`then="stop"`). A follow-up
    meeting is cancelled without `then`: the case stays in follow-up; while its date poll is
    still open, cancelling it stops the poll (no date was set: nobody is sent anything)."""
    if then not in ("prepare", "stop", None):
        raise ValueError(then)
    with transaction.atomic():
        meeting, case = _lock(meeting)
        enforce(policy.may_cancel(by, meeting))
        if meeting.is_follow_up:
            if then is not None:
                raise ValueError(then)
            if meeting.status == Meeting.Status.POLLING:
                _call_off(meeting, case, by=by, tell=False, event="scheduling.poll_stopped")
            else:
                _call_off(meeting, case, by=by)
            return meeting
        if then is None:
            raise ValueError(then)
        if then == "stop":
            enforce(case_policy.may_stop(by, case))
            if reason not in StopReason.values:
                raise Refused(rule("stop_reason", _("Choose why the case is stopped.")))
        _call_off(meeting, case, by=by)
        if then == "prepare":
            case_actions.make_move(case, "unschedule", by=by, meeting=meeting.pk)
        else:
            case_actions.stop(case, reason=reason, by=by)
    return meeting


def end_with_case(case: Case, by: User) -> None:
    """The case is stopped (cases.actions.stop, through cases.registry.on_case_stopped), so its
    open meeting will not take place: a confirmed one is called off as `cancel` does, an open
    poll is closed. Runs inside the stopping transaction, with the case locked; a meeting that
    `cancel` called off already is left alone."""
    for meeting in Meeting.objects.filter(case=case).exclude(
        status__in=(Meeting.Status.CANCELLED, Meeting.Status.HELD)
    ):
        _call_off(meeting, case, by=by)


def _call_off(
    meeting: Meeting,
    case: Case,
    *,
    by: User,
    tell: bool = True,
    event: str = "scheduling.meeting_cancelled",
) -> None:
    """End `meeting`: the bookings released, the meeting cancelled, the reminders cancelled and
    `event` on the timeline. With `tell`, once it had a date, everyone who takes part is told
    (the calendar file cancels the event: SEQUENCE up); without it nobody is sent anything and
    the calendar files stay as they were."""
    tell = tell and meeting.status == Meeting.Status.CONFIRMED
    booking.release(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    if tell:
        meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_at", "sequence"])
    reminders.cancel(meeting)
    if tell:
        invitations.send(meeting, change="cancelled")
    case_actions.log_event(case, event, by=by, meeting=meeting.pk)


def follow_new_coordinator(case: Case, coordinator: User) -> None:
    """A new coordinator accepted the case (cases.registry.on_coordinator_accepted), inside the
    accepting transaction: the confirmed meeting books them instead of the one before. If they
    have another meeting then, the timeline says so and the meeting must be moved. Every
    booking first, then the records: a booking may wait on another transaction's (ADR 0012,
    "Deadlocks")."""
    not_booked = []
    for meeting in Meeting.objects.filter(case=case, status=Meeting.Status.CONFIRMED):
        meeting.case = case
        if booking.follow_coordinator(meeting) is not None:
            not_booked.append(meeting.pk)
    for meeting_pk in not_booked:
        case_actions.log_event(
            case, "scheduling.coordinator_not_booked", by=coordinator, meeting=meeting_pk
        )


def end_not_held(meeting: Meeting, case: Case, *, by: User) -> None:
    """The meeting did not take place (conference.not_held, inside its transaction with the
    case locked): the bookings released, the meeting ended, its reminders cancelled. Nobody is
    sent a cancellation: the day has come, and the coordinator tells who was there."""
    _call_off(meeting, case, by=by, tell=False, event="scheduling.meeting_not_held")
