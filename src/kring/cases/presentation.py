"""How a case is shown: the task list of the whole process, timeline lines, the next step."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.cases.lifecycle import ENDS, State
from kring.cases.models import DeclineReason, HandBackReason, StopReason

# Every step of DESIGN.md's lifecycle, in order, with the rules it stands for.
STEPS = [
    (State.REQUESTED, _("Request received (R1)")),
    (State.REFERRED, _("Taken on by the office")),
    (State.ASSIGNED, _("Independent coordinator accepted (R2)")),
    (State.PREPARING, _("Preparation: the circle, acknowledgment, consent (R3–R9)")),
    (State.SCHEDULED, _("Conference date and room set (R8)")),
    (State.CONFERENCE_HELD, _("Conference held and plan signed (R10–R14)")),
    (State.FOLLOWING_UP, _("Follow-up of the agreements (R15)")),
    (State.CLOSED, _("Closed with an outcome")),
]
# The steps Kring can do so far; later issues add theirs (ROADMAP.md).
AVAILABLE = {State.REQUESTED, State.REFERRED, State.ASSIGNED}
_ORDER = {state: i for i, (state, _label) in enumerate(STEPS)}

EVENT_LABELS = {
    "case.requested": _("Request received"),
    "case.taken_on": _("Taken on by the office"),
    "case.declined": _("Declined"),
    "case.offered": _("Offered to a coordinator"),
    "case.offer_withdrawn": _("Offer withdrawn"),
    "case.assigned": _("Coordinator accepted and declared independence (R2)"),
    "case.handed_back": _("Handed back by the coordinator"),
    "case.reassigned": _("Reassigned: the coordinator's access ended"),
    "case.stopped": _("Stopped"),
}
REASON_LABELS = {
    **dict(DeclineReason.choices),
    **dict(StopReason.choices),
    **dict(HandBackReason.choices),
}


@dataclass(frozen=True)
class Step:
    label: str
    status: str  # "done", "current", "todo", "unavailable", "not_reached"
    status_label: str


STATUS_LABELS = {
    "done": _("Done"),
    "current": _("Now"),
    "todo": _("To do"),
    "unavailable": _("Not yet available"),
    "not_reached": _("Not reached"),
}


def task_list(case) -> list[Step]:
    """Each lifecycle step with its state for this case; uses no query."""
    ended = case.state in ENDS and case.state != State.CLOSED
    reached = _ORDER.get(case.state)
    if ended:
        # A declined or stopped case reached the step it was in before it ended.
        reached = _ORDER.get(_last_open_state(case), 0)
    steps = []
    for state, label in STEPS:
        index = _ORDER[state]
        if index < reached or (index == reached and (ended or case.state == State.CLOSED)):
            status = "done"
        elif index == reached:
            status = "current"
        elif ended:
            status = "not_reached"
        elif state not in AVAILABLE:
            status = "unavailable"
        else:
            status = "todo"
        steps.append(Step(label, status, STATUS_LABELS[status]))
    return steps


def _last_open_state(case) -> str:
    events = getattr(case, "timeline", None)
    if events:
        for event in reversed(events):
            if event.from_state and event.to_state in ENDS:
                return event.from_state
    return State.REQUESTED


@dataclass(frozen=True)
class TimelineLine:
    at: object
    label: str
    actor: str
    detail: str


def timeline(events, users_by_id: dict[int, User]) -> list[TimelineLine]:
    lines = []
    for event in events:
        details = []
        coordinator = users_by_id.get(event.data.get("coordinator"))
        if coordinator is not None:
            details.append(str(coordinator))
        reason = event.data.get("reason")
        if reason:
            details.append(str(REASON_LABELS.get(reason, "")))
        lines.append(
            TimelineLine(
                at=event.at,
                label=str(EVENT_LABELS.get(event.kind, event.kind)),
                actor=str(event.actor) if event.actor else str(_("the requester")),
                detail=" · ".join(d for d in details if d),
            )
        )
    return lines


def referenced_user_ids(events) -> set[int]:
    return {e.data["coordinator"] for e in events if isinstance(e.data.get("coordinator"), int)}


NEXT_STEPS = {
    State.REQUESTED: _("The office reads the request and takes it on or declines it."),
    State.REFERRED: _("Offer the case to an independent coordinator, who accepts it."),
    State.ASSIGNED: _("Prepare: speak first with the person responsible (R3)."),
    State.DECLINED: _("None: the request was declined."),
    State.STOPPED: _("None: the case was stopped."),
}


def next_step(case) -> str:
    return str(NEXT_STEPS.get(case.state, _("See the task list.")))
