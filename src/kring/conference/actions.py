"""The actions of conference mode (issue 10, points 1 and 6; R10, R13): check-in, opening the
conference, the introductions, the rounds in the method's order, the informal part, and a
meeting that did not take place. One function each (docs/architecture.md "Actions"): one
transaction with the case locked, the policy (conference.policy) enforced, the timeline event
and the audit row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.audit.log import record
from kring.cases.actions import lock_case, log_event, make_move
from kring.cases.models import Case
from kring.circle.models import HAS_LEFT, Participant, Side
from kring.conference import policy
from kring.conference.models import Attendance, Conference, Round
from kring.conference.queries import conference_of, confirmed_meeting, present_participants
from kring.core.policy import Refusal, Refused, enforce, rule
from kring.scheduling.policy import is_taking_part

__all__ = [
    "both_sides_present",
    "check_in",
    "mark_introductions",
    "mark_repair_round",
    "mark_round_done",
    "open_conference",
    "round_order",
    "start",
]

NOTE_MAX = 500  # a short note, never a transcript (Round.note)

# --- the guard of the `hold` move ---------------------------------------------------------------


def both_sides_present(
    case: Case, *, conference: Conference | None = None, **_kw: Any
) -> str | Promise | None:
    """R10: the conference opens with someone of the responsible side and someone of the harmed
    side present (the rounds begin with them)."""
    present = (
        set(present_participants(conference).filter(case=case).values_list("side", flat=True))
        if conference is not None
        else set()
    )
    if Side.RESPONSIBLE not in present:
        return _("Check in the person responsible first: the rounds begin with them.")
    if Side.HARMED not in present:
        return _("Check in the person harmed first: without them there is no conference.")
    return None


# --- conference mode (issue 10, point 1; R10) ---------------------------------------------------


def locked(conference: Conference, *, with_rounds: bool = True) -> Conference:
    """The conference and its case read again under the case's row lock (the order every action
    of a case takes), with its meeting; `with_rounds`: and its rounds with their participants
    (what the rounds' policy reads)."""
    case = lock_case(conference.case)
    conferences = Conference.objects.select_related("meeting")
    if with_rounds:
        conferences = conferences.prefetch_related("rounds__participant")
    fresh = conferences.get(pk=conference.pk)
    fresh.case = case
    return fresh


def mark(
    conference: Conference,
    moment: str,
    may: Callable[[User, Conference], Refusal | None],
    event: str,
    /,
    *,
    by: User,
    **data: Any,
) -> Conference:
    """The conference reached a moment (`moment`, the field of its time: the introductions, the
    rounds, the informal part): under the case's lock, as `may` allows, with the timeline's
    `event`. One body for the steps that are no more than that."""
    with transaction.atomic():
        conference = locked(conference)
        enforce(may(by, conference))
        setattr(conference, moment, timezone.now())
        conference.save(update_fields=[moment])
        log_event(conference.case, event, by=by, **data)
    return conference


def open_conference(case: Case, *, by: User) -> Conference:
    """Check-in begins: the conference of the case's confirmed meeting, made once (a second
    call returns the same one)."""
    with transaction.atomic():
        case = lock_case(case)
        meeting = confirmed_meeting(case)
        existing = conference_of(meeting)
        if existing is not None:
            enforce(policy.may_run(by, case))
            existing.case = case
            return existing
        enforce(policy.may_check_in(by, case))
        assert meeting is not None  # may_check_in refuses a case without one
        conference = Conference.objects.create(case=case, meeting=meeting, created_by=by)
        conference.case = case
        record("conference.opened", actor=by, case=case, obj=conference)
    return conference


def check_in(
    conference: Conference, participant: Participant, *, present: bool, by: User
) -> Attendance:
    """Mark one person present, or expected and not there, before the conference opens. One
    audit row per change; check-in itself is no line on the timeline."""
    with transaction.atomic():
        conference = locked(conference)
        participant = Participant.objects.get(pk=participant.pk)
        enforce(policy.may_check_in(by, conference.case, conference, participant))
        attendance, _created = Attendance.objects.update_or_create(
            conference=conference,
            participant=participant,
            defaults={"present": present, "recorded_at": timezone.now(), "recorded_by": by},
        )
        record(
            "conference.checked_in",
            actor=by,
            case=conference.case,
            obj=attendance,
            data={"participant": participant.pk, "present": present},
        )
    return attendance


def round_order(people: list[Participant]) -> list[Participant]:
    """R10: the responsible side first, then the harmed side, then everyone else: those in the
    circle of someone responsible, then of someone harmed, then the others; by name within each.
    `people` with `supports` fetched."""

    def group(p: Participant) -> int:
        if p.side == Side.RESPONSIBLE:
            return 0
        if p.side == Side.HARMED:
            return 1
        supports = p.supports.side if p.supports is not None else None
        if supports == Side.RESPONSIBLE:
            return 2
        if supports == Side.HARMED:
            return 3
        return 4

    return sorted(people, key=lambda p: (group(p), p.name.casefold(), p.pk))


def start(conference: Conference, *, by: User) -> Conference:
    """The conference opens (the `hold` move: on the meeting's day, someone of each side is
    present). Whoever was expected and not checked in is recorded as not there, and so is
    whoever was checked in and has since stopped taking part (circle.models.HAS_LEFT); the
    rounds are made in R10's order for everyone present (queries.present_participants)."""
    with transaction.atomic():
        conference = locked(conference)
        case = conference.case
        enforce(policy.may_start(by, case, conference))
        now = timezone.now()
        make_move(case, "hold", by=by, conference=conference)
        checked = set(
            Attendance.objects.filter(conference=conference).values_list(
                "participant_id", flat=True
            )
        )
        Attendance.objects.bulk_create(
            Attendance(
                conference=conference,
                participant=p,
                present=False,
                recorded_at=now,
                recorded_by=by,
            )
            for p in case.participants.all()
            if is_taking_part(p) and p.pk not in checked
        )
        for attendance in Attendance.objects.filter(
            conference=conference, present=True, participant__status__in=HAS_LEFT
        ):
            attendance.present, attendance.recorded_at, attendance.recorded_by = False, now, by
            attendance.save(update_fields=["present", "recorded_at", "recorded_by"])
            record(
                "conference.checked_in",
                actor=by,
                case=case,
                obj=attendance,
                data={"participant": attendance.participant_id, "present": False},
            )
        present = list(present_participants(conference).select_related("supports"))
        Round.objects.bulk_create(
            Round(conference=conference, participant=p, position=position)
            for position, p in enumerate(round_order(present), start=1)
        )
        conference.started_at = now
        conference.save(update_fields=["started_at"])
        # The rounds read under the lock were none; the caller reads the ones just made.
        getattr(conference, "_prefetched_objects_cache", {}).pop("rounds", None)
    return conference


def mark_introductions(conference: Conference, *, by: User) -> Conference:
    """R10: everyone present was introduced by name."""
    return mark(
        conference,
        "introductions_done_at",
        policy.may_mark_introductions,
        "conference.introductions_done",
        by=by,
    )


def mark_round_done(turn: Round, *, note: str = "", by: User) -> Round:
    """R10: one person's round is done, in turn (conference.policy.may_mark_round). `note`: a
    short note if the coordinator wishes; it never goes into the timeline, the audit log or a
    URL."""
    note = note.strip()
    with transaction.atomic():
        conference = locked(turn.conference)
        turn = next(r for r in conference.rounds.all() if r.pk == turn.pk)
        enforce(policy.may_mark_round(by, turn))
        if len(note) > NOTE_MAX:
            raise Refused(
                rule(
                    "note_too_long",
                    _("Keep the note short: at most %(max)s characters.") % {"max": NOTE_MAX},
                )
            )
        turn.done_at = timezone.now()
        turn.note = note
        turn.save(update_fields=["done_at", "note"])
        log_event(
            conference.case,
            "conference.round_done",
            by=by,
            participant=turn.participant_id,
            position=turn.position,
        )
    return turn


def mark_repair_round(conference: Conference, *, by: User) -> Conference:
    """R10: after every round, whoever wants to put something right has responded; the plan may
    begin (R12)."""
    return mark(
        conference, "rounds_done_at", policy.may_mark_repair_round, "conference.rounds_done", by=by
    )
