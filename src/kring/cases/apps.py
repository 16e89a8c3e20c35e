from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kring.cases"
    label = "cases"
    verbose_name = _("cases")

    def ready(self):
        """How the access log names the reads of cases and requests."""
        from kring.audit.labels import add_labels
        from kring.cases import audit_labels

        add_labels(audit_labels.LABELS)
        # What erasure removes (issue 14; docs/data-retention.md).
        from kring.cases import erasure

        erasure.register()
