"""How the questionnaires read on the case's timeline (issue 13, point 1): who was asked and who
filled one in, which questionnaire, on paper or not; never an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.research.actions import ANSWERED, INVITED
from kring.research.models import Round

if TYPE_CHECKING:
    from kring.cases.models import CaseEvent

EVENT_LABELS = {
    INVITED: gettext_lazy("Asked to fill in a questionnaire"),
    ANSWERED: gettext_lazy("Filled in a questionnaire"),
}


def timeline_detail(event: CaseEvent, *, full: bool) -> str | None:
    """ "After the conference, 4 participants"; "Some months later, typed in from paper"."""
    if event.kind not in EVENT_LABELS:
        return None
    data = event.data or {}
    words = []
    if data.get("round") in Round.values:
        words.append(str(Round(data["round"]).label))
    if event.kind == INVITED and isinstance(data.get("invited"), int):
        words.append(_("participants: %(count)s") % {"count": data["invited"]})
    if event.kind == ANSWERED and data.get("on_paper"):
        words.append(_("typed in from paper"))
    return ", ".join(words) or None
