"""The reminder tasks (issue 9, point 6): every five minutes the due reminders are found and
each is sent by a task of its own, which carries the reminder's id only. Sending claims the row
first (scheduling.reminders.send_one), so a reminder queued twice is still sent once."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kring.scheduling import reminders


@db_task(retries=3, retry_delay=60)
def send_reminder(reminder_id: int) -> None:
    reminders.send_one(reminder_id)


@db_periodic_task(crontab(minute="*/5"))
def send_due_reminders() -> None:
    for reminder_id in reminders.due():
        send_reminder(reminder_id)
