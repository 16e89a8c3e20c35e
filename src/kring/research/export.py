"""What research holds about one participant, for their export (GDPR article 15; issue 14,
point 8): the questionnaires they were asked to fill in and whether they did. Their answers are
stored without a name (research.models.Answer), so they cannot be found back for a person: the
export says so."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kring.cases.registry import ExportItem, ExportSection
from kring.research.models import Invitation


def participant_export(participant) -> list[ExportSection]:
    items = []
    for i in Invitation.objects.filter(participant=participant):
        done = _("filled in") if i.answered_at else _("not yet")
        items.append(
            ExportItem("research.invitation", str(i.get_round_display()), str(done), i.created_at)
        )
    if items:
        items.append(
            ExportItem(
                "research.answers",
                _("your answers"),
                str(
                    _("Stored without your name: nobody can find them back, so they are not here.")
                ),
            )
        )
    return [ExportSection("research", _("Questionnaires"), tuple(items))] if items else []
