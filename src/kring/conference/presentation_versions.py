"""More words on the timeline lines of the plan's versions and of a conference that did not go on
(issue 10, points 5 and 6), through cases.registry.add_timeline_details: which version and the
start of its fingerprint, and why the conference did not go on. Never the plan's words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kring.cases.models import CaseEvent
from kring.conference.models import NotHeldReason


def timeline_detail(event: CaseEvent, *, full: bool) -> str | None:
    data = event.data or {}
    if event.kind == "conference.plan_finalised":
        return _("Version %(number)s, fingerprint %(hash)s") % {
            "number": data.get("version", "?"),
            "hash": data.get("hash", ""),
        }
    if event.kind == "conference.not_held" and data.get("reason") in NotHeldReason.values:
        return str(NotHeldReason(data["reason"]).label)
    return None
