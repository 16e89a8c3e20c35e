"""Reads of the conference that several pages and actions share (issue 10), each defined once:
which meeting and which conference are the case's now, and who is present. Each reads a fixed
number of rows, whatever the size of the circle.

Only the conference's meetings (purpose "conference"): a follow-up meeting planned while the
case is in follow-up (issue 12) is scheduling's, never the conference's.

"Current" (for every page of the conference): a case has at most one open conference meeting
(scheduling's `meeting_one_open_per_case_purpose`). Its current meeting is the confirmed one; without one, the latest
meeting that had a date and ended (cancelled, or recorded as not held); never a meeting whose
date poll is still open. Its current conference is that meeting's conference, once check-in
began. A case back in preparation after a conference that did not go on keeps that conference
as its current one until a new meeting is confirmed."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kring.cases.models import Case
from kring.circle.models import HAS_LEFT, Participant, Side
from kring.conference.models import Attendance, Conference, Plan, Round
from kring.scheduling.models import Meeting


def current_meetings(case: Case | int) -> QuerySet[Meeting]:
    """The case's meetings that had a date, the current one first (see the module's docstring):
    `.first()` is `current_meeting`, `.values("pk")[:1]` the same as a subquery."""
    return (
        Meeting.objects.filter(case=case, purpose=Meeting.Purpose.CONFERENCE)
        .exclude(status=Meeting.Status.POLLING)
        .order_by("-created_at", "-pk")
    )


def current_meeting(case: Case) -> Meeting | None:
    """The case's confirmed meeting, or else its latest one that had a date (cancelled or not
    held): None while a poll is open and nothing was planned before."""
    return current_meetings(case).first()


def confirmed_meeting(case: Case) -> Meeting | None:
    """The case's meeting whose date is set: the one that would be held (at most one is open)."""
    return Meeting.objects.filter(
        case=case, purpose=Meeting.Purpose.CONFERENCE, status=Meeting.Status.CONFIRMED
    ).first()


def conference_of(meeting: Meeting | None, *, with_rounds: bool = False) -> Conference | None:
    """The conference of `meeting`, once check-in began (None before, or without a meeting).
    `with_rounds`: its rounds fetched with their participants, in order (what the policy of the
    rounds reads)."""
    if meeting is None:
        return None
    conferences = Conference.objects.filter(meeting=meeting)
    if with_rounds:
        conferences = conferences.prefetch_related(
            Prefetch(
                "rounds",
                queryset=Round.objects.select_related("participant__supports").order_by(
                    "position", "pk"
                ),
            )
        )
    conference = conferences.first()
    if conference is not None:
        conference.meeting = meeting
    return conference


def current_conference(case: Case, *, with_rounds: bool = False) -> Conference | None:
    """The conference of the case's current meeting (see the module's docstring), or None while
    check-in has not begun; `with_rounds` as in `conference_of`."""
    conference = conference_of(current_meeting(case), with_rounds=with_rounds)
    if conference is not None:
        conference.case = case
    return conference


def plan_of(conference: Conference | None) -> Plan | None:
    """The conference's plan, once begun (None before, or without a conference)."""
    if conference is None:
        return None
    plan = Plan.objects.filter(conference=conference).first()
    if plan is not None:
        plan.conference = conference
        if Conference.case.is_cached(conference):
            plan.case = conference.case
    return plan


# --- who is there --------------------------------------------------------------------------------


def present_participants(conference: Conference) -> QuerySet[Participant]:
    """Who is there (the attendance recorded at check-in), by name: who makes the plan (R11),
    signs it (R14) and is counted in the figures (R16). Not whoever has stopped taking part
    (declined or withdrew, circle.models.HAS_LEFT, R9) since check-in: before the start they
    do not count for it (conference.actions.both_sides_present) and get no round; after it,
    they keep their round done, but are no longer offered in the plan nor listed in it."""
    return (
        Participant.objects.filter(attendance__conference=conference, attendance__present=True)
        .exclude(status__in=HAS_LEFT)
        .order_by("name", "pk")
    )


def is_harmed_side(participant: Participant) -> bool:
    """A person harmed, or someone in the circle of one (R11: the plan opens with their words).
    `participant` with `supports` fetched."""
    if participant.side == Side.HARMED:
        return True
    supports = participant.supports
    return supports is not None and supports.side == Side.HARMED


def harmed_side(people: list[Participant]) -> list[Participant]:
    """Of `people` (present, by name), the harmed side: the persons harmed first, then their
    circle; who may answer "what would be a good outcome?" (R11)."""
    return sorted((p for p in people if is_harmed_side(p)), key=lambda p: p.side != Side.HARMED)


def attendance_of(conference: Conference | None) -> dict[int, Attendance]:
    """{participant id: attendance} of the conference (empty before check-in began)."""
    if conference is None:
        return {}
    return {a.participant_id: a for a in Attendance.objects.filter(conference=conference)}
