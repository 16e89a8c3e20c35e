"""What scheduling holds about one participant, for their export (GDPR article 15; issue 14,
point 8): their answers in the date poll and the reminders of the meeting sent to them. The
invitations to the meeting are e-mails (the outbox), not stored per person here."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.cases.registry import ExportItem, ExportSection
from kring.scheduling.models import PollAnswer, Reminder


def participant_export(participant) -> list[ExportSection]:
    answers = tuple(
        ExportItem(
            "poll.answer",
            _("date proposed: %(date)s")
            % {"date": timezone.localtime(a.option.starts_at).date().isoformat()},
            str(a.get_answer_display()),
            a.answered_at,
        )
        for a in PollAnswer.objects.filter(participant=participant).select_related("option")
    )
    reminders = tuple(
        ExportItem("meeting.reminder", _("reminder of the meeting"), "", r.sent_at)
        for r in Reminder.objects.filter(participant=participant, sent_at__isnull=False)
    )
    sections = [
        ExportSection("poll", _("The date poll"), answers),
        ExportSection("reminders", _("Reminders"), reminders),
    ]
    return [s for s in sections if s.items]
