from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.core import ratelimit


@db_periodic_task(crontab(minute="17"))
def purge_rate_limit_windows() -> None:
    """Hourly: forget rate-limit windows older than a day (the keys are hashed addresses)."""
    ratelimit.purge()
