"""Reminders of follow-up (issue 12, point 3), each sent exactly once: the proof is a
SentReminder row with a unique `key`, written in the same transaction as its mail (queue_mail),
so a task run twice, two workers, or a worker restarted in the middle still send one.

- `due_soon(now) -> int`: to the owner of each current agreement that is open or partly done,
  with an e-mail address, whose date is KRING_DUE_REMINDER_DAYS days away or less (and not
  passed): key "due:<tracked id>:<due date>" (a new date, a new reminder). A mail in plain
  Dutch (B1) without the agreement's text: that a date is near, and a link to the personal page
  is not put in the mail (the personal link is the participant's own; they use it).
- `digest(now) -> int`: once a week (the ISO week in Amsterdam), to each coordinator with cases
  in follow-up that have overdue agreements or unanswered reports: key
  "digest:<user id>:<ISO year>-W<week>"; the mail says how many, per case reference, and links
  to the cases: no names, no text.
- `contact_due(now) -> int`: the follow-up Contact whose day has come and is not done: a mail
  to the coordinator, key "contact:<contact id>".
- `send_all(now=None) -> dict[str, int]`: all three (what the periodic task runs).
Nothing is sent for a case that is not in follow-up any more (closed). The candidates are read
without a lock; each mail is then sent under the lock of its case (cases.actions.lock_case, the
lock closing and every follow-up action take), after reading again that the case is still in
follow-up and the reminder still due: a case closed, an agreement kept or a contact recorded
between the two reads gets nothing. The digest locks the coordinator's cases in follow-up and
counts again under those locks.

Who gets nothing: a participant without an e-mail address or who stopped taking part (or said
no), a coordinator who is inactive or has no address. Their reminder is not claimed, so it goes
out if that changes while it is still due. Nothing is sent before SEND_FROM (Amsterdam time):
a mail about a date reaches people in the morning, not at seven past midnight.

The claim: inside the reminder's transaction the SentReminder row is inserted first, in a
savepoint; a second worker's insert of the same key fails (IntegrityError) and sends nothing.
Then the mail is queued and the row points at it. A worker stopped before the commit leaves
neither row nor mail (the next hour sends it); one stopped after it leaves the mail to the
outbox's sweep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from kring.accounts import contact
from kring.accounts.models import User
from kring.cases.actions import lock_case
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.circle import links
from kring.circle.models import HAS_LEFT
from kring.followup import queries
from kring.followup.models import STILL_OPEN, Contact, Report, SentReminder, TrackedAgreement
from kring.notifications.mail import queue_mail
from kring.notifications.models import OutgoingMail

# Local time (Amsterdam) from which the reminders of a day go out.
SEND_FROM = time(8, 0)


def _local(now: datetime) -> datetime:
    return timezone.localtime(now)


def _sending_hours(now: datetime) -> bool:
    return _local(now).time() >= SEND_FROM


def _already_sent(keys: list[str]) -> set[str]:
    return set(SentReminder.objects.filter(key__in=keys).values_list("key", flat=True))


def _claim(key: str, kind: str, case: Case | None, now: datetime) -> SentReminder | None:
    """Insert the proof of `key` in a savepoint of the caller's transaction; None when another
    run has it already."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(key=key, kind=kind, case=case, sent_at=now)
    except IntegrityError:
        return None


def _send_once(
    key: str,
    kind: str,
    case: Case | None,
    now: datetime,
    queue: Callable[[], OutgoingMail],
    *,
    still_due: Callable[[], bool] | None = None,
) -> bool:
    """Claim `key` and queue its mail (`queue()` returns the OutgoingMail) in one transaction.
    With a `case`: under its lock, and only while it is still in follow-up and `still_due()`
    (read again under the lock) says the reminder is still wanted; otherwise nothing is claimed
    or sent."""
    with transaction.atomic():
        if case is not None and lock_case(case).state != State.FOLLOWING_UP:
            return False
        if still_due is not None and not still_due():
            return False
        sent = _claim(key, kind, case, now)
        if sent is None:
            return False
        sent.mail = queue()
        sent.save(update_fields=["mail"])
    return True


