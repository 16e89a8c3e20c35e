from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kring.portal"
    label = "portal"
    verbose_name = _("participant portal")

    def ready(self):
        """How the access log names what participants do on their personal page."""
        from kring.audit.labels import add_labels
        from kring.portal import audit_labels

        add_labels(audit_labels.LABELS)
