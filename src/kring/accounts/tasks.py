from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.accounts import throttle


@db_periodic_task(crontab(hour="3", minute="47"))
def purge_sign_in_records() -> None:
    """Daily: forget usual sign-in addresses past KRING_LOGIN_USUAL_ADDRESS_DAYS and sign-in
    counters that have run out (docs/data-retention.md)."""
    throttle.purge()
