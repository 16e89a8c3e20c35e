from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kring.audit"
    label = "audit"
    verbose_name = _("audit")

    def ready(self):
        """The access log's words for the audit app's own rows; every other app registers
        the kinds it records in its own ready() (kring.audit.labels)."""
        from kring.audit import labels

        labels.add_labels(labels.LABELS, refused=labels.REFUSED)
