"""What follow-up holds about one participant, for their export (GDPR article 15; issue 14,
point 8): the agreements they own and their state, and the reports they made on an agreement
with the coordinator's answers. Never another participant's report (R18)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kring.cases.registry import ExportItem, ExportSection
from kring.followup.models import Report, TrackedAgreement


def participant_export(participant) -> list[ExportSection]:
    items: list[ExportItem] = []
    for t in TrackedAgreement.objects.filter(owner=participant):
        value = f"{t.what} · {t.get_state_display()}"
        items.append(ExportItem("followup.agreement", _("your agreement"), value))
    for r in Report.objects.filter(participant=participant):
        items.append(ExportItem("followup.report", str(r.get_kind_display()), r.text, r.made_at))
        if r.answer:
            items.append(ExportItem("followup.answer", _("answer"), r.answer, r.answered_at))
    return [ExportSection("followup", _("Keeping the agreements"), tuple(items))] if items else []
