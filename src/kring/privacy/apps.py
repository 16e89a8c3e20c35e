from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data over the whole case (issue 14, points 7 and 8; docs/data-retention.md):
    retention and its legal hold, and the rights of a participant (export, correction,
    erasure). It sits above every stage and reaches their data only through the hooks each app
    registers with `kring.cases.registry` (erasers, exports, retention dates, blockers)."""

    name = "kring.privacy"
    label = "privacy"
    verbose_name = _("privacy")

    def ready(self):
        from kring.audit.labels import add_labels
        from kring.cases import registry
        from kring.privacy import rights, rights_views

        # A person's rights (issue 14, point 8): the links on the case page, the timeline.
        registry.add_case_panel(rights_views.case_panel)
        registry.add_event_labels(rights.EVENT_LABELS)
        add_labels(rights.AUDIT_LABELS)
