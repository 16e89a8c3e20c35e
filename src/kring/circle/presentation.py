"""What the circle adds to the case page and its timeline (registered in circle/apps.py)."""

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from kring.cases.lifecycle import State
from kring.cases.registry import Person
from kring.circle import policy
from kring.circle.drawing import circle_drawing
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    Participant,
    RiskFlag,
    Side,
)
from kring.core.policy import options

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
    "circle.withdrawn": _("Withdrew"),
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
    return {pk: Person(name, guardian_id) for pk, name, guardian_id in rows}


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
    return "circle/_case_panel.html", {"may": may, "has_circle": has_circle, "summary": summary}


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
        ).only("pk", "name", "side", "supports_id", "status", "case_id")
    )
    taking_part = [p for p in people if p.takes_part]
    responsible = [p for p in taking_part if p.side == Side.RESPONSIBLE]
    return {
        "drawing": circle_drawing(people)["drawing"],
        "spoken": sum(1 for p in taking_part if p.spoken),
        "taking_part": len(taking_part),
        "not_spoken": [p.name for p in taking_part if not p.spoken],
        "consented": sum(1 for p in taking_part if p.consented),
        "acknowledged": sum(1 for p in responsible if p.acknowledges),
        "responsible": len(responsible),
    }
