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
AVAILABLE = {State.REQUESTED, State.REFERRED, State.ASSIGNED, State.PREPARING}
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
    "case.preparation_started": _("Preparation started"),
    "case.scheduled": _("Conference scheduled"),
    "circle.participant_added": _("Added to the circle"),
    "circle.participant_removed": _("Taken out of the circle (added by mistake)"),
    "circle.conversation_recorded": _("Preparatory conversation (R7)"),
    "circle.acknowledged": _("Acknowledged their part (R3)"),
    "circle.not_acknowledged": _("Does not acknowledge their part (R3)"),
    "circle.invited": _("Invited"),
    "circle.link_reissued": _("New personal link"),
    "circle.accepted": _("Accepted the invitation"),
    "circle.declined": _("Declined the invitation"),
    "circle.consented": _("Gave informed consent (R9)"),
    "circle.nominated": _("Named someone who should be there (R6)"),
    "circle.nomination_invited": _("Nominee added to the circle (R6)"),
    "circle.nomination_not_invited": _("Nominee not invited (R6)"),
    "circle.withdrawn": _("Withdrew (R9)"),
    "circle.risk_flagged": _("Safety check: risk recorded (R7)"),
    "circle.risk_resolved": _("Safety check: risk resolved (R7)"),
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


def timeline(
    events, users_by_id: dict[int, User], names_by_id=None, *, full: bool = False
) -> list[TimelineLine]:
    """Timeline lines; `names_by_id` maps participant ids to names; `full` adds the details
    that only the coordinator sees (the kind of a risk)."""
    from kring.circle.models import RiskFlag  # noqa: PLC0415 (circle imports cases)

    names_by_id = names_by_id or {}
    lines = []
    for event in events:
        details = []
        coordinator = users_by_id.get(event.data.get("coordinator"))
        if coordinator is not None:
            details.append(str(coordinator))
        name = names_by_id.get(event.data.get("participant"))
        if name:
            details.append(name)
        if full and event.data.get("risk"):
            details.append(str(dict(RiskFlag.Kind.choices).get(event.data["risk"], "")))
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


def referenced_ids(events, key: str) -> set[int]:
    """The ids under `key` ("coordinator", "participant") in the events' data."""
    return {e.data[key] for e in events if isinstance(e.data.get(key), int)}


NEXT_STEPS = {
    State.REQUESTED: _("The office reads the request and takes it on or declines it."),
    State.REFERRED: _("Offer the case to an independent coordinator, who accepts it."),
    State.ASSIGNED: _("Start the preparation: speak first with the person responsible (R3)."),
    State.PREPARING: _("Prepare everyone: acknowledgment first, then invitations (R3–R9)."),
    State.DECLINED: _("None: the request was declined."),
    State.STOPPED: _("None: the case was stopped."),
}


def next_step(case) -> str:
    return str(NEXT_STEPS.get(case.state, _("See the task list.")))
