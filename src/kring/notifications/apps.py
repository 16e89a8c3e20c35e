from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kring.notifications"
    label = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        from kring.core import health
        from kring.notifications.health import outbox

        health.register("outbox", outbox)  # mail waiting too long makes /health/ fail

        # Links waiting in the outbox are sealed: `kring rotate-keys` re-seals them, also those
        # queued before the field keys (docs/adr/0014-sealed-secrets.md).
        from kring.core import sealing
        from kring.notifications import secrets

        sealing.register(
            "notifications.OutgoingMail", "secret", legacy=secrets.open_before_field_keys
        )
