"""The research task (issue 13, point 1): every hour, the participants whose conference was held
KRING_EVALUATION_SECOND_MONTHS months ago are invited to the second, optional questionnaire
(research.actions.invite_second_round: under each case's lock, so a run twice or two workers
invite nobody twice). The task carries no data."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.research import actions


@db_periodic_task(crontab(minute="17"))
def invite_to_second_questionnaire() -> None:
    actions.invite_second_round()
