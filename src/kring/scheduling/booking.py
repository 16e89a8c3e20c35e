"""Booking a venue and a coordinator for a confirmed meeting (issue 9, point 4; R8).

Confirming a meeting holds its venue and the case's coordinator for its time: two `Booking`
rows. Two live bookings (not released) of the same venue, or of the same coordinator, never
overlap. The database decides (docs/adr/0008-booking-without-double-booking.md):

- PostgreSQL: two exclusion constraints (migration 0002) on the live bookings, one per venue and
  one per coordinator, over `tstzrange(starts_at, ends_at)`. Two transactions that both pass the
  check below both insert; the second waits for the first and then fails the constraint. That
  IntegrityError becomes the same `Refused` as the check's.
- SQLite: Kring opens every transaction with BEGIN IMMEDIATE (settings.py), which takes the
  database's write lock at the start. Writers queue, so "check for an overlap, then insert" in
  one transaction cannot interleave with another writer's.

Both check first, so that the user reads which meeting holds the room or the coordinator: its
case reference and its time, never what the case is about. Releasing a booking (a meeting moved
or cancelled) frees its time; the row stays as history.

Called by scheduling.actions inside their transaction (with the case locked).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.core.policy import Refused, rule
from kring.scheduling.models import Booking, Meeting, PollOption, Venue

# The names of the exclusion constraints of migration 0002 (PostgreSQL only).
VENUE_CONSTRAINT = "booking_venue_no_overlap"
COORDINATOR_CONSTRAINT = "booking_coordinator_no_overlap"
DEADLOCK = "40P01"  # PostgreSQL's deadlock_detected
DEADLOCK_ATTEMPTS = 3


def _when(starts_at: datetime, ends_at: datetime) -> str:
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    return f"{date_format(start, 'j F Y')}, {date_format(start, 'H:i')}–{date_format(end, 'H:i')}"


def _overlapping(
    starts_at: datetime, ends_at: datetime, *, exclude_meeting: int | None
) -> QuerySet[Booking]:
    live = Booking.objects.filter(
        released_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("meeting__case__referral")
    if exclude_meeting is not None:
        live = live.exclude(meeting_id=exclude_meeting)
    return live


def _refusal(holder: Booking, *, venue: bool) -> Refused:
    params = {
        "reference": holder.meeting.case.reference,
        "when": _when(holder.starts_at, holder.ends_at),
    }
    if venue:
        return Refused(
            rule(
                "venue_taken",
                _(
                    "This venue is already booked at this time, for the meeting of case "
                    "%(reference)s on %(when)s."
                )
                % params,
            )
        )
    return Refused(
        rule(
            "coordinator_taken",
            _(
                "The coordinator already has a meeting at this time: the meeting of case "
                "%(reference)s on %(when)s."
            )
            % params,
        )
    )


def holder_of(
    *,
    venue: Venue | None = None,
    coordinator_id: int | None = None,
    starts_at: datetime,
    ends_at: datetime,
    exclude_meeting: int | None = None,
) -> Booking | None:
    """The live booking that holds `venue` (or the coordinator) at some time in the period."""
    live = _overlapping(starts_at, ends_at, exclude_meeting=exclude_meeting)
    if venue is not None:
        live = live.filter(venue=venue)
    else:
        live = live.filter(coordinator_id=coordinator_id)
    holder: Booking | None = live.first()
    return holder


def check_free(
    meeting: Meeting, *, venue: Venue, starts_at: datetime, ends_at: datetime
) -> Refused | None:
    """The refusal if the venue or the case's coordinator is taken then (by another meeting)."""
    holder = holder_of(
        venue=venue, starts_at=starts_at, ends_at=ends_at, exclude_meeting=meeting.pk
    )
    if holder is not None:
        return _refusal(holder, venue=True)
    coordinator_id = meeting.case.coordinator_id
    if coordinator_id is not None:
        holder = holder_of(
            coordinator_id=coordinator_id,
            starts_at=starts_at,
            ends_at=ends_at,
            exclude_meeting=meeting.pk,
        )
        if holder is not None:
            return _refusal(holder, venue=False)
    return None


