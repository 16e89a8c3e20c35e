"""The follow-up task (issue 12, point 3): every hour the due reminders are sent. Each is
claimed by its unique key in the transaction of its mail (followup.reminders), so a run twice or
after a worker's restart sends nothing twice. The task carries no data."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.followup import reminders


@db_periodic_task(crontab(minute="7"))
def send_followup_reminders() -> None:
    reminders.send_all()
