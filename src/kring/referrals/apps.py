from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "kring.referrals"
    label = "referrals"
    verbose_name = _("referrals")

    def ready(self):
        """How the access log names the arrival of a request."""
        from kring.audit.labels import add_labels
        from kring.referrals import audit_labels

        add_labels(audit_labels.LABELS)
