"""How the access log names the rows of the preparation that are not timeline events
(registered in circle/apps.py with kring.audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "circle.viewed": _("Read the preparation of a participant or the circle"),
    "circle.participant_changed": _("Changed a participant's details"),
    "circle.question_read": _("Read a participant's question"),
    "circle.notice_handled": _("Marked a notice as handled"),
}
