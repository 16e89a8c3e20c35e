"""Shared fixtures of the privacy app's tests: Carla's case in preparation with Daan and Sanne
(kring.testing.circle_people), and Carla's case in follow-up, its plan signed by everyone present
(the follow-up app's fixtures)."""

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
    "summer_meeting",
]
