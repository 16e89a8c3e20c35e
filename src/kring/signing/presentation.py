"""How the case shows signing (issue 11, points 1 and 2): which version a timeline line of
signing is about (cases.registry.add_timeline_details); the next step once everyone signed is
follow-up's (kring.followup.presentation.NEXT_STEP). Never the typed name or the reason for
declining: those are on the signing page only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kring.cases.models import CaseEvent

SIGNING_EVENTS = ("signing.signed", "signing.declined", "case.plan_signed")


def timeline_detail(event: CaseEvent, *, full: bool) -> str | None:
    data = event.data or {}
    if event.kind in SIGNING_EVENTS and isinstance(data.get("version"), int):
        return _("Version %(number)s") % {"number": data["version"]}
    return None
