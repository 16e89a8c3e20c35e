"""How the access log names the reads this app records (registered in cases/apps.py with
kring.audit.labels). Its changes are timeline events: the log reads their timeline labels."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "case.viewed": _("Read the case page"),
    "case.inbox_viewed": _("Read the inbox of new requests"),
    "case.list_viewed": _("Read a list of cases"),
    "case.offer_viewed": _("Read the offer of a case"),
    "referral.viewed": _("Read the request"),
}
