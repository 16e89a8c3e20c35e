"""Retention (issue 14, point 7; docs/data-retention.md): erase what the privacy statement
promises to erase, when it is due.

- `kept_until(case) -> date | None`: the last day a case is kept. A declined request: the day of
  the decline plus KRING_RETENTION_DECLINED_MONTHS; a stopped case: the day it was stopped plus
  KRING_RETENTION_STOPPED_YEARS; a closed case: the latest date the apps give
  (`registry.retention_dates`: follow-up's `retain_until`), or without one the day it was closed
  plus the stopped years. An open case: None, never due. The day of the decline, stop or close
  is that of the timeline event that moved the case into its state.
- `due_cases(now=...) -> Iterator[Due]`: every case due for erasure now: its last day has
  passed, no legal hold is active (privacy.holds) and it was not erased before (a CaseErasure).
  Read in SQL, in chunks of primary keys: a million cases are never loaded at once. The apps'
  dates of a closed case come as SQL expressions (`registry.with_retention_dates`), so
  the closed cases whose dates have not passed are left out in SQL, and a run costs as many
  queries with a thousand closed cases as with a million (issue 15).
- `erase(case_id, now=...) -> CaseErasure | None`: erase one case, in its own transaction: lock
  the case, ask again whether it is due (a hold placed meanwhile, an erasure done by another
  run: None, nothing changed), `registry.erase_case` (each app's eraser), a CaseErasure, a line
  on the timeline ("case.erased", actor: Kring) and an audit row with ids and counts only.
- `purge_outbox(now=...) -> int`: empty the recipient, subject, bodies, secret, attachments and
  error of every mail sent or given up more than KRING_RETENTION_OUTBOX_DAYS ago (the row, its
  kind, status and dates stay: signing and follow-up read a mail's status); one audit row per
  chunk with the count. A mail still waiting to be sent is never touched.
- `run(now=..., dry_run=...)`: all of it, for `kring retention` and the nightly task. Resumable:
  each case is its own transaction, so a run that stops halfway leaves the finished cases erased
  and the rest due for the next run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kring.audit.actors import SYSTEM
from kring.audit.log import record
from kring.cases import registry
from kring.cases.actions import lock_case, log_event
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.core.dates import add_months
from kring.notifications import outbox
from kring.notifications.models import OutgoingMail
from kring.privacy.models import CaseErasure, ErasureReason, LegalHold

logger = logging.getLogger("kring.privacy")

# The timeline's line and the audit rows (ids, codes and counts only; never what was erased).
ERASED = "case.erased"
ERASURE_MADE = "privacy.erasure_made"
OUTBOX_PURGED = "privacy.outbox_purged"

# The states whose cases are erased once their time has passed, and why.
REASONS: dict[str, str] = {
    State.DECLINED: ErasureReason.DECLINED,
    State.STOPPED: ErasureReason.STOPPED,
    State.CLOSED: ErasureReason.CLOSED,
}
CHUNK = 500
MAIL_CHUNK = 1000


@dataclass(frozen=True)
class Due:
    """A case due for erasure: its reference, why (ErasureReason) and since which day."""

    case_id: int
    reference: str
    reason: str
    due_since: date


@dataclass
class Report:
    """What a run found and did: due cases per reason, cases erased, mails emptied, failures."""

    due: Counter[str] = field(default_factory=Counter)
    erased: int = 0
    mails: int = 0
    failed: list[int] = field(default_factory=list)


def _period_months(reason: str) -> int:
    if reason == ErasureReason.DECLINED:
        return int(settings.KRING_RETENTION_DECLINED_MONTHS)
    return 12 * int(settings.KRING_RETENTION_STOPPED_YEARS)


def _last_day(reason: str, ended_at: datetime | None, dates: Iterable[date] = ()) -> date | None:
    """The last day kept: the apps' latest date for a closed case, else the end plus the
    period of its reason."""
    dates = list(dates)
    if reason == ErasureReason.CLOSED and dates:
        return max(dates)
    if ended_at is None:
        return None
    return add_months(timezone.localtime(ended_at).date(), _period_months(reason))


def _ended_at() -> Subquery:
    """When the case moved into its present state: the latest timeline event that did."""
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), to_state=OuterRef("state"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def kept_until(case: Case) -> date | None:
    """The last day `case` is kept (module docstring); None while it is open."""
    reason = REASONS.get(case.state)
    if reason is None:
        return None
    ended_at = (
        CaseEvent.objects.filter(case=case, to_state=case.state)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    dates = registry.retention_dates(case) if reason == ErasureReason.CLOSED else ()
    return _last_day(reason, ended_at, dates)


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def _candidates(state: str) -> QuerySet[Case]:
    """Cases in `state` that were not erased and are not held."""
    return (
        Case.objects.filter(state=state)
        .exclude(Exists(CaseErasure.objects.filter(case=OuterRef("pk"))))
        .exclude(Exists(active_holds().filter(case=OuterRef("pk"))))
    )


def due_cases(
    *, now: datetime | None = None, case_ids: Iterable[int] | None = None, chunk: int = CHUNK
) -> Iterator[Due]:
    """Every case due for erasure at `now` (module docstring), by state, in order of id.
    `case_ids`: only those cases."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    only = list(case_ids) if case_ids is not None else None
    for state, reason in REASONS.items():
        candidates = _candidates(state).annotate(ended_at=_ended_at())
        if only is not None:
            candidates = candidates.filter(pk__in=only)
        # A superset in SQL (a month's last days: a few days more), exact below.
        months = _period_months(reason)
        first_kept = add_months(today, -months) + timedelta(days=4)
        ended_long_ago = Q(ended_at__lt=_start_of(first_kept))
        names: list[str] = []
        if reason == ErasureReason.CLOSED:
            candidates, names = registry.with_retention_dates(candidates)
            # Every app's date has passed; without any date, the end plus the period counts.
            passed = Q()
            for name in names:
                passed &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lt": today})
                ended_long_ago |= Q(**{f"{name}__isnull": False})
            candidates = candidates.filter(passed & ended_long_ago)
        else:
            candidates = candidates.filter(ended_long_ago)
        last = 0
        while True:
            page = list(
                candidates.filter(pk__gt=last).select_related("referral").order_by("pk")[:chunk]
            )
            if not page:
                break
            last = page[-1].pk
            for case in page:
                dates = [d for name in names if (d := getattr(case, name)) is not None]
                until = _last_day(reason, case.ended_at, dates)
                if until is not None and until < today:
                    yield Due(case.pk, case.reference, reason, until + timedelta(days=1))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def due_for(case_id: int, *, now: datetime | None = None) -> Due | None:
    """Whether one case is due now (the same answer as due_cases), or None."""
    return next(due_cases(now=now, case_ids=[case_id]), None)


