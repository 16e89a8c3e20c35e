"""What each figure counts, defined once (issue 13, point 2; issue 15, point 4): the rows
(which conference records, answers, invitations and requests a period and its teams hold) and
the conditional counts over them. research.figures reads them straight from the rows
(`figures.compute_raw`); research.summary reads the same counts grouped by month and team into
its buckets, which `figures.compute` sums (docs/adr/0017-figures-summary.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from kring.cases.lifecycle import MOVES, State
from kring.cases.models import Case, CaseEvent, DeclineReason, StopReason
from kring.conference.models import Conference
from kring.followup.models import Closure, Outcome
from kring.research.models import (
    SCALE_FIELDS,
    YES_NO_FIELDS,
    Answer,
    AnswerRole,
    ConferenceRecord,
    Invitation,
    Round,
    Source,
    YesNo,
)
from kring.research.questionnaire import AGREES_FROM

# The funnel's cohort: not taken on (still new, or declined), and a plan signed.
NOT_TAKEN_ON = (State.REQUESTED, State.DECLINED)
PLAN_SIGNED = (State.FOLLOWING_UP, State.CLOSED)
# The timeline event the office's taking on writes.
TAKEN_ON_EVENT = MOVES["take_on"].event


def amsterdam_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


# --- the rows -----------------------------------------------------------------------------------


def records(start: date, end: date, team_ids: tuple[int, ...] | None) -> QuerySet[ConferenceRecord]:
    """The conference records held from `start` to `end` (days included) of `team_ids` (None:
    every team)."""
    found = ConferenceRecord.objects.filter(held_on__range=(start, end))
    if team_ids is not None:
        found = found.filter(team_id__in=team_ids)
    return found


def answers(start: date, end: date, team_ids: tuple[int, ...] | None) -> QuerySet[Answer]:
    """The answers to the first questionnaire of those conferences."""
    found = Answer.objects.filter(round=Round.FIRST, record__held_on__range=(start, end))
    if team_ids is not None:
        found = found.filter(record__team_id__in=team_ids)
    return found


def invitations(held: QuerySet[ConferenceRecord]) -> QuerySet[Invitation]:
    """The invitations to the first questionnaire of the live ones of `held`."""
    return Invitation.objects.filter(round=Round.FIRST, record__in=held.filter(source=Source.LIVE))


def requests(start: date, end: date, team_ids: tuple[int, ...] | None) -> QuerySet[Case]:
    """The requests that came in from `start` to `end` (Amsterdam days, included), of
    `team_ids` (None: every team and the requests without a team)."""
    found = Case.objects.filter(
        referral__submitted_at__gte=amsterdam_midnight(start),
        referral__submitted_at__lt=amsterdam_midnight(end + timedelta(days=1)),
    )
    if team_ids is not None:
        found = found.filter(team_id__in=team_ids)
    return found


# --- the counts ---------------------------------------------------------------------------------


def record_counts() -> dict:
    """Over conference records: how many, how many live, participants present in all."""
    return {
        "n": Count("pk"),
        "live": Count("pk", filter=Q(source=Source.LIVE)),
        "total": Sum("participants_present"),
    }


def agree(role: str, question: str) -> dict:
    """The conditional counts of one share: answered, and answered 4 or 5."""
    of_role = Q(role=role, **{f"{question}__isnull": False})
    return {
        f"{role}_{question}_n": Count("pk", filter=of_role),
        f"{role}_{question}_agree": Count(
            "pk", filter=Q(role=role, **{f"{question}__gte": AGREES_FROM})
        ),
    }


def answer_counts(shares: list[tuple[str, str]] | None = None) -> dict:
    """Over answers: per role; answered and agreeing for each (role, scale question) of
    `shares` (None: every role and scale question, as the summary keeps them); yes and yes-or-no
    for each change."""
    counts: dict = {
        f"answers_{role.value}": Count("pk", filter=Q(role=role)) for role in AnswerRole
    }
    if shares is None:
        shares = [(role.value, q) for role in AnswerRole for q in SCALE_FIELDS]
    for role, question in shares:
        counts.update(agree(role, question))
    for change in YES_NO_FIELDS:
        counts[f"{change}_yes"] = Count("pk", filter=Q(**{change: YesNo.YES}))
        counts[f"{change}_n"] = Count("pk", filter=Q(**{f"{change}__in": (YesNo.YES, YesNo.NO)}))
    return counts


def invitation_counts() -> dict:
    """Over invitations: sent and answered, per role."""
    return {
        **{f"sent_{role.value}": Count("pk", filter=Q(role=role)) for role in AnswerRole},
        **{
            f"done_{role.value}": Count("pk", filter=Q(role=role, answered_at__isnull=False))
            for role in AnswerRole
        },
    }


def funnel_counts() -> dict:
    """Over requests: how far each came, and why the others were declined or stopped."""
    held = Exists(Conference.objects.filter(case=OuterRef("pk"), started_at__isnull=False))
    kept = Exists(Closure.objects.filter(case=OuterRef("pk"), outcome=Outcome.ALL_KEPT))
    # Taken on: the office took it on (its timeline says so, even when it was declined after,
    # REFERRED → DECLINED), or it is in a state only a case taken on reaches (generated data
    # has no timeline).
    taken = Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind=TAKEN_ON_EVENT))
    counts = {
        "requests": Count("pk"),
        "taken_on": Count("pk", filter=Q(taken) | ~Q(state__in=NOT_TAKEN_ON)),
        "conferences_held": Count("pk", filter=Q(held)),
        "plans_signed": Count("pk", filter=Q(state__in=PLAN_SIGNED)),
        "plans_kept": Count("pk", filter=Q(kept)),
    }
    for reason in DeclineReason:
        counts[f"declined_{reason.value}"] = Count(
            "pk", filter=Q(state=State.DECLINED, decline_reason=reason)
        )
    for stop in StopReason:
        counts[f"stopped_{stop.value}"] = Count(
            "pk", filter=Q(state=State.STOPPED, stop_reason=stop)
        )
    return counts
