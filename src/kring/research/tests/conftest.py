"""Shared research fixtures (issue 13). `following_up` (from the follow-up fixtures): Carla's
case after its conference, with Daan (responsible), Sanne (harmed), Joost and Ria present and
version 1 of the plan signed by all four, so the conference is recorded for the figures and the
four are invited to the first questionnaire (research.actions.record_conference, once helper C
built it). Ria has no e-mail address. Each part of the app appends its fixtures below."""

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
