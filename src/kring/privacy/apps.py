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
