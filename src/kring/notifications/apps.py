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
