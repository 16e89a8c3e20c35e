"""Shared follow-up fixtures (issue 12): Carla's case after its conference, with Daan, Sanne,
Joost and Ria present and the plan's version 1 signed by all four on Carla's tablet, so the case
is in follow-up (`following_up`) and its two agreements are tracked: Daan repays Sanne's bike
(by 1 December 2027) and Daan does not cycle past Sanne's school (no date). Each part of the
app appends its fixtures below."""

import pytest

from kring.signing.tests.conftest import (
    checking_in,
    complete_plan,
    daan,
    daan_acknowledged,
    everyone_said_yes,
    final_version,
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
    "checking_in",
    "complete_plan",
    "daan",
    "daan_acknowledged",
    "everyone_said_yes",
    "final_version",
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


def sign_everyone(version, carla) -> None:
    """Everyone present signs `version` on Carla's tablet (the last signature moves the case
    into follow-up and the tracker takes the version's agreements)."""
    from kring.audit.actors import Actor
    from kring.signing import actions, queries

    for slot in queries.slots(version):
        actions.sign(
            version,
            slot.participant.pk,
            slot.role,
            by=Actor.in_person(slot.signer, for_participant=slot.for_minor),
            typed_name=slot.signer.name,
            agreed=True,
            consent_text="Ik heb dit plan gelezen en ik ben het ermee eens.",
            host=carla,
            shown_hash=version.content_hash,
        )


@pytest.fixture
def following_up(final_version, carla, everyone_said_yes):
    """The case in follow-up: version 1 signed by all four present. Returns the case."""
    sign_everyone(final_version, carla)
    case = final_version.plan.case
    case.refresh_from_db()
    return case


@pytest.fixture
def bike(following_up):
    """The tracked agreement "Daan repays Sanne's bike" (number 1, Daan's, due 1 Dec 2027)."""
    from kring.followup.models import TrackedAgreement

    return TrackedAgreement.objects.get(case=following_up, number=1)


@pytest.fixture
def school(following_up):
    """The tracked agreement "Daan does not cycle past Sanne's school" (number 2, no date)."""
    from kring.followup.models import TrackedAgreement

    return TrackedAgreement.objects.get(case=following_up, number=2)
