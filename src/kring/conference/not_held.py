"""A meeting that did not take place (issue 10, point 6): recorded from the meeting's day on
(before it, cancelling the meeting is what tells everyone: conference.policy), before the
conference opened, with why. The meeting ends without a cancellation mail
(scheduling.actions.end_not_held: the bookings released, the reminders cancelled), and the case
goes back to preparation for a new date (the lifecycle's `unschedule` move) or is stopped with a
reason (cases.actions.stop)."""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.cases import actions as case_actions
from kring.cases import policy as case_policy
from kring.cases.models import Case, StopReason
from kring.conference import policy
from kring.conference.models import Conference, NotHeldReason
from kring.conference.queries import conference_of, confirmed_meeting
from kring.core.policy import Refused, enforce, rule
from kring.scheduling import actions as scheduling_actions

Then = Literal["prepare", "stop"]


def record_not_held(
    case: Case, *, reason: str, then: Then, stop_reason: str = "", by: User
) -> Conference:
    """The coordinator records that the meeting did not take place, and why (a NotHeldReason).
    `then="prepare"`: back to preparation to find a new date; `then="stop"`: the case stops,
    with `stop_reason` (a StopReason of the case)."""
    if then not in ("prepare", "stop"):
        raise ValueError(then)
    with transaction.atomic():
        case = case_actions.lock_case(case)
        meeting = confirmed_meeting(case)
        conference = conference_of(meeting)
        enforce(policy.may_record_not_held(by, case, conference))
        assert meeting is not None  # the policy refuses a case without a confirmed meeting
        if reason not in NotHeldReason.values:
            raise Refused(rule("not_held_reason", _("Choose why the conference did not go on.")))
        if then == "stop":
            enforce(case_policy.may_stop(by, case))
            if stop_reason not in StopReason.values:
                raise Refused(rule("stop_reason", _("Choose why the case is stopped.")))
        if conference is None:
            conference = Conference.objects.create(case=case, meeting=meeting, created_by=by)
        conference.not_held_at = timezone.now()
        conference.not_held_reason = reason
        conference.save(update_fields=["not_held_at", "not_held_reason"])
        case_actions.log_event(
            case, "conference.not_held", by=by, conference=conference.pk, reason=reason, then=then
        )
        # Ended first, so that stopping the case finds no meeting left to call off (with mail).
        scheduling_actions.end_not_held(meeting, case, by=by)
        if then == "prepare":
            case_actions.make_move(case, "unschedule", by=by, meeting=meeting.pk)
        else:
            case_actions.stop(case, reason=stop_reason, by=by)
    return conference
