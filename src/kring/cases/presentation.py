"""How a case is shown: the task list of the whole process, timeline lines, the next step."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.audit.actors import ActorKind, Via
from kring.cases import policy, registry
from kring.cases.lifecycle import ENDS, State
from kring.cases.models import DeclineReason, HandBackReason, StopReason

# Every step of the lifecycle (docs/rules.md), in order. A step is available once the stage
# that does its work has registered it (registry.provide_step); this app does the first three.
STEPS = [
    (State.REQUESTED, _("Request received")),
    (State.REFERRED, _("Taken on by the office")),
    (State.ASSIGNED, _("Independent coordinator accepted")),
    (State.PREPARING, _("Preparation: the circle, acknowledgment, consent")),
    (State.SCHEDULED, _("Conference date and room set")),
    (State.CONFERENCE_HELD, _("Conference held and plan signed")),
    (State.FOLLOWING_UP, _("Follow-up of the agreements")),
    (State.CLOSED, _("Closed with an outcome")),
]
OWN_STEPS = {State.REQUESTED, State.REFERRED, State.ASSIGNED}
_ORDER = {state: i for i, (state, _label) in enumerate(STEPS)}

EVENT_LABELS = {
    "case.requested": _("Request received"),
    "case.taken_on": _("Taken on by the office"),
    "case.declined": _("Declined"),
    "case.offered": _("Offered to a coordinator"),
    "case.offer_withdrawn": _("Offer withdrawn"),
    "case.assigned": _("Coordinator accepted and declared independence"),
    "case.handed_back": _("Handed back by the coordinator"),
    "case.reassigned": _("Reassigned: the coordinator's access ended"),
    "case.stopped": _("Stopped"),
    "case.preparation_started": _("Preparation started"),
    "case.scheduled": _("Conference scheduled"),
}
registry.add_event_labels(EVENT_LABELS)

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
        elif state not in OWN_STEPS and state not in registry.available_steps():
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


def timeline(events, users_by_id: dict[int, User], people=None, *, full: bool = False):
    """Timeline lines. `people` maps participant ids to registry.Person (the names the events
    point at); `full` adds the details that only the coordinator sees."""
    people = people or {}
    lines = []
    for event in events:
        details = []
        coordinator = users_by_id.get(event.data.get("coordinator"))
        if coordinator is not None:
            details.append(str(coordinator))
        person = people.get(event.data.get("participant"))
        if person is not None:
            details.append(person.name)
        details.extend(registry.timeline_details(event, full=full))
        reason = event.data.get("reason")
        if reason:
            details.append(str(REASON_LABELS.get(reason, "")))
        lines.append(
            TimelineLine(
                at=event.at,
                label=str(registry.event_label(event.kind)),
                actor=actor_label(event, people),
                detail=" · ".join(d for d in details if d),
            )
        )
    return lines


def actor_label(event, people) -> str:
    """Who did it, as the timeline says: "Ingrid Verhoef (parent or guardian), for Ruben, via
    the personal page"; a staff member by name; the requester; Kring itself."""
    if event.actor_kind == ActorKind.STAFF and event.actor is not None:
        return str(event.actor)
    if event.actor_kind == ActorKind.PARTICIPANT:
        person = people.get(event.actor_participant_id)
        words = person.name if person is not None else str(_("a participant"))
        minor = people.get(event.for_participant_id)
        if minor is not None:
            words = _("%(name)s (parent or guardian), for %(minor)s") % {
                "name": words,
                "minor": minor.name,
            }
        if event.via == Via.PORTAL:
            words = _("%(who)s, via the personal page") % {"who": words}
        elif event.via == Via.IN_PERSON:
            words = _("%(who)s, in person") % {"who": words}
        return str(words)
    return str(ActorKind(event.actor_kind).label) if event.actor_kind else ""


def people_ids(events) -> set[int]:
    """Every participant id the events point at: in their data, as actor, or acted for."""
    ids = referenced_ids(events, "participant")
    for event in events:
        ids.update(i for i in (event.actor_participant_id, event.for_participant_id) if i)
    return ids


def referenced_ids(events, key: str) -> set[int]:
    """The ids under `key` ("coordinator", "participant") in the events' data."""
    return {e.data[key] for e in events if isinstance(e.data.get(key), int)}


NEXT_STEPS = {
    State.REQUESTED: _("The office reads the request and takes it on or declines it."),
    State.REFERRED: _("Offer the case to an independent coordinator, who accepts it."),
    State.DECLINED: _("None: the request was declined."),
    State.STOPPED: _("None: the case was stopped."),
}
NEEDS_COORDINATOR = _("Offer the case to a new coordinator, who accepts it.")


def next_step(case) -> str:
    if case.state != State.REFERRED and policy.needs_coordinator(case):
        return str(NEEDS_COORDINATOR)
    step = NEXT_STEPS.get(case.state) or registry.next_step_for(case.state)
    return str(step or _("See the task list."))
