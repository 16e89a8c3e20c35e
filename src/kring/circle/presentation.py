"""What the circle adds to the case page and its timeline (registered in circle/apps.py)."""

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from kring.cases.lifecycle import State
from kring.cases.registry import Person
from kring.circle import notices, policy
from kring.circle.drawing import circle_drawing
from kring.circle.models import (
    HAS_LEFT,
    Acknowledgment,
    Consent,
    Conversation,
    Participant,
    RiskFlag,
    Side,
    shown_name,
)
from kring.core.policy import deny, options

EVENT_LABELS = {
    "circle.participant_added": _("Added to the circle"),
    "circle.request_person_set_aside": _("Someone named in the request: not added to the circle"),
    "circle.participant_removed": _("Taken out of the circle (added by mistake)"),
    "circle.conversation_recorded": _("Preparatory conversation"),
    "circle.acknowledged": _("Acknowledged their part"),
    "circle.not_acknowledged": _("Does not acknowledge their part"),
    "circle.invited": _("Invited"),
    "circle.link_reissued": _("New personal link"),
    "circle.accepted": _("Accepted the invitation"),
    "circle.declined": _("Declined the invitation"),
    "circle.consented": _("Gave informed consent"),
    "circle.nominated": _("Named someone who should be there"),
    "circle.nomination_invited": _("Nominee added to the circle"),
    "circle.nomination_not_invited": _("Nominee not invited"),
    "circle.withdrawn": _("Stopped taking part"),
    "circle.returned": _("Takes part again (came back after stopping or saying no)"),
    "circle.question_asked": _("Asked the coordinator a question"),
    "circle.question_answered": _("The coordinator answered a question"),
    "circle.risk_flagged": _("Safety check: risk recorded"),
    "circle.risk_resolved": _("Safety check: risk resolved"),
}

NEXT_STEPS = {
    State.ASSIGNED: _("Start the preparation: speak first with the person responsible."),
    State.PREPARING: _("Prepare everyone: acknowledgment first, then invitations."),
}

_RISKS = dict(RiskFlag.Kind.choices)


def risk_detail(event, *, full: bool) -> str | None:
    """The kind of a risk, for the coordinator only (R18)."""
    if full and event.data.get("risk"):
        return str(_RISKS.get(event.data["risk"], ""))
    return None


def people(case, ids) -> dict[int, Person]:
    rows = Participant.objects.filter(case=case, pk__in=ids).values_list(
        "pk", "name", "guardian_id"
    )
    return {pk: Person(shown_name(name), guardian_id) for pk, name, guardian_id in rows}


def case_panel(case, user):
    """On the case page: starting the preparation, and the circle drawn with who has had a
    preparatory conversation (R7). Names and states only, which every role that sees the case
    may see."""
    may = options(start=policy.may_start_preparation(user, case))
    has_circle = case.state not in (State.REQUESTED, State.REFERRED, State.ASSIGNED, State.DECLINED)
    if not may["start"] and not has_circle:
        return None
    summary = _summary(case) if has_circle else None
    if summary is not None and policy.sees_safety_summary(user, case):
        # The level of an open risk, never its kind or the assessment (R7, R18).
        summary["open_high_risk"] = case.risk_flags.filter(
            level=RiskFlag.Level.HIGH, resolved_at__isnull=True
        ).exists()
    waiting = _notices(case, user) if policy.sees_everything(user, case) else []
    return "circle/_case_panel.html", {
        "may": may,
        "has_circle": has_circle,
        "summary": summary,
        "notices": waiting,
    }


def _notices(case, user):
    """The open notices of the case, for its coordinator: who did what, and the step it asks
    for (each read from the policy, like every link on the page)."""
    found = notices.open_notices(case)
    for notice in found:
        notice.case = case
        notice.label = notices.label(notice.kind)
        person = notice.participant
        if person is not None:
            person.case = case
        if notice.question is not None:
            notice.question.participant = person
        notice.may = options(
            handle=policy.may_handle_notice(user, notice),
            record_return=(
                policy.may_record_return(user, person)
                if person is not None and notice.kind in notices.LEAVING
                else _NOT_HERE
            ),
            answer=(
                policy.may_answer_question(user, notice.question)
                if notice.question is not None
                else _NOT_HERE
            ),
        )
    return found


def _summary(case):
    if not case.participants.exists():
        return None
    spoken = Conversation.objects.filter(participant=OuterRef("pk"))
    own_consent = Consent.objects.filter(participant=OuterRef("pk"), given_by=OuterRef("pk"))
    latest = Acknowledgment.objects.filter(participant=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )
    people = list(
        case.participants.annotate(
            spoken=Exists(spoken),
            consented=Exists(own_consent),
            acknowledges=Subquery(latest.values("acknowledges")[:1]),
        ).only("pk", "name", "erased_at", "side", "supports_id", "status", "case_id")
    )
    taking_part = [p for p in people if p.takes_part]
    responsible = [p for p in taking_part if p.side == Side.RESPONSIBLE]
    return {
        "side_gone": _side_gone(people),
        "drawing": circle_drawing(people)["drawing"],
        "spoken": sum(1 for p in taking_part if p.spoken),
        "taking_part": len(taking_part),
        "not_spoken": [p.name for p in taking_part if not p.spoken],
        "consented": sum(1 for p in taking_part if p.consented),
        "acknowledged": sum(1 for p in responsible if p.acknowledges),
        "responsible": len(responsible),
    }


# Not a step of this notice: no link (an access refusal shows nothing).
_NOT_HERE = deny("not_here", "")


def _side_gone(people) -> list[str]:
    """R9: when every person harmed, or every person responsible, has withdrawn or declined,
    the conference cannot take place. Said only of a side that had someone (not before anyone
    was added or invited)."""
    gone = []
    for side in (Side.HARMED, Side.RESPONSIBLE):
        mine = [p for p in people if p.side == side]
        if mine and all(p.status in HAS_LEFT for p in mine):
            gone.append(side)
    return gone