def erase(case_id: int, *, now: datetime | None = None) -> CaseErasure | None:
    """Erase one due case (module docstring). None: not due (any more), nothing changed."""
    with transaction.atomic():
        try:
            case = lock_case(Case(pk=case_id))
        except Case.DoesNotExist:
            return None
        due = due_for(case.pk, now=now)
        if due is None:
            return None
        rows = registry.erase_case(case)
        erasure = CaseErasure.objects.create(
            case=case,
            erased_at=timezone.now(),
            reason=due.reason,
            due_since=due.due_since,
            rows=rows,
        )
        # Last: the records hold the audit chain's lock to the commit (ADR 0012, "Deadlocks").
        log_event(case, ERASED, by=SYSTEM, reason=due.reason)
        record(
            ERASURE_MADE,
            actor=SYSTEM,
            case=case,
            obj=erasure,
            data={"reason": due.reason, "rows": rows, "due_since": due.due_since.isoformat()},
        )
    return erasure


def _outbox_due(now: datetime) -> QuerySet[OutgoingMail]:
    cutoff = now - timedelta(days=int(settings.KRING_RETENTION_OUTBOX_DAYS))
    emptied = Q(to="", subject="", body_text="", body_html="", secret="")
    return (
        OutgoingMail.objects.filter(
            status__in=(OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED)
        )
        .alias(done_at=Coalesce("sent_at", "claimed_at", "created_at"))
        .filter(done_at__lt=cutoff)
        .exclude(emptied)
    )


def outbox_due_count(*, now: datetime | None = None) -> int:
    return _outbox_due(now or timezone.now()).count()


def purge_outbox(*, now: datetime | None = None, chunk: int = MAIL_CHUNK) -> int:
    """Empty the mails sent or given up before KRING_RETENTION_OUTBOX_DAYS (module docstring);
    returns how many."""
    now = now or timezone.now()
    total = 0
    last = 0
    while True:
        with transaction.atomic():
            due = _outbox_due(now).filter(pk__gt=last).order_by("pk")
            ids = list(due.values_list("pk", flat=True)[:chunk])
            if not ids:
                break
            last = ids[-1]
            done = outbox.empty(OutgoingMail.objects.filter(pk__in=ids))
            record(OUTBOX_PURGED, actor=SYSTEM, data={"mails": done})
        total += done
    return total


def run(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    on_case: Callable[[Due, bool], None] | None = None,
) -> Report:
    """Erase every due case, each in its own transaction, then the outbox; `dry_run` only
    counts. `on_case(due, erased)` is told of each due case (for the command's list and
    progress). A case whose erasure fails is logged by id and left due for the next run."""
    now = now or timezone.now()
    report = Report()
    for due in due_cases(now=now):
        report.due[due.reason] += 1
        erased = False
        if not dry_run:
            try:
                erased = erase(due.case_id, now=now) is not None
            except Exception:
                logger.exception("retention: erasing case %s failed", due.case_id)
                report.failed.append(due.case_id)
        report.erased += int(erased)
        if on_case is not None:
            on_case(due, erased)
    report.mails = outbox_due_count(now=now) if dry_run else purge_outbox(now=now)
    return report
