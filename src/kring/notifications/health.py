"""The outbox's part of /health/ (kring.core.health): mail that should have gone out by now.

A mail is sent within seconds by the worker; when a worker stops, the sweep (every minute)
queues again what is pending after five minutes (tasks.sweep_outbox). Mail still pending after
LATE_AFTER therefore means that no worker runs, or that sending keeps failing. The check shows
how many such mails there are (a number only) and fails when there is any.
"""

from datetime import timedelta

from django.utils import timezone

from kring.core.health import Unhealthy
from kring.notifications.models import OutgoingMail

LATE_AFTER = timedelta(minutes=15)


def outbox() -> dict[str, int]:
    late = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.PENDING, created_at__lt=timezone.now() - LATE_AFTER
    ).count()
    if late:
        raise Unhealthy("mail waiting longer than 15 minutes", backlog=late)
    return {"backlog": 0}