def _reachable_coordinator(user: User | None) -> bool:
    return user is not None and user.is_active and bool(user.email)


# --- to the owner: a date is near -----------------------------------------------------------------


def due_key(tracked: TrackedAgreement) -> str:
    return f"due:{tracked.pk}:{tracked.due.isoformat() if tracked.due else ''}"


def _due_soon_candidates(today: date) -> QuerySet[TrackedAgreement]:
    return (
        TrackedAgreement.objects.filter(
            case__state=State.FOLLOWING_UP,
            state__in=STILL_OPEN,  # never "changed": a replaced row is history
            due__gte=today,
            due__lte=today + timedelta(days=settings.KRING_DUE_REMINDER_DAYS),
            owner__isnull=False,
        )
        .exclude(owner__email="")
        .exclude(owner__status__in=HAS_LEFT)
        .select_related("owner", "case__coordinator")
        .order_by("due", "pk")
    )


def due_soon(now: datetime) -> int:
    """Remind each owner of an agreement whose date is near, once per agreement and date; the
    number of mails queued."""
    if not _sending_hours(now):
        return 0
    candidates = list(_due_soon_candidates(_local(now).date()))
    done = _already_sent([due_key(tracked) for tracked in candidates])
    return sum(
        _remind_owner(tracked, now) for tracked in candidates if due_key(tracked) not in done
    )


def _remind_owner(tracked: TrackedAgreement, now: datetime) -> bool:
    """The reminder of `tracked` (as read before any lock), sent once, while its case is still
    in follow-up and the agreement still waits to be kept on the same date."""

    def still_due() -> bool:
        return TrackedAgreement.objects.filter(
            pk=tracked.pk, state__in=STILL_OPEN, due=tracked.due
        ).exists()

    return _send_once(
        due_key(tracked),
        SentReminder.Kind.DUE_SOON,
        tracked.case,
        now,
        partial(_mail_due_soon, tracked),
        still_due=still_due,
    )


def _mail_due_soon(tracked: TrackedAgreement) -> OutgoingMail:
    # B1, "je", without the agreement's text: only which date, and where to read it.
    owner = tracked.owner
    assert owner is not None
    return queue_mail(
        "followup.due_soon",
        to=owner.email,
        language=owner.language,
        context={
            "participant_first_name": owner.name.split()[0] if owner.name else "",
            "due": tracked.due,
            "code_url": links.code_url(),
            "contact": contact.for_case(tracked.case),
        },
    )


# --- to the coordinator: the weekly digest --------------------------------------------------------


@dataclass(frozen=True)
class CaseCount:
    """One line of a digest: a case's reference, its overdue agreements, its unanswered reports,
    and the address of its tracker. No names, no text."""

    reference: str
    overdue: int
    unanswered: int
    link: str


