"""The research task (issue 13, point 1), every hour:

- conferences that signing's hook failed to record (or that were signed before this stage) are
  recorded now (research.actions.record_missing; invitations only for a recent conference);
- the participants whose conference was held KRING_EVALUATION_SECOND_MONTHS months ago are
  invited to the second, optional questionnaire (research.actions.invite_second_round: only
  records not handled yet, in a window of two months, each under its case's lock, so a run twice
  or two workers invite nobody twice, and the work does not grow with the years).

Every hour too, the figures' summary brings its stale buckets up to date
(research.summary.refresh), so that the figures page rarely has to.

The tasks carry no data; their log lines carry ids only."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.research import actions, summary


@db_periodic_task(crontab(minute="17"))
def invite_to_second_questionnaire() -> None:
    actions.record_missing()
    actions.invite_second_round()


@db_periodic_task(crontab(minute="47"))
def refresh_figures_summary() -> None:
    summary.refresh()
