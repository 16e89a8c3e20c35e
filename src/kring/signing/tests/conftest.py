"""Shared signing fixtures (issue 11): Carla's case after its conference (conference_held),
with Daan, Sanne, Joost and Ria present (Ria has no e-mail address) and the plan complete and
made final as version 1 (`final_version`). Each part of the app appends its fixtures below."""

from datetime import date

import pytest

from kring.conference.tests.conftest import (
    checking_in,
    meeting_ahead,
    meeting_an_hour_ago,
    plan,
    rounds_done,
    scheduled_case,
)
from kring.scheduling.tests.conftest import everyone_said_yes, linde, summer_meeting
from kring.testing.circle_people import daan, daan_acknowledged, joost, ria, sanne

__all__ = [
    "checking_in",
    "daan",
    "daan_acknowledged",
    "everyone_said_yes",
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


@pytest.fixture
def complete_plan(plan, daan, sanne, carla):
    """The plan with what R11 asks: Daan's agreement that prevents a repeat, another for Sanne,
    an evaluation date and what happens when an agreement is not kept. Not final yet."""
    from kring.conference.models import Agreement

    Agreement.objects.create(
        plan=plan,
        position=1,
        what="Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand.",
        who=daan,
        for_whom="Sanne",
        by_when=date(2027, 12, 1),
        how_checked="Joost kijkt elke maand mee.",
        prevents_repeat=False,
    )
    Agreement.objects.create(
        plan=plan,
        position=2,
        what="Daan fietst niet meer langs Sannes school zonder dat te zeggen.",
        who=daan,
        for_whom="Sanne",
        prevents_repeat=True,
    )
    plan.evaluation_date = date(2027, 10, 1)
    plan.if_not_kept = "We praten opnieuw met Carla erbij."
    plan.edit_count += 3
    plan.save()
    return plan


@pytest.fixture
def final_version(complete_plan, carla):
    """Version 1 of the plan, made final by Carla: what everyone signs."""
    from kring.conference import versions

    return versions.finalise(complete_plan, by=carla)


# --- the core: signing and declining (helper A) -------------------------------------------------


@pytest.fixture
def ellen(preparing_case, carla, sanne):
    """Sanne's mother, in Sanne's circle; not at the meeting."""
    from kring.testing.circle_people import add
    from kring.testing.people import ELLEN

    return add(ELLEN, preparing_case, by=carla, supports=sanne)


@pytest.fixture
def sanne_a_minor(ellen, final_version, sanne):
    """Sanne is a minor, Ellen her mother and guardian: Ellen co-signs in Sanne's "guardian"
    slot (R9), remotely, since she was not at the meeting. Returns the version to sign."""
    from kring.circle.models import Participant

    Participant.objects.filter(pk=sanne.pk).update(is_minor=True, guardian=ellen)
    sanne.refresh_from_db()
    return final_version
