"""How the access log names the arrival of a request (registered in referrals/apps.py with
kring.audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "referral.submitted": _("Request sent with the request form"),
}