def book_time(
    meeting: Meeting, *, venue: Venue, starts_at: datetime, ends_at: datetime
) -> list[Booking]:
    """Book `venue` and the case's coordinator for the period, or raise `Refused`."""
    refused = check_free(meeting, venue=venue, starts_at=starts_at, ends_at=ends_at)
    if refused is not None:
        raise refused
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        rows = [Booking(meeting=meeting, venue=venue, starts_at=starts_at, ends_at=ends_at)]
        if meeting.case.coordinator_id is not None:
            rows.append(
                Booking(
                    meeting=meeting,
                    coordinator_id=meeting.case.coordinator_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
        try:
            # A savepoint: on PostgreSQL the constraint's error leaves the outer transaction
            # usable for finding the meeting that won.
            with transaction.atomic():
                for row in rows:
                    row.save()
        except IntegrityError as error:
            text = str(error)
            if VENUE_CONSTRAINT not in text and COORDINATOR_CONSTRAINT not in text:
                raise
            raise (
                check_free(meeting, venue=venue, starts_at=starts_at, ends_at=ends_at)
                or _generic_refusal(venue=VENUE_CONSTRAINT in text)
            ) from error
        except OperationalError as error:
            # Two racing inserts into an exclusion constraint each wait for the other's
            # transaction; PostgreSQL ends one with a deadlock. Its savepoint is rolled back and
            # it inserts again: now it waits for the winner, and gets the constraint's error.
            if (
                getattr(error.__cause__, "sqlstate", None) != DEADLOCK
                or attempt == DEADLOCK_ATTEMPTS
            ):
                raise
        else:
            return rows
    raise AssertionError("unreachable")  # pragma: no cover


def _generic_refusal(*, venue: bool) -> Refused:
    # The winner's transaction is committed by now, so check_free finds it; this is a fallback.
    if venue:
        return Refused(rule("venue_taken", _("This venue is already booked at this time.")))
    return Refused(
        rule("coordinator_taken", _("The coordinator already has a meeting at this time."))
    )


def book(meeting: Meeting, *, option: PollOption, by: User | None = None) -> list[Booking]:
    """Book `option`'s venue and the case's coordinator for its time. Raises
    `kring.core.policy.Refused` naming the meeting that holds the room or the coordinator."""
    return book_time(
        meeting, venue=option.venue, starts_at=option.starts_at, ends_at=option.ends_at
    )


def follow_coordinator(meeting: Meeting) -> Booking | None:
    """The case has a new coordinator (reassigned, or taken over after a hand-back): the booking
    of the one before is released and the new one is booked for the meeting's time. Returns the
    booking that holds the new coordinator then, if another meeting does (they are not booked:
    the meeting must move), else None."""
    coordinator_id = meeting.case.coordinator_id
    now = timezone.now()
    Booking.objects.filter(
        meeting=meeting, coordinator__isnull=False, released_at__isnull=True
    ).exclude(coordinator_id=coordinator_id).update(released_at=now)
    if (
        coordinator_id is None
        or Booking.objects.filter(
            meeting=meeting, coordinator_id=coordinator_id, released_at__isnull=True
        ).exists()
    ):
        return None
    assert meeting.starts_at is not None and meeting.ends_at is not None
    period = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
    holder = holder_of(coordinator_id=coordinator_id, exclude_meeting=meeting.pk, **period)
    if holder is not None:
        return holder
    try:
        with transaction.atomic():  # a savepoint, as in book_time
            Booking.objects.create(meeting=meeting, coordinator_id=coordinator_id, **period)
    except IntegrityError as error:
        if COORDINATOR_CONSTRAINT not in str(error):
            raise
        return holder_of(coordinator_id=coordinator_id, exclude_meeting=meeting.pk, **period)
    return None


def release(meeting: Meeting) -> int:
    """Release the meeting's live bookings, freeing their time; returns how many."""
    return Booking.objects.filter(meeting=meeting, released_at__isnull=True).update(
        released_at=timezone.now()
    )


def live_bookings(meeting: Meeting) -> list[Booking]:
    return list(Booking.objects.filter(meeting=meeting, released_at__isnull=True))
