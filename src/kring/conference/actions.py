"""The actions of conference mode (issue 10, points 1 and 6; R10, R13): check-in, opening the
conference, the introductions, the rounds in the method's order, the informal part, and a
meeting that did not take place. One function each (docs/architecture.md "Actions"): one
transaction with the case locked, the policy (conference.policy) enforced, the timeline event
and the audit row."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.cases.models import Case
from kring.circle.models import Side

# --- the guard of the `hold` move ---------------------------------------------------------------


def both_sides_present(case: Case, *, conference=None, **_kw: Any) -> str | Promise | None:
    """R10: the conference opens with someone of the responsible side and someone of the harmed
    side present (the rounds begin with them)."""
    from kring.conference.models import Attendance

    present = (
        set(
            Attendance.objects.filter(
                conference=conference, present=True, participant__case=case
            ).values_list("participant__side", flat=True)
        )
        if conference is not None
        else set()
    )
    if Side.RESPONSIBLE not in present:
        return _("Check in the person responsible first: the rounds begin with them.")
    if Side.HARMED not in present:
        return _("Check in the person harmed first: without them there is no conference.")
    return None
