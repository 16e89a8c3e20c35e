from importlib import import_module

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.core import ratelimit


@db_periodic_task(crontab(minute="17"))
def purge_rate_limit_windows() -> None:
    """Hourly: forget rate-limit windows older than a day (the keys are hashed addresses)."""
    ratelimit.purge()


@db_periodic_task(crontab(hour="3", minute="41"))
def clear_expired_sessions() -> None:
    """Daily: remove expired sessions (docs/data-retention.md), what `kring clearsessions` does,
    so that no timer outside the worker is needed."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