def digest_key(user_id: int, today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"digest:{user_id}:{year}-W{week:02d}"


def digest_lines(today: date, coordinator: User | None = None) -> dict[int, list[CaseCount]]:
    """Per coordinator (user id; only `coordinator` when given), the cases in follow-up with
    something overdue or waiting, by reference. A fixed number of queries, however many cases
    and agreements."""
    in_follow_up: dict[str, Any] = {"case__state": State.FOLLOWING_UP}
    if coordinator is not None:
        in_follow_up["case__coordinator"] = coordinator
    overdue = dict(
        TrackedAgreement.objects.filter(queries.overdue_q(today), **in_follow_up)
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    unanswered = dict(
        Report.objects.filter(answered_at__isnull=True, **in_follow_up)
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    cases = Case.objects.filter(
        pk__in=set(overdue) | set(unanswered),
        state=State.FOLLOWING_UP,
        coordinator__isnull=False,
    ).select_related("referral")
    lines: dict[int, list[CaseCount]] = defaultdict(list)
    for case in cases:
        assert case.coordinator_id is not None
        lines[case.coordinator_id].append(
            CaseCount(
                reference=case.reference,
                overdue=overdue.get(case.pk, 0),
                unanswered=unanswered.get(case.pk, 0),
                link=settings.SITE_URL + reverse("followup:tracker", args=[case.pk]),
            )
        )
    for user_lines in lines.values():
        user_lines.sort(key=lambda line: line.reference)
    return lines


def digest(now: datetime) -> int:
    """The weekly overview for each coordinator with something overdue or waiting, once per ISO
    week; the number of mails queued."""
    if not _sending_hours(now):
        return 0
    today = _local(now).date()
    lines = digest_lines(today)
    done = _already_sent([digest_key(user_id, today) for user_id in lines])
    wanted = [user_id for user_id in lines if digest_key(user_id, today) not in done]
    coordinators = User.objects.in_bulk(wanted)
    count = 0
    for user_id in sorted(wanted):
        user = coordinators.get(user_id)
        if user is None or not _reachable_coordinator(user):
            continue
        count += _send_digest(user, today, now)
    return count


def _send_digest(user: User, today: date, now: datetime) -> bool:
    """The week's digest to `user`, counted again under the locks of their cases in follow-up
    (a case closed, an agreement kept or a report answered since the first read no longer
    counts); nothing when nothing is left. Claimed and queued in that same transaction."""
    with transaction.atomic():
        list(
            Case.objects.select_for_update(no_key=True)
            .filter(coordinator=user, state=State.FOLLOWING_UP)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        user_lines = digest_lines(today, coordinator=user).get(user.pk, [])
        if not user_lines:
            return False

        def queue() -> OutgoingMail:
            return queue_mail(
                "followup.digest",
                to=user.email,
                language=user.language or "nl",
                context={
                    "user": user,
                    "lines": user_lines,
                    "overdue": sum(line.overdue for line in user_lines),
                    "unanswered": sum(line.unanswered for line in user_lines),
                },
            )

        return _send_once(digest_key(user.pk, today), SentReminder.Kind.DIGEST, None, now, queue)


# --- to the coordinator: the follow-up contact is due ---------------------------------------------


def contact_key(contact_row: Contact) -> str:
    return f"contact:{contact_row.pk}"


def contact_due(now: datetime) -> int:
    """Tell the coordinator on the day a follow-up contact falls due (or the first run after);
    the number of mails queued."""
    if not _sending_hours(now):
        return 0
    today = _local(now).date()
    contacts = list(
        Contact.objects.filter(
            case__state=State.FOLLOWING_UP, done_at__isnull=True, due_on__lte=today
        )
        .select_related("case__referral", "case__coordinator")
        .order_by("due_on", "pk")
    )
    done = _already_sent([contact_key(row) for row in contacts])
    return sum(
        _remind_contact(row, now)
        for row in contacts
        if contact_key(row) not in done and _reachable_coordinator(row.case.coordinator)
    )


def _remind_contact(row: Contact, now: datetime) -> bool:
    """The reminder of the contact `row` (as read before any lock) to the case's coordinator,
    sent once, while the case is still in follow-up and the contact is not recorded."""
    coordinator = row.case.coordinator
    assert coordinator is not None

    def still_due() -> bool:
        return Contact.objects.filter(pk=row.pk, done_at__isnull=True).exists()

    return _send_once(
        contact_key(row),
        SentReminder.Kind.CONTACT,
        row.case,
        now,
        partial(_mail_contact_due, row, coordinator),
        still_due=still_due,
    )


def _mail_contact_due(row: Contact, coordinator: User) -> OutgoingMail:
    # Without content: that the contact is due in which case, and the tracker's link.
    return queue_mail(
        "followup.contact_due",
        to=coordinator.email,
        language=coordinator.language or "nl",
        context={
            "user": coordinator,
            "reference": row.case.reference,
            "link": settings.SITE_URL + reverse("followup:tracker", args=[row.case_id]),
        },
    )


def send_all(now: datetime | None = None) -> dict[str, int]:
    """Every reminder due at `now` (the hourly task); how many of each kind were queued."""
    now = now or timezone.now()
    return {
        "due_soon": due_soon(now),
        "digest": digest(now),
        "contact": contact_due(now),
    }
