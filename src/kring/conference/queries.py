"""Reads of the conference that several pages share (issue 10): which conference is the case's
now, and who is present. Each reads a fixed number of rows, whatever the size of the circle."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kring.cases.models import Case
from kring.circle.models import Participant
from kring.conference.models import Attendance, Conference, Round
from kring.scheduling.models import Meeting


def current_meeting(case: Case) -> Meeting | None:
    """The case's confirmed meeting, or else its latest one that has a date (cancelled): None
    while a poll is open or nothing was planned."""
    return (
        Meeting.objects.filter(case=case)
        .exclude(status=Meeting.Status.POLLING)
        .order_by("-created_at", "-pk")
        .first()
    )


def current_conference(case: Case, *, with_rounds: bool = False) -> Conference | None:
    """The conference of the case's current meeting (see `current_meeting`), or None while
    check-in has not begun. `with_rounds`: its rounds fetched with their participants, in order
    (what the policy of the rounds reads)."""
    meeting = current_meeting(case)
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
        conference.case = case
        conference.meeting = meeting
    return conference


def present_participants(conference: Conference) -> QuerySet[Participant]:
    """Who was there (the attendance recorded at check-in), by name: who signs the plan (R14)
    and is counted in the figures (R16)."""
    return Participant.objects.filter(
        attendance__conference=conference, attendance__present=True
    ).order_by("name", "pk")


def attendance_of(conference: Conference | None) -> dict[int, Attendance]:
    """{participant id: attendance} of the conference (empty before check-in began)."""
    if conference is None:
        return {}
    return {a.participant_id: a for a in Attendance.objects.filter(conference=conference)}
