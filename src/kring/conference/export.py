"""What the conference holds about one participant, for their export (GDPR article 15; issue
14, point 8): whether they were there, the coordinator's short note of their own round, the
ideas they brought in, the good outcome in their words, and the agreements they own. Never
another person's round or ideas (R18)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.cases.registry import ExportItem, ExportSection
from kring.conference.models import Agreement, Attendance, Idea, Plan, Round


def participant_export(participant) -> list[ExportSection]:
    items: list[ExportItem] = []
    for a in Attendance.objects.filter(participant=participant):
        value = _("present") if a.present else _("not there")
        items.append(
            ExportItem("conference.attendance", _("at the conference"), str(value), a.recorded_at)
        )
    for r in Round.objects.filter(participant=participant):
        if r.note:
            items.append(
                ExportItem(
                    "conference.round_note", _("short note of your round"), r.note, r.done_at
                )
            )
    for plan in Plan.objects.filter(good_outcome_by=participant).exclude(good_outcome=""):
        items.append(
            ExportItem("plan.good_outcome", _("what would be a good outcome?"), plan.good_outcome)
        )
    for idea in Idea.objects.filter(brought_in_by=participant):
        items.append(ExportItem("plan.idea", _("idea"), idea.text))
    for agreement in Agreement.objects.filter(who=participant):
        value = agreement.what
        if agreement.for_whom:
            value += " · " + str(pgettext_lazy("agreement", "for whom")) + ": " + agreement.for_whom
        if agreement.how_checked:
            value += " · " + str(_("how it is checked")) + ": " + agreement.how_checked
        items.append(ExportItem("plan.agreement", _("agreement"), value, agreement.by_when))
    return (
        [ExportSection("conference", _("The conference and the plan"), tuple(items))]
        if items
        else []
    )
