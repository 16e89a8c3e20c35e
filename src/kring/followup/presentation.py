"""How the case shows follow-up's core (issue 12, points 1-3): the timeline's words of every
followup.* event and its details (which version, which agreement and the state's or answer's
label; never a note, a report or an answer: those are on the tracker only), and the task-list
step of "following_up". Words about agreements, never about a person (R15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.followup.models import AgreementState, Report

if TYPE_CHECKING:
    from kring.cases.models import CaseEvent

NEXT_STEP = gettext_lazy(
    "Make sure everyone who signed has a copy of the signed plan. Then follow up the agreements "
    "on the page Agreements. About four weeks after the meeting, contact the participants."
)

EVENT_LABELS = {
    "followup.started": gettext_lazy("Follow-up of the agreements began"),
    "followup.agreements_changed": gettext_lazy(
        "The agreements follow a new signed version of the plan"
    ),
    "followup.state_set": gettext_lazy("Recorded the state of an agreement"),
    "followup.reported_done": gettext_lazy("Reported an agreement done"),
    "followup.invoked": gettext_lazy("Reported that an agreement is not kept"),
    "followup.answered": gettext_lazy("Answered a report about an agreement"),
    "followup.contact_recorded": gettext_lazy("Recorded the follow-up contact"),
}


def _label(choices: type, code: object) -> str | None:
    if not isinstance(code, str):
        return None
    try:
        return str(choices(code).label)
    except ValueError:
        return None


def timeline_detail(event: CaseEvent, *, full: bool) -> str | None:
    """ "Version 2", "Agreement 1 of version 1: Done", "Agreement 2 of version 2: asked back".
    The number is the agreement's place in the version the event was about: a later version
    may give the same agreement another number, or the number to another agreement."""
    if event.kind not in EVENT_LABELS:
        return None
    data = event.data or {}
    if event.kind in ("followup.started", "followup.agreements_changed"):
        version = data.get("version")
        return _("Version %(number)s") % {"number": version} if isinstance(version, int) else None
    number = data.get("agreement")
    if not isinstance(number, int):
        return None
    version = data.get("version")
    if isinstance(version, int):
        said = _("Agreement %(number)s of version %(version)s") % {
            "number": number,
            "version": version,
        }
    else:  # an event written before the version was named
        said = _("Agreement %(number)s") % {"number": number}
    words = [
        w
        for w in (
            _label(Report.Outcome, data.get("outcome")),
            _label(AgreementState, data.get("state")),
        )
        if w
    ]
    return f"{said}: {', '.join(words)}" if words else said
