"""The meeting on the case page (issue 9, points 5 and 7): its date, time, venue and status for
every staff member who may see the case (the office included: a date and a venue are no case
content), and for the coordinator the steps to move or cancel it, read from the policy.
Registered with kring.cases.registry in scheduling.registration."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kring.core.policy import options
from kring.scheduling import policy
from kring.scheduling.models import Meeting

NEXT_STEP = _("Hold the conference on the date set. Move or cancel the meeting if needed.")


def current_meeting(case) -> Meeting | None:
    """The latest meeting of the case: confirmed, held (a follow-up meeting) or cancelled;
    None while a poll is open or nothing was planned."""
    meetings = list(case.meetings.select_related("venue").order_by("-created_at", "-pk")[:1])
    if not meetings or meetings[0].status == Meeting.Status.POLLING:
        return None
    return meetings[0]


def case_panel(case, user) -> tuple[str, dict[str, Any]] | None:
    meeting = current_meeting(case)
    if meeting is None:
        return None
    meeting.case = case
    may = options(move=policy.may_move(user, meeting), cancel=policy.may_cancel(user, meeting))
    held = policy.is_held(meeting)
    return "scheduling/_meeting_panel.html", {
        "meeting": meeting,
        "confirmed": meeting.status == Meeting.Status.CONFIRMED and not held,
        # A follow-up meeting whose time has passed: it has taken place (not "date set").
        "status": Meeting.Status.HELD.label if held else meeting.get_status_display(),
        "may": may,
    }
