"""Reminders of a meeting (issue 9, point 6; R8).

The intent is stored first (`plan`: a Reminder row per participant who takes part, due two days
before the meeting at 10:00 Amsterdam time, and one for the coordinator, due the day before);
a periodic task (scheduling.tasks) finds the due ones and queues a task per reminder carrying
its id only. Each is sent exactly once: `send_one` claims the row with a conditional UPDATE in
the same transaction that writes the mail to the outbox, so a worker stopped halfway leaves
either both (the outbox sends the mail, the sweep picks it up) or neither (the next run claims
it again). At send time a participant who withdrew, or a meeting that moved or was cancelled,
gets nothing: the row is marked cancelled instead."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kring.accounts import contact
from kring.notifications.mail import queue_mail
from kring.scheduling import policy
from kring.scheduling.models import Meeting, Reminder

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Local time of day at which reminders fall due.
AT = time(10, 0)
PARTICIPANT_DAYS_BEFORE = 2
COORDINATOR_DAYS_BEFORE = 1


def due_at(meeting: Meeting, days_before: int) -> datetime:
    """`days_before` days before the meeting's local date, at 10:00 Amsterdam time (in UTC)."""
    assert meeting.starts_at is not None
    day = meeting.starts_at.astimezone(AMSTERDAM).date() - timedelta(days=days_before)
    return datetime.combine(day, AT, tzinfo=AMSTERDAM).astimezone(ZoneInfo("UTC"))


def cancel(meeting: Meeting) -> int:
    """Cancel the reminders of `meeting` not sent yet (the meeting moved or was cancelled)."""
    return Reminder.objects.filter(
        meeting=meeting, sent_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())


def plan(meeting: Meeting) -> list[Reminder]:
    """Store the reminders of the confirmed `meeting` for its current sequence: one per
    participant who takes part now, and one for the coordinator. Unsent reminders of an
    earlier version of the meeting are cancelled; planning twice adds nothing."""
    Reminder.objects.filter(
        meeting=meeting, sent_at__isnull=True, cancelled_at__isnull=True
    ).exclude(sequence=meeting.sequence).update(cancelled_at=timezone.now())
    existing = set(
        Reminder.objects.filter(meeting=meeting, sequence=meeting.sequence).values_list(
            "kind", "participant_id"
        )
    )
    wanted: list[Reminder] = []
    participant_due = due_at(meeting, PARTICIPANT_DAYS_BEFORE)
    for participant in policy.taking_part(meeting.case):
        if (Reminder.Kind.PARTICIPANT, participant.pk) not in existing:
            wanted.append(
                Reminder(
                    meeting=meeting,
                    kind=Reminder.Kind.PARTICIPANT,
                    participant=participant,
                    sequence=meeting.sequence,
                    due_at=participant_due,
                )
            )
    if (Reminder.Kind.COORDINATOR, None) not in existing:
        wanted.append(
            Reminder(
                meeting=meeting,
                kind=Reminder.Kind.COORDINATOR,
                sequence=meeting.sequence,
                due_at=due_at(meeting, COORDINATOR_DAYS_BEFORE),
            )
        )
    return Reminder.objects.bulk_create(wanted)


def due(now: datetime | None = None) -> list[int]:
    """The ids of the meeting reminders due at `now` and neither sent nor cancelled."""
    now = now or timezone.now()
    return list(
        Reminder.objects.filter(
            kind__in=[Reminder.Kind.PARTICIPANT, Reminder.Kind.COORDINATOR],
            sent_at__isnull=True,
            cancelled_at__isnull=True,
            due_at__lte=now,
        ).values_list("pk", flat=True)
    )


def _still_wanted(reminder: Reminder, now: datetime) -> bool:
    meeting = reminder.meeting
    if meeting.status != Meeting.Status.CONFIRMED or reminder.sequence != meeting.sequence:
        return False
    if meeting.is_follow_up and meeting.case.state != policy.HELD_IN[meeting.purpose]:
        # A follow-up meeting of a case no longer in follow-up (closed): nothing more is sent.
        return False
    if meeting.starts_at is None or meeting.starts_at <= now:
        return False
    if reminder.kind == Reminder.Kind.COORDINATOR:
        coordinator = meeting.case.coordinator
        return coordinator is not None and bool(coordinator.email) and coordinator.is_active
    participant = reminder.participant
    # Never to someone who withdrew (or declined) since the reminder was planned.
    return (
        participant is not None and policy.is_taking_part(participant) and bool(participant.email)
    )


def send_one(reminder_id: int, *, now: datetime | None = None) -> bool:
    """Send one reminder if it is still unsent and still wanted; True when a mail was queued.
    The claim and the mail commit together (see the module's docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_related(
                "meeting__case__coordinator", "meeting__venue", "participant"
            )
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at or reminder.cancelled_at:
            return False
        if not _still_wanted(reminder, now):
            Reminder.objects.filter(
                pk=reminder_id, sent_at__isnull=True, cancelled_at__isnull=True
            ).update(cancelled_at=now)
            return False
        claimed = Reminder.objects.filter(
            pk=reminder_id, sent_at__isnull=True, cancelled_at__isnull=True
        ).update(sent_at=now)
        if claimed != 1:
            return False  # another worker has sent it
        _queue(reminder)
    return True


def _queue(reminder: Reminder) -> None:
    from kring.scheduling.invitations import details

    meeting = reminder.meeting
    case = meeting.case
    if reminder.kind == Reminder.Kind.COORDINATOR:
        coordinator = case.coordinator
        assert coordinator is not None
        # To staff without content: that a meeting is near, and the link to the case.
        queue_mail(
            "scheduling.coordinator_reminder",
            to=coordinator.email,
            language=coordinator.language or "nl",
            context={
                "link": reverse("cases:detail", args=[case.pk]),
                "user": coordinator,
                "follow_up": meeting.is_follow_up,
            },
        )
        return
    participant = reminder.participant
    assert participant is not None
    queue_mail(
        "scheduling.reminder",
        to=participant.email,
        language=participant.language,
        context={
            **details(meeting),
            "participant_first_name": participant.name.split()[0],
            "contact": contact.for_case(case),
        },
    )


def send_due(now: datetime | None = None) -> int:
    """Send every reminder due at `now` in this process; the number sent."""
    return sum(send_one(pk, now=now) for pk in due(now))
