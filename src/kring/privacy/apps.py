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
        from kring.privacy import export

        registry.add_participant_export(export.own_acts)
        registry.add_event_labels(rights.EVENT_LABELS)
        add_labels(rights.AUDIT_LABELS)

        # Retention and the legal hold (issue 14, point 7): the panel, the timeline, the log.
        from kring.privacy import hold_views, holds, retention

        registry.add_case_panel(hold_views.case_panel)
        registry.add_event_labels(
            {
                retention.ERASED: _("Personal data erased (retention)"),
                holds.HOLD_PLACED: _("Legal hold placed: the case is not erased"),
                holds.HOLD_LIFTED: _("Legal hold lifted"),
            }
        )
        add_labels(
            {
                retention.ERASURE_MADE: _("Erased the personal data of a case (retention)"),
                retention.OUTBOX_PURGED: _("Erased the content of old mails (retention)"),
                hold_views.LIFT_VIEWED: _("Opened the page to lift a legal hold"),
            }
        )
