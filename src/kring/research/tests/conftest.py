"""Shared research fixtures (issue 13). `following_up` (from the follow-up fixtures): Carla's
case after its conference, with Daan (responsible), Sanne (harmed), Joost and Ria present and
version 1 of the plan signed by all four, so the conference is recorded for the figures and the
four are invited to the first questionnaire (research.actions.record_conference, once helper C
built it). Ria has no e-mail address. Each part of the app appends its fixtures below."""

import pytest

from kring.followup.tests.conftest import (
    bike,
    checking_in,
    complete_plan,
    daan,
    daan_acknowledged,
    everyone_said_yes,
    final_version,
    following_up,
    joost,
    linde,
    meeting_ahead,
    meeting_an_hour_ago,
    plan,
    ria,
    rounds_done,
    sanne,
    scheduled_case,
    school,
    summer_meeting,
)

__all__ = [
    "bike",
    "checking_in",
    "complete_plan",
    "daan",
    "daan_acknowledged",
    "everyone_said_yes",
    "final_version",
    "following_up",
    "joost",
    "linde",
    "meeting_ahead",
    "meeting_an_hour_ago",
    "plan",
    "ria",
    "rounds_done",
    "sanne",
    "scheduled_case",
    "school",
    "summer_meeting",
]


@pytest.fixture(autouse=True)
def figures_summary_up_to_date(db):
    """The figures' summary (research.summary) is up to date when a test starts: the migration's
    mark "everything stale" is handled here, so that a test relies on the marks of what it
    changes. A test that writes research or case rows directly, around Kring's actions, marks
    everything stale itself (summary.mark_everything), as data loaded around Kring must."""
    from kring.research import summary

    summary.refresh()
